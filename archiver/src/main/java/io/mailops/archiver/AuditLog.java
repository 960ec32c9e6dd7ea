package io.mailops.archiver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archive's {@code audit.log}: append-only JSON Lines, one object per access, {@code
 * {"time":"…","actor":"admin","action":"search","details":{…}}}. The actor is {@code admin} or
 * the address a command ran as. Each line is written with one append and forced to disk.
 * Thread-safe.
 */
public final class AuditLog {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final Clock clock;

  AuditLog(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  /**
   * Appends one entry.
   *
   * @param actor {@code admin} or an address
   * @param action e.g. {@code search}, {@code show}, {@code export}, {@code resend}
   * @param details what was asked (query, message ids, recipients); values are written as text
   */
  public synchronized void record(String actor, String action, Map<String, String> details)
      throws IOException {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", clock.instant().toString());
    line.put("actor", actor);
    line.put("action", action);
    line.put("details", new LinkedHashMap<>(details));
    byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    try (var ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(bytes));
      ch.force(false);
    } catch (IOException e) {
      throw new ArchiveException("cannot append to the audit log " + file + " ("
          + e.getMessage() + "); check the permissions of the archive directory", e);
    }
  }

}
