package io.mailops.storage.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code NAME.env} files that {@code scripts/interop/NAME.sh start DIR} writes, found through
 * {@code MAILOPS_INTEROP_DIR}. Shipped in the storage-tools test-jar for every module's ITs.
 */
public final class InteropEnv {

  public static final String DIR_VARIABLE = "MAILOPS_INTEROP_DIR";

  private InteropEnv() {}

  /**
   * Reads {@code $MAILOPS_INTEROP_DIR/<server>.env}.
   *
   * @throws IllegalStateException with a one-line how-to when the variable, the file or one of
   *     {@code required} is missing
   */
  public static Map<String, String> read(String server, String... required) throws IOException {
    String how = "start the servers with 'scripts/interop/all.sh start DIR' (or 'scripts/interop/"
        + server + ".sh start DIR') and 'export " + DIR_VARIABLE + "=DIR'";
    String dir = System.getenv(DIR_VARIABLE);
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException(DIR_VARIABLE + " is not set: " + how);
    }
    Path file = Path.of(dir, server + ".env");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no " + file + " (" + server + " not started there): " + how);
    }
    Map<String, String> kv = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    for (String key : required) {
      if (!kv.containsKey(key)) {
        throw new IllegalStateException(file + " has no " + key + "; restart " + server + ": " + how);
      }
    }
    return kv;
  }
}
