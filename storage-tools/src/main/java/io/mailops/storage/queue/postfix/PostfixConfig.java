package io.mailops.storage.queue.postfix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Postfix settings the queue tools need, read with {@code postconf -c DIR -h}.
 *
 * @param configDirectory the instance's configuration directory ({@code -c})
 * @param queueDirectory {@code queue_directory}
 * @param backoff {@code minimal_backoff_time}, {@code maximal_backoff_time}, {@code queue_run_delay}
 */
public record PostfixConfig(Path configDirectory, Path queueDirectory, Backoff backoff) {

  /** Postfix's default {@code queue_directory}. */
  public static final Path DEFAULT_QUEUE_DIRECTORY = Path.of("/var/spool/postfix");

  public PostfixConfig {
    if (configDirectory == null || queueDirectory == null || backoff == null) {
      throw new IllegalArgumentException("Postfix configuration needs a config directory, a queue directory and backoff times");
    }
  }

  /** Postfix's defaults, for when {@code postconf} is not installed. */
  public static PostfixConfig defaults(Path configDirectory) {
    return new PostfixConfig(configDirectory, DEFAULT_QUEUE_DIRECTORY, Backoff.DEFAULTS);
  }

  /**
   * Runs {@code postconf -c configDirectory -h queue_directory minimal_backoff_time
   * maximal_backoff_time queue_run_delay}.
   *
   * @param postconf the postconf program
   * @throws QueueException if postconf fails (the message carries its error line) or prints
   *     something unexpected
   */
  public static PostfixConfig read(Path postconf, Path configDirectory) throws QueueException {
    List<String> out = run(List.of(postconf.toString(), "-c", configDirectory.toString(), "-h",
        "queue_directory", "minimal_backoff_time", "maximal_backoff_time", "queue_run_delay"),
        "postconf -c " + configDirectory, "check --config-dir (the directory with main.cf)");
    if (out.size() != 4) {
      throw new QueueException("postconf -c " + configDirectory + " printed " + out.size()
          + " lines instead of 4; check that " + postconf + " is Postfix's postconf");
    }
    Backoff b = new Backoff(time(out.get(1), "minimal_backoff_time"), time(out.get(2), "maximal_backoff_time"),
        time(out.get(3), "queue_run_delay"));
    return new PostfixConfig(configDirectory, Path.of(out.get(0)), b);
  }

  /** A Postfix time value: a number with an optional unit s, m, h, d or w (default seconds). */
  static Duration time(String value, String name) throws QueueException {
    String v = value.strip();
    long unit = 1;
    if (!v.isEmpty() && !Character.isDigit(v.charAt(v.length() - 1))) {
      unit = switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
        case 's' -> 1;
        case 'm' -> 60;
        case 'h' -> 3600;
        case 'd' -> 86400;
        case 'w' -> 604800;
        default -> -1;
      };
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (unit > 0 && n >= 0) {
        return Duration.ofSeconds(n * unit);
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new QueueException("postconf: " + name + " = '" + value
        + "' is not a Postfix time value (number with s, m, h, d or w); fix it in main.cf");
  }

  /** Runs {@code command}, returns its standard output lines; a failure is one-line {@link QueueException}. */
  static List<String> run(List<String> command, String what, String advice) throws QueueException {
    return run(command, null, what, advice).stdout();
  }

  /** Output of a finished command. */
  record Result(int exit, List<String> stdout, List<String> stderr) {}

  /**
   * Runs {@code command} with {@code input} (or nothing) on its standard input.
   *
   * @param what names the command in messages ("postsuper -h")
   * @param advice the next action when it fails
   * @throws QueueException if it cannot start, fails (its last error line is quoted) or hangs
   */
  static Result run(List<String> command, String input, String what, String advice) throws QueueException {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new QueueException("cannot run " + command.get(0) + ": " + e.getMessage()
          + "; is Postfix installed?", e);
    }
    Result r;
    try {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> copy(p.getErrorStream(), err), "postfix-stderr");
      drain.setDaemon(true);
      drain.start();
      try (var in = p.getOutputStream()) {
        if (input != null) {
          in.write(input.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // the program did not read its input; its exit status tells
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copy(p.getInputStream(), out);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new QueueException(what + " did not finish within 60 s; " + advice);
      }
      drain.join(5000);
      r = new Result(p.exitValue(), lines(out), lines(err));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new QueueException(what + " was interrupted", e);
    }
    if (r.exit() != 0) {
      String line = r.stderr().isEmpty() ? "exit code " + r.exit() : r.stderr().get(r.stderr().size() - 1);
      throw new QueueException(what + " failed: " + line + "; " + advice);
    }
    return r;
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process went away; what it wrote so far is kept
    }
  }

  private static List<String> lines(ByteArrayOutputStream b) {
    List<String> l = new ArrayList<>();
    for (String s : b.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!s.isBlank()) {
        l.add(s.strip());
      }
    }
    return l;
  }
}
