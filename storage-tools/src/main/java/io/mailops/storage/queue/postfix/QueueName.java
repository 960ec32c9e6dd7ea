package io.mailops.storage.queue.postfix;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/** The Postfix queues that hold messages ({@code src/global/mail_queue.h}). */
public enum QueueName {
  /** Local submissions not yet picked up; a different, preliminary file format. */
  MAILDROP,
  /** Written by cleanup; mode 0600 while being written, 0700 when ready. */
  INCOMING,
  /** Taken in by the queue manager. */
  ACTIVE,
  /** Delivery failed temporarily; the file's mtime is the next attempt. Hashed by default. */
  DEFERRED,
  /** On hold: no delivery attempts until released. */
  HOLD,
  /** Files Postfix could not read, moved aside. */
  CORRUPT;

  /** The queues {@code postqueue -j} lists, in its order (showq.c). */
  public static final Set<QueueName> SHOWQ =
      EnumSet.of(MAILDROP, ACTIVE, INCOMING, DEFERRED, HOLD);

  /** The queues {@code qshape} looks at without arguments. */
  public static final Set<QueueName> QSHAPE_DEFAULT = EnumSet.of(INCOMING, ACTIVE);

  private final String dir = name().toLowerCase(Locale.ROOT);

  /** The directory name under the queue directory. */
  public String dir() {
    return dir;
  }

  /** The position in {@code postqueue -j} output (maildrop, active, incoming, deferred, hold). */
  int showqOrder() {
    return switch (this) {
      case MAILDROP -> 0;
      case ACTIVE -> 1;
      case INCOMING -> 2;
      case DEFERRED -> 3;
      case HOLD -> 4;
      case CORRUPT -> 5;
    };
  }

  /**
   * Parses a directory name ("deferred").
   *
   * @throws IllegalArgumentException naming the bad value and the valid ones
   */
  public static QueueName of(String name) {
    for (QueueName q : values()) {
      if (q.dir().equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
        return q;
      }
    }
    StringJoiner valid = new StringJoiner(", ");
    for (QueueName q : values()) {
      valid.add(q.dir());
    }
    throw new IllegalArgumentException("unknown Postfix queue '" + name + "'; use one of " + valid);
  }

  @Override
  public String toString() {
    return dir();
  }
}
