package io.mailops.jobs.cli;

import io.mailops.storage.queue.postfix.Backoff;
import io.mailops.storage.queue.postfix.PostfixConfig;
import io.mailops.storage.queue.postfix.PostfixQueue;
import io.mailops.storage.queue.postfix.QueueException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code mailops queue list|show|stats|hold|release|delete|requeue}: the Postfix queue, read
 * from its files like {@code postqueue -j} and {@code qshape}; changes go through
 * {@code postsuper}. Finds the queue with {@code --queue-dir}, else {@code mailops.queue-dir} when
 * it was changed, else {@code postconf -c CONFIG_DIR -h queue_directory}, else
 * {@code /var/spool/postfix}.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
    description = "The Postfix queue (mqview-like): read from the queue files; changes only through postsuper.",
    footer = {"", "Reading the queue needs root or the postfix user. Exit codes: 0 done, 1 failed, 2 bad usage,"
        + " 3 done but some queue files could not be read (listed)."})
public final class QueueCommand {

  static final String DEFAULT_QUEUE_DIR = "/var/spool/postfix";
  static final String DEFAULT_CONFIG_DIR = "/etc/postfix";

  @ParentCommand
  MailOpsCommand root;

  @Option(names = "--queue-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Postfix queue_directory (default: mailops.queue-dir if set, else postconf -h queue_directory, "
          + "else " + DEFAULT_QUEUE_DIR + ").")
  Path queueDir;

  @Option(names = "--config-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Postfix configuration directory of the instance (default: mailops.config-dir, " + DEFAULT_CONFIG_DIR + ").")
  Path configDir;

  @Option(names = "--now", scope = ScopeType.INHERIT, hidden = true, paramLabel = "EPOCH_SECONDS",
      description = "Measure ages at this time instead of the clock (reproducible reports, tests).")
  Long now;

  private PostfixConfig config;
  private QueueException configError;
  private boolean configRead;

  /** The clock ages are measured with. */
  Clock clock() {
    return now == null ? Clock.systemDefaultZone() : Clock.fixed(Instant.ofEpochSecond(now), ZoneId.systemDefault());
  }

  Path configDir() throws IOException {
    return configDir != null ? configDir : Path.of(root.settings().get("mailops.config-dir", DEFAULT_CONFIG_DIR));
  }

  /** The queue directory in effect; see the class comment. */
  Path queueDir() throws IOException {
    if (queueDir != null) {
      return queueDir;
    }
    String configured = root.settings().get("mailops.queue-dir", DEFAULT_QUEUE_DIR);
    if (!configured.equals(DEFAULT_QUEUE_DIR)) {
      return Path.of(configured);
    }
    Optional<PostfixConfig> c = config();
    if (c.isEmpty() && configError != null && configDir != null) {
      throw configError;   // an explicit --config-dir that postconf cannot read is a mistake
    }
    return c.map(PostfixConfig::queueDirectory).orElse(Path.of(DEFAULT_QUEUE_DIR));
  }

  /** The queue, read with up to four threads (on 2 cores, two cut a 20,000-message listing by a third). */
  PostfixQueue queue() throws IOException {
    return PostfixQueue.at(queueDir(), clock(), Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /** postconf's view of the instance, or empty if postconf is missing or fails. */
  Optional<PostfixConfig> config() throws IOException {
    if (!configRead) {
      configRead = true;
      Optional<Path> postconf = program("postconf");
      if (postconf.isPresent()) {
        try {
          config = PostfixConfig.read(postconf.get(), configDir());
        } catch (QueueException e) {
          configError = e;
        }
      }
    }
    return Optional.ofNullable(config);
  }

  /** The backoff settings: postconf's, else Postfix's defaults. */
  Backoff backoff() throws IOException {
    return config().map(PostfixConfig::backoff).orElse(Backoff.DEFAULTS);
  }

  /**
   * A Postfix program on {@code $PATH}, then in /usr/sbin, /usr/local/sbin and /sbin (cron's
   * PATH often lacks the sbin directories).
   */
  Optional<Path> program(String name) {
    List<String> dirs = new ArrayList<>(List.of(root.env.getOrDefault("PATH", "/usr/bin:/bin").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
