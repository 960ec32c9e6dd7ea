package io.mailops.jobs.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the kill and stop tests read of a running backup: its checkpoint and the files it uploaded. */
public final class BackupCheckpoint {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private BackupCheckpoint() {}

  /**
   * The checkpoint of the backup in progress ({@code STATE/*.json}; {@code completed} lists the
   * folders on the target), or null when there is none or it is being replaced right now.
   */
  public static JsonNode read(Path state) throws IOException {
    if (!Files.isDirectory(state)) {
      return null;
    }
    try (Stream<Path> s = Files.list(state)) {
      Path f = s.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElse(null);
      if (f == null) {
        return null;
      }
      try {
        return JSON.readTree(Files.readString(f));
      } catch (RuntimeException | IOException e) {
        return null; // being replaced right now
      }
    }
  }

  /** The file's identity (inode and modification time): changes when the file is written again. */
  public static Object identity(Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
    return a.fileKey() + "@" + a.lastModifiedTime().toMillis();
  }
}
