package io.mailops.jobs.batch.migrate;

import io.mailops.migrator.wire.HostLimits;
import io.mailops.migrator.wire.WireIo;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The throttles shared by all account partitions of a run in this process: one
 * {@link HostLimits} per limit value (a run has one), so {@code --max-connections-per-host}
 * counts the connections of every account together.
 */
public class MigrateLimits {

  private final Map<Integer, HostLimits> hosts = new ConcurrentHashMap<>();

  /** The limits of {@code request}. */
  public WireIo.Limits of(MigrateRequest request) {
    int max = request.copy().maxConnectionsPerHost();
    return new WireIo.Limits(max == 0 ? HostLimits.NONE
        : hosts.computeIfAbsent(max, HostLimits::new), request.copy().bytesPerSecond());
  }
}
