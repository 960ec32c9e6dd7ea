package io.mailops.storage.queue.postfix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Changes the queue the only supported way: {@code postsuper -c DIR -h|-H|-d|-r -} with the
 * queue IDs on standard input. Queue files are never edited here. Thread-safe.
 */
public final class PostSuper {

  /** What to do with the messages. */
  public enum Action {
    /** {@code -h}: put on hold (no delivery attempts). */
    HOLD("-h", "hold"),
    /** {@code -H}: release from hold. */
    RELEASE("-H", "release"),
    /** {@code -d}: delete. */
    DELETE("-d", "delete"),
    /** {@code -r}: requeue (pick up again, rewriting addresses with the current configuration). */
    REQUEUE("-r", "requeue");

    private final String flag;
    private final String verb;

    Action(String flag, String verb) {
      this.flag = flag;
      this.verb = verb;
    }

    /** The postsuper option. */
    public String flag() {
      return flag;
    }

    /** "hold", "release", "delete", "requeue". */
    public String verb() {
      return verb;
    }
  }

  /**
   * What postsuper reported.
   *
   * @param command the command line that ran
   * @param messages postsuper's lines ("postsuper: C2F7D410866: placed on hold", "postsuper:
   *     Placed on hold: 1 message")
   */
  public record Outcome(List<String> command, List<String> messages) {
    public Outcome {
      command = List.copyOf(command);
      messages = List.copyOf(messages);
    }
  }

  private final Path program;
  private final Path configDirectory;

  /**
   * @param program the postsuper program
   * @param configDirectory the instance's configuration directory ({@code -c})
   */
  public PostSuper(Path program, Path configDirectory) {
    if (program == null || configDirectory == null) {
      throw new IllegalArgumentException("postsuper needs the program and a configuration directory");
    }
    this.program = program;
    this.configDirectory = configDirectory;
  }

  /** The command line {@link #run} executes (IDs go to standard input). */
  public List<String> command(Action action) {
    return List.of(program.toString(), "-c", configDirectory.toString(), action.flag(), "-");
  }

  /**
   * Applies {@code action} to {@code ids} in one postsuper run.
   *
   * @throws QueueException if postsuper fails; the message carries its last error line
   */
  public Outcome run(Action action, Collection<QueueId> ids) throws QueueException {
    StringBuilder in = new StringBuilder();
    for (QueueId id : ids) {
      in.append(id.value()).append('\n');
    }
    List<String> cmd = command(action);
    PostfixConfig.Result r = PostfixConfig.run(cmd, in.toString(), "postsuper " + action.flag(),
        "run as root, and check --config-dir");
    List<String> lines = new ArrayList<>(r.stderr());
    lines.addAll(r.stdout());
    return new Outcome(cmd, lines);
  }
}
