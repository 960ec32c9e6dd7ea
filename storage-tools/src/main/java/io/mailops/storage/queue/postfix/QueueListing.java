package io.mailops.storage.queue.postfix;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The result of reading one or more queues: the messages (ordered by queue as {@code postqueue
 * -j} orders them, then arrival, then ID) and the files that could not be read.
 *
 * @param queues the queue directories that were read
 * @param messages readable messages
 * @param problems unreadable queue files, each counted once
 * @param readAt when the listing was taken
 */
public record QueueListing(Set<QueueName> queues, List<QueuedMessage> messages,
    List<QueueProblem> problems, Instant readAt) {

  public QueueListing {
    if (queues == null || messages == null || problems == null || readAt == null) {
      throw new IllegalArgumentException("a queue listing needs queues, messages, problems and a time");
    }
    EnumSet<QueueName> q = EnumSet.noneOf(QueueName.class);
    q.addAll(queues);
    queues = Collections.unmodifiableSet(q);
    messages = List.copyOf(messages);
    problems = List.copyOf(problems);
  }
}
