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
  /** The checkpoint's file name suffix (JSON lines: a set line, then one line per folder). */
  public static final String SUFFIX = ".checkpoint";

  private BackupCheckpoint() {}

  /**
   * The checkpoint of the backup in progress ({@code STATE/*.checkpoint}) as one object:
   * {@code set} and {@code completed}, the folders on the target (complete lines only); null
   * when there is none or it is being replaced right now.
   */
  public static JsonNode read(Path state) throws IOException {
    if (!Files.isDirectory(state)) {
      return null;
    }
    try (Stream<Path> s = Files.list(state)) {
      Path f = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).findFirst().orElse(null);
      if (f == null) {
        return null;
      }
      try {
        String text = Files.readString(f);
        String[] lines = text.substring(0, text.lastIndexOf('\n') + 1).split("\n");
        tools.jackson.databind.node.ObjectNode out = JSON.createObjectNode();
        out.set("set", JSON.readTree(lines[0]).get("set"));
        tools.jackson.databind.node.ArrayNode done = out.putArray("completed");
        for (int i = 1; i < lines.length; i++) {
          done.add(JSON.readTree(lines[i]));
        }
        return out;
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
