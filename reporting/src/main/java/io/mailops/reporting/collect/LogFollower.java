package io.mailops.reporting.collect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Follows one live log file ({@code /var/log/mail.log}) across restarts and rotation. The position
 * saved after the last read names the file by inode and first-line hash; the next read continues
 * there. When the live name now holds another file (rotated: new inode, another first line, or
 * shorter than the saved offset after {@code copytruncate}), the rotated file is looked up beside it ({@code mail.log.1}, {@code mail.log.2.gz},
 * {@code mail.log-20250202} …, matched by its first line, so compression does not matter) and read to
 * its end from the saved offset first; then the new file from its start. When it is not there, the
 * unread end is lost and a warning says so. While the live name is missing (rotated, the new file not
 * created yet) the rotated file is finished alone. Only whole lines are passed for the live file; a line
 * still being written is left for the next read.
 *
 * <p>Not thread-safe; one follower per live file.
 */
public final class LogFollower {

  /** Receives each line with the position just after it (what to save once it is counted). */
  @FunctionalInterface
  public interface Handler {
    /** One line, without its terminator. */
    void line(String line, FilePosition after) throws IOException;
  }

  private static final int MAX_ROTATED = 50;

  private final Path live;
  private final String source;

  /** A follower of {@code live}; no I/O happens here. */
  public LogFollower(Path live) {
    this.live = live.toAbsolutePath().normalize();
    this.source = "follow:" + this.live;
  }

  /** The name its positions are saved under: {@code follow:} and the absolute path. */
  public String source() {
    return source;
  }

  /**
   * Reads what was written since {@code saved} (everything when empty) and returns the position to
   * save next, with the warnings of this read in {@code warnings} (a rotated file that could not be
   * found: its unread end is lost).
   *
   * @throws io.mailops.reporting.ReportingException naming the file when it cannot be read
   */
  public FilePosition read(Optional<FilePosition> saved, Handler handler, List<String> warnings)
      throws IOException {
    if (saved.isPresent() && !saved.get().firstLineHash().isEmpty() && !Files.exists(live)) {
      // between logrotate's rename and the first line of the new file: finish the rotated one
      FilePosition s = saved.get();
      Optional<Path> rotated = rotated(s.firstLineHash());
      if (rotated.isPresent()) {
        long end = LogReader.read(rotated.get(), s.offset(), true,
            (line, e) -> handler.line(line, new FilePosition(source, s.fileKey(), s.firstLineHash(), e)));
        return new FilePosition(source, s.fileKey(), s.firstLineHash(), end);
      }
    }
    LogReader.Identity cur = LogReader.identity(live);
    FilePosition start = new FilePosition(source, cur.key(), cur.firstLineHash(), 0);
    if (saved.isPresent()) {
      FilePosition s = saved.get();
      boolean same = s.fileKey().equals(cur.key())
          && (s.firstLineHash().isEmpty() || s.firstLineHash().equals(cur.firstLineHash()));
      if (same && (cur.size() >= s.offset() || LogReader.gzip(live))) {
        start = new FilePosition(source, cur.key(), cur.firstLineHash(), s.offset());
      } else if (!s.firstLineHash().isEmpty() && s.offset() > 0) {
        // rotated (renamed, compressed, or copied and truncated): finish the old content first
        Optional<Path> rotated = rotated(s.firstLineHash());
        if (rotated.isPresent()) {
          String key = s.fileKey();
          String hash = s.firstLineHash();
          LogReader.read(rotated.get(), s.offset(), true,
              (line, end) -> handler.line(line, new FilePosition(source, key, hash, end)));
        } else {
          warnings.add("log file " + live + " was rotated, truncated or replaced and its earlier content (first"
              + " line hash " + s.firstLineHash().substring(0, 12) + ") is not beside it; its lines after byte "
              + s.offset() + " are not counted (backfill them with --from-logs)");
        }
      }
    }
    FilePosition from = start;
    long end = LogReader.read(live, from.offset(), false,
        (line, e) -> handler.line(line, new FilePosition(source, from.fileKey(), from.firstLineHash(), e)));
    return new FilePosition(source, from.fileKey(), from.firstLineHash(), end);
  }

  /** The rotated file beside the live one whose first line has {@code hash}, newest rotation first. */
  private Optional<Path> rotated(String hash) throws IOException {
    Path dir = live.getParent();
    String name = live.getFileName().toString();
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
        p -> {
          String n = p.getFileName().toString();
          return (n.startsWith(name + ".") || n.startsWith(name + "-")) && Files.isRegularFile(p);
        })) {
      ds.forEach(candidates::add);
    }
    candidates.sort((a, b) -> {
      int byAge = Long.compare(modified(b), modified(a));
      return byAge != 0 ? byAge : a.compareTo(b);
    });
    for (Path p : candidates.subList(0, Math.min(MAX_ROTATED, candidates.size()))) {
      if (Files.isReadable(p) && hash.equals(LogReader.firstLineHash(p))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
