package io.mailops.backup;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the manifest records as JSON (UTF-8). Written compact, without indentation:
 * a folder manifest's indentation was a third of its bytes ({@code jq .} shows it indented);
 * readers accept either. Thread-safe.
 */
public final class ManifestCodec {

  /**
   * Databind, for writing and for the records {@link ManifestReader} does not read; built on
   * first use (a one-message restore never needs it: ~30 ms of a cold JVM, ADR 0037).
   */
  private static final class Databind {
    static final JsonMapper JSON = JsonMapper.builder().build();
  }

  private ManifestCodec() {}

  /** The JSON bytes of a manifest record. */
  public static byte[] write(Object manifest) {
    return Databind.JSON.writeValueAsBytes(manifest);
  }

  /**
   * Parses {@code json} as {@code type}: the set manifest, folder manifests and folder deltas
   * with the streaming {@link ManifestReader}, other records with databind (same rules).
   *
   * @param file names the manifest for the error message
   * @throws BackupException naming {@code file} if it is not a valid manifest
   */
  public static <T> T read(byte[] json, Class<T> type, String file) throws BackupException {
    try {
      return ManifestReader.reads(type) ? ManifestReader.read(json, type)
          : Databind.JSON.readValue(json, type);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new BackupException("manifest " + file + " is damaged (" + firstLine(e.getMessage())
          + "); run 'backup verify' and take a new full backup if it fails", e);
    }
  }

  /** A set id for {@link #warmUp}'s sample documents. */
  private static final String SAMPLE_SET = "20000101T000000Z-full-all";
  /** A message entry for {@link #warmUp}'s sample documents. */
  private static final String SAMPLE_MESSAGE = "{\"1.M1P1.x\":{\"sha256\":\"" + "0".repeat(64)
      + "\",\"size\":1,\"internalDate\":\"2000-01-01T00:00:00Z\",\"flags\":[\"\\\\Seen\"],"
      + "\"keywords\":[\"k\"],\"state\":\"cur\",\"messageId\":\"<a@b>\",\"location\":{\"set\":\""
      + SAMPLE_SET + "\",\"file\":\"f\",\"entry\":\"e\",\"offset\":0,\"length\":1}}}";

  /**
   * Runs the readers of the set manifest, the folder manifest and the folder delta over one
   * small sample of each, e.g. while a connection to the target is being opened, so that their
   * classes are loaded and linked before the first download (ADR 0029; since ADR 0037 these are
   * the streaming {@link ManifestReader}, not databind).
   */
  public static void warmUp() {
    String controlFiles = "[{\"name\":\"dovecot-uidlist\",\"size\":1,\"sha256\":\"00\"}]";
    String head = "\"set\":\"" + SAMPLE_SET + "\",\"account\":\"a@b\",\"folder\":\"INBOX\","
        + "\"controlFiles\":" + controlFiles;
    ManifestReader.read(("{\"format\":4,\"set\":\"" + SAMPLE_SET + "\",\"kind\":\"full\",\"scope\":\"all\","
        + "\"created\":\"2000-01-01T00:00:00Z\",\"parent\":null,\"folders\":[{\"account\":\"a@b\","
        + "\"folder\":\"INBOX\",\"dir\":\"b/a/INBOX\",\"manifestSize\":1,\"manifestSha256\":\"00\","
        + "\"tarSize\":0,\"tarSha256\":\"\",\"messages\":1,\"written\":0,\"manifestSet\":\""
        + SAMPLE_SET + "\",\"deltaBase\":{\"set\":\"" + SAMPLE_SET + "\",\"size\":1,\"sha256\":\"00\"}}],"
        + "\"skipped\":[]}").getBytes(StandardCharsets.UTF_8), SetManifest.class);
    ManifestReader.read(("{" + head + ",\"messages\":" + SAMPLE_MESSAGE + "}").getBytes(StandardCharsets.UTF_8),
        FolderManifest.class);
    ManifestReader.read(("{" + head + ",\"changed\":" + SAMPLE_MESSAGE + ",\"removed\":[\"2.M2P2.x\"]}")
        .getBytes(StandardCharsets.UTF_8), FolderDelta.class);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
