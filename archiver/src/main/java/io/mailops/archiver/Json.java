package io.mailops.archiver;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON of the archive's records and state files (Jackson). Thread-safe. */
final class Json {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private Json() {}

  static byte[] write(Object value) {
    return MAPPER.writeValueAsBytes(value);
  }

  /**
   * Parses {@code json} as {@code type}.
   *
   * @param what names the file or entry in the error message
   */
  static <T> T read(byte[] json, Class<T> type, String what) throws ArchiveException {
    try {
      return MAPPER.readValue(json, type);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new ArchiveException(what + " is damaged (not valid JSON for " + type.getSimpleName()
          + "); run mailops archive verify", e);
    }
  }
}
