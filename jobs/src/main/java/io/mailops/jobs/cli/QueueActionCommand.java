package io.mailops.jobs.cli;

import io.mailops.storage.queue.postfix.PostSuper;
import io.mailops.storage.queue.postfix.PostfixConfig;
import io.mailops.storage.queue.postfix.PostfixQueue;
import io.mailops.storage.queue.postfix.QueueId;
import io.mailops.storage.queue.postfix.QueueListing;
import io.mailops.storage.queue.postfix.QueueName;
import io.mailops.storage.queue.postfix.QueueProblem;
import io.mailops.storage.queue.postfix.QueuedMessage;
import io.mailops.storage.queue.postfix.QueuedRecipient;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mailops queue hold|release|delete|requeue (ID... | --all-matching FILTERS) [--dry-run]}:
 * one {@code postsuper -c CONFIG_DIR -h|-H|-d|-r -} run with the IDs on standard input. Queue
 * files are never touched here. More than one message on a terminal asks first (or --yes);
 * without a terminal it acts like postsuper, and prints every message it acts on.
 */
public abstract class QueueActionCommand implements Callable<Integer> {

  @ParentCommand
  QueueCommand parent;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", arity = "0..*", description = "Queue IDs (as 'mailops queue list' shows them).")
  List<String> ids;

  @Option(names = "--all-matching", description = "Every message that matches the filters (instead of IDs).")
  boolean allMatching;

  @Mixin
  QueueFilterOptions filters;

  @Option(names = {"-n", "--dry-run"}, description = "Print what would be done; change nothing.")
  boolean dryRun;

  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation on a terminal.")
  boolean yes;

  abstract PostSuper.Action action();

  /** Where --all-matching looks when --queue is not given. */
  Set<QueueName> defaultQueues() {
    return QueueName.SHOWQ;
  }

  @Override
  public Integer call() throws Exception {
    boolean hasIds = ids != null && !ids.isEmpty();
    if (hasIds == allMatching) {
      throw new IllegalArgumentException(hasIds ? "give queue IDs or --all-matching, not both"
          : "name the messages: queue IDs, or --all-matching with filters (--from, --to, --reason, ...)");
    }
    if (hasIds && (filters.any() || filters.queues != null)) {
      throw new IllegalArgumentException("filters (--queue, --from, --to, ...) need --all-matching");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PostfixQueue queue = parent.queue();
    Map<QueueId, QueuedMessage> targets = new LinkedHashMap<>();
    int missing = 0;
    List<QueueProblem> problems = List.of();
    if (hasIds) {
      for (String raw : ids) {
        QueueId id = QueueId.of(raw.replaceAll("[*!#]+$", ""));
        Optional<QueuedMessage> m = queue.find(id);
        if (m.isPresent()) {
          targets.put(id, m.get());
        } else {
          missing++;
          err.println("mailops: no message " + id + " in the Postfix queue " + queue.directory()
              + "; see 'mailops queue list'");
        }
      }
    } else {
      QueueListing l = queue.list(filters.queues(defaultQueues()));
      Instant now = parent.clock().instant();
      for (QueuedMessage m : l.messages()) {
        if (filters.filter().test(m, now)) {
          targets.put(m.id(), m);
        }
      }
      problems = l.problems();
      for (QueueProblem p : problems) {
        err.println("mailops: skipped damaged queue file " + p);
      }
    }
    String verb = action().verb();
    if (targets.isEmpty()) {
      out.println("No message to " + verb + (allMatching ? " matches the filters." : "."));
      out.flush();
      err.flush();
      return hasIds ? ExitCode.FAILED : problems.isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
    }
    PostSuper postsuper = postsuper(queue.directory());
    String command = String.join(" ", postsuper.command(action())).replaceFirst("^\\S*/", "");
    for (QueuedMessage m : targets.values()) {
      out.println((dryRun ? "would " + verb + " " : verb + " ") + m.id() + "  " + describe(m));
    }
    if (dryRun) {
      out.println("Dry run: " + targets.size() + plural(targets.size()) + " would go to '" + command
          + "'; nothing was changed.");
      out.flush();
      return ExitCode.OK;
    }
    if (targets.size() > 1 && parent.root.terminal && !yes && !confirm(verb, targets.size(), err)) {
      return ExitCode.FAILED;
    }
    out.flush();
    PostSuper.Outcome o = postsuper.run(action(), targets.keySet());
    for (String line : o.messages()) {
      out.println(line);
    }
    out.println(capitalized(verb) + ": " + targets.size() + plural(targets.size()) + " through '" + command + "'.");
    out.flush();
    err.flush();
    return missing > 0 || !problems.isEmpty() ? ExitCode.PARTIAL : ExitCode.OK;
  }

  /**
   * postsuper for the instance whose queue we read: if postconf says the configuration directory
   * belongs to another queue directory, acting would change the wrong queue.
   */
  private PostSuper postsuper(Path queueDir) throws IOException {
    Path program = parent.program("postsuper").orElseThrow(() -> new IOException(
        "postsuper not found on PATH or in /usr/sbin; install Postfix or add its sbin directory to PATH"));
    Optional<PostfixConfig> c = parent.config();
    if (c.isPresent() && !sameDir(c.get().queueDirectory(), queueDir)) {
      throw new IOException("the Postfix configuration in " + parent.configDir() + " uses the queue "
          + c.get().queueDirectory() + ", not " + queueDir + "; pass --config-dir of the instance that owns "
          + queueDir);
    }
    return new PostSuper(program, parent.configDir());
  }

  private static boolean sameDir(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  private boolean confirm(String verb, int n, PrintWriter err) {
    Console console = System.console();
    if (console == null) {
      err.println("mailops: will not " + verb + " " + n + " messages without confirmation and no console to ask on; "
          + "add --yes");
      err.flush();
      return false;
    }
    String answer = console.readLine("%s %d messages? [y/N] ", capitalized(verb), n);
    if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
      err.println("mailops: nothing done");
      err.flush();
      return false;
    }
    return true;
  }

  static String describe(QueuedMessage m) {
    List<String> rcpts = new ArrayList<>();
    for (QueuedRecipient r : m.showqRecipients()) {
      rcpts.add(r.address());
    }
    String to = rcpts.isEmpty() ? "(no recipient left)" : rcpts.size() <= 3 ? String.join(", ", rcpts)
        : String.join(", ", rcpts.subList(0, 3)) + " +" + (rcpts.size() - 3);
    return "(" + m.queue() + ", " + (m.sender().isEmpty() ? "<>" : m.sender()) + " -> " + to + ")";
  }

  private static String plural(int n) {
    return n == 1 ? " message" : " messages";
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** {@code mailops queue hold}: postsuper -h. */
  @Command(name = "hold", mixinStandardHelpOptions = true,
      description = "Put messages on hold (postsuper -h): no delivery attempts until released.")
  public static final class Hold extends QueueActionCommand {
    @Override
    PostSuper.Action action() {
      return PostSuper.Action.HOLD;
    }
  }

  /** {@code mailops queue release}: postsuper -H. */
  @Command(name = "release", mixinStandardHelpOptions = true,
      description = "Release held messages (postsuper -H); --all-matching looks in the hold queue unless --queue says otherwise.")
  public static final class Release extends QueueActionCommand {
    @Override
    PostSuper.Action action() {
      return PostSuper.Action.RELEASE;
    }

    @Override
    Set<QueueName> defaultQueues() {
      return EnumSet.of(QueueName.HOLD);
    }
  }

  /** {@code mailops queue delete}: postsuper -d. */
  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete messages from the queue (postsuper -d); they are not returned to the sender.")
  public static final class Delete extends QueueActionCommand {
    @Override
    PostSuper.Action action() {
      return PostSuper.Action.DELETE;
    }
  }

  /** {@code mailops queue requeue}: postsuper -r. */
  @Command(name = "requeue", mixinStandardHelpOptions = true,
      description = "Requeue messages (postsuper -r): picked up again with a new queue ID and the current address rewriting.")
  public static final class Requeue extends QueueActionCommand {
    @Override
    PostSuper.Action action() {
      return PostSuper.Action.REQUEUE;
    }
  }
}
