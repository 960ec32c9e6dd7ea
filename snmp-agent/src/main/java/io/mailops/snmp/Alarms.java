package io.mailops.snmp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snmp4j.smi.Variable;

/**
 * When to raise {@code moQueueHigh} and {@code moCollectorStalled}: each once when its condition
 * becomes true, and again only after it was false at a check in between (no repeat while the queue
 * stays high). The queue is {@code queue.total}'s latest sample; the collector counts as stalled when
 * the newest {@code collector.last_run} (seconds since the epoch), or the agent's start when there is
 * none, is older than the delay. Not thread-safe; the agent checks from one thread.
 */
final class Alarms {

  private final Instant started;
  private boolean queueRaised;
  private boolean stallRaised;

  Alarms(Instant started) {
    this.started = started;
  }

  /** The notifications to raise now for {@code values} (those of {@link MetricsCache}) under {@code traps}. */
  List<OidLayout.Notification> check(Map<String, Variable> values, TrapSettings traps, Instant now) {
    List<OidLayout.Notification> raise = new ArrayList<>();
    Variable queue = values.get("queue.total");
    boolean high = traps.queueHigh() > 0 && queue != null && queue.toLong() > traps.queueHigh();
    if (high && !queueRaised) {
      raise.add(OidLayout.Notification.QUEUE_HIGH);
    }
    queueRaised = high;
    Variable lastRun = values.get("collector.last_run");
    Instant last = lastRun == null ? started : Instant.ofEpochSecond(lastRun.toLong());
    boolean stalled = !traps.collectorStall().isZero() && Duration.between(last, now).compareTo(traps.collectorStall()) > 0;
    if (stalled && !stallRaised) {
      raise.add(OidLayout.Notification.COLLECTOR_STALLED);
    }
    stallRaised = stalled;
    return raise;
  }
}
