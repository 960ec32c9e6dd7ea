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

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
