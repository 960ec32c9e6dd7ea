package io.mailops.backup;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the manifest records as JSON (UTF-8). Written compact, without indentation:
 * a folder manifest's indentation was a third of its bytes ({@code jq .} shows it indented);
 * readers accept either. Thread-safe.
 */
public final class ManifestCodec {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ManifestCodec() {}

  /** The JSON bytes of a manifest record. */
  public static byte[] write(Object manifest) {
    return JSON.writeValueAsBytes(manifest);
  }

  /**
   * Parses {@code json} as {@code type}.
   *
   * @param file names the manifest for the error message
   * @throws BackupException naming {@code file} if it is not a valid manifest
   */
  public static <T> T read(byte[] json, Class<T> type, String file) throws BackupException {
    try {
      return JSON.readValue(json, type);
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
   * Builds the readers of the set manifest, the folder manifest and the folder delta by reading
   * one small sample of each, e.g. while a connection to the target is being opened: in a new
   * process Jackson's first read of a type costs tens of milliseconds to build its deserializers
   * (reflection over the records), which a one-message restore otherwise pays between its
   * downloads (ADR 0029).
   */
  public static void warmUp() {
    String controlFiles = "[{\"name\":\"dovecot-uidlist\",\"size\":1,\"sha256\":\"00\"}]";
    String head = "\"set\":\"" + SAMPLE_SET + "\",\"account\":\"a@b\",\"folder\":\"INBOX\","
        + "\"controlFiles\":" + controlFiles;
    JSON.readValue("{\"format\":4,\"set\":\"" + SAMPLE_SET + "\",\"kind\":\"full\",\"scope\":\"all\","
        + "\"created\":\"2000-01-01T00:00:00Z\",\"parent\":null,\"folders\":[{\"account\":\"a@b\","
        + "\"folder\":\"INBOX\",\"dir\":\"b/a/INBOX\",\"manifestSize\":1,\"manifestSha256\":\"00\","
        + "\"tarSize\":0,\"tarSha256\":\"\",\"messages\":1,\"written\":0,\"manifestSet\":\""
        + SAMPLE_SET + "\",\"deltaBase\":{\"set\":\"" + SAMPLE_SET + "\",\"size\":1,\"sha256\":\"00\"}}],"
        + "\"skipped\":[]}", SetManifest.class);
    JSON.readValue("{" + head + ",\"messages\":" + SAMPLE_MESSAGE + "}", FolderManifest.class);
    JSON.readValue("{" + head + ",\"changed\":" + SAMPLE_MESSAGE + ",\"removed\":[\"2.M2P2.x\"]}",
        FolderDelta.class);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
