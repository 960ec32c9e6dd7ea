package io.mailops.storage.queue.postfix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real Postfix queue under {@code src/test/resources/postfix-queue/} (made by
 * {@code scripts/testdata/make-postfix-queue.sh}), copied into a directory with the modes and
 * mtimes Postfix gave the files (git keeps neither). Shared with other modules through the
 * test-jar; reads the resources from the classpath, so it works from a jar too.
 */
public final class PostfixQueueFixture {

  private static final String ROOT = "postfix-queue/";

  private PostfixQueueFixture() {}

  /** Copies the real queue to {@code dir} (which becomes a queue directory) and returns it. */
  public static Path copyTo(Path dir) throws IOException {
    copy("", dir);
    return dir;
  }

  /** Like {@link #copyTo}, plus a truncated queue file and a random-byte one in deferred/. */
  public static Path copyWithBrokenFilesTo(Path dir) throws IOException {
    copy("", dir);
    copy("broken/", dir);
    return dir;
  }

  /** Scenario name → queue ID (alice, multi, nullsender, quoted, extract, bounce, smtp, milter, long, longhold, drop). */
  public static Map<String, String> ids() {
    Map<String, String> ids = new LinkedHashMap<>();
    for (String line : lines("ids.txt")) {
      ids.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
    }
    return ids;
  }

  /** The queue ID of a scenario. */
  public static QueueId id(String scenario) {
    String v = ids().get(scenario);
    if (v == null) {
      throw new IllegalArgumentException("no scenario " + scenario + " in " + ROOT + "ids.txt");
    }
    return QueueId.of(v);
  }

  /** The lines of {@code expected/NAME} (postqueue -j, qshape and postconf output). */
  public static List<String> expected(String name) {
    return lines("expected/" + name);
  }

  /** The qshape cases: each {name, epoch second, arguments...}. */
  public static List<String[]> qshapeCases() {
    List<String[]> cases = new ArrayList<>();
    for (String line : expected("qshape-cases.txt")) {
      cases.add(line.trim().split("\\s+"));
    }
    return cases;
  }

  /** The first arrival time in the queue (the qshape cases count from it). */
  public static Instant firstArrival() {
    long min = Long.MAX_VALUE;
    for (String l : expected("postqueue-j.jsonl")) {
      int i = l.indexOf("\"arrival_time\": ") + 16;
      min = Math.min(min, Long.parseLong(l.substring(i, l.indexOf(',', i))));
    }
    return Instant.ofEpochSecond(min);
  }

  /** The Backoff settings of the instance that made the queue (postconf output). */
  public static Backoff backoff() {
    List<String> p = expected("postconf.txt");
    try {
      return new Backoff(PostfixConfig.time(p.get(0), "min"), PostfixConfig.time(p.get(1), "max"),
          PostfixConfig.time(p.get(2), "delay"));
    } catch (QueueException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy(String prefix, Path dir) throws IOException {
    for (String line : lines(prefix + "files.txt")) {
      String[] f = line.split(" ", 3);
      Path target = dir.resolve(f[2]);
      Files.createDirectories(target.getParent());
      try (InputStream in = resource(prefix + (prefix.isEmpty() ? "spool/" : "") + f[2])) {
        Files.copy(in, target);
      }
      Files.setPosixFilePermissions(target, permissions(Integer.parseInt(f[0], 8)));
      Files.setLastModifiedTime(target, FileTime.from(Instant.ofEpochSecond(Long.parseLong(f[1]))));
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int i = 0; i < all.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(all[i]);
      }
    }
    return s;
  }

  private static List<String> lines(String name) {
    try (InputStream in = resource(name)) {
      List<String> out = new ArrayList<>();
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!l.isEmpty()) {
          out.add(l);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = PostfixQueueFixture.class.getClassLoader().getResourceAsStream(ROOT + name);
    if (in == null) {
      throw new IOException("test resource " + ROOT + name + " is missing; run scripts/testdata/make-postfix-queue.sh");
    }
    return in;
  }
}
