package io.mailops.backup;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link Prune} kept and removed (or, in a dry run, would remove); set directory names,
 * oldest first. {@code reasons} holds one line per name in either list, e.g.
 * {@code "daily 2026-11-21, weekly 2026-W47"}, {@code "needed by 20261122T040000Z-incremental-all"},
 * {@code "latest"}, {@code "not selected by --keep-daily 7 --keep-weekly 4 --keep-monthly 12"}
 * or, for set directories without {@code manifest.json}, why that interrupted run is kept or
 * removed. {@code kept} includes such incomplete directories that are kept.
 */
public record PruneResult(List<String> kept, List<String> removed, Map<String, String> reasons) {

  public PruneResult {
    kept = List.copyOf(kept);
    removed = List.copyOf(removed);
    reasons = Collections.unmodifiableMap(new TreeMap<>(reasons));
  }
}
