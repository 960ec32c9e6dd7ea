package io.mailops.snmp;

import java.time.Duration;
import java.util.List;

/**
 * Where the agent's notifications go and when it raises alarms.
 *
 * @param targets the configured trap targets
 * @param sendToAllManagers also send to every manager that queried the agent with a valid community
 *     or v3 user lately, at its address and {@code managerTrapPort}, as it queried (same community or user)
 * @param managerTrapPort the port notifications to querying managers go to (162)
 * @param maxManagers at most this many querying managers are remembered; the least recent goes first
 * @param managerTtl a manager silent this long is forgotten
 * @param queueHigh raise {@code moQueueHigh} when {@code queue.total} rises above this; 0 turns it off
 * @param collectorStall raise {@code moCollectorStalled} when the newest {@code collector.last_run}
 *     is older than this; zero turns it off
 * @param checkEvery how often the alarms are checked against the reporting store
 */
public record TrapSettings(List<TrapTarget> targets, boolean sendToAllManagers, int managerTrapPort, int maxManagers,
    Duration managerTtl, long queueHigh, Duration collectorStall, Duration checkEvery) {

  /** No targets, no alarms. */
  public static final TrapSettings NONE = new TrapSettings(List.of(), false, 162, 32, Duration.ofHours(24), 0,
      Duration.ZERO, Duration.ofMinutes(1));

  /** Checks ranges, naming the setting. */
  public TrapSettings {
    targets = List.copyOf(targets == null ? List.of() : targets);
    if (managerTrapPort < 1 || managerTrapPort > 65535) {
      throw new IllegalArgumentException("manager trap port must be 1 to 65535, got " + managerTrapPort);
    }
    if (maxManagers < 1 || maxManagers > 1000) {
      throw new IllegalArgumentException("max managers must be 1 to 1000, got " + maxManagers);
    }
    if (managerTtl == null || managerTtl.isNegative() || managerTtl.isZero()) {
      throw new IllegalArgumentException("manager TTL must be positive, got " + managerTtl);
    }
    if (queueHigh < 0) {
      throw new IllegalArgumentException("queue-high threshold must be 0 (off) or more, got " + queueHigh);
    }
    if (collectorStall == null || collectorStall.isNegative()) {
      throw new IllegalArgumentException("collector-stalled delay must be 0 (off) or more, got " + collectorStall);
    }
    if (checkEvery == null || checkEvery.toMillis() < 10) {
      throw new IllegalArgumentException("alarm check interval must be at least 10 ms, got " + checkEvery);
    }
  }

  /** A copy with other targets. */
  public TrapSettings withTargets(List<TrapTarget> t) {
    return new TrapSettings(t, sendToAllManagers, managerTrapPort, maxManagers, managerTtl, queueHigh, collectorStall,
        checkEvery);
  }

  /** A copy with querying managers as targets ({@code on}) or not, notifications to {@code port}. */
  public TrapSettings withManagers(boolean on, int port, int max, Duration ttl) {
    return new TrapSettings(targets, on, port, max, ttl, queueHigh, collectorStall, checkEvery);
  }

  /** A copy with other alarms. */
  public TrapSettings withAlarms(long queue, Duration stall, Duration every) {
    return new TrapSettings(targets, sendToAllManagers, managerTrapPort, maxManagers, managerTtl, queue, stall, every);
  }
}
