package io.mailops.reporting.collect;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where the {@link Collector} keeps its samples and its log positions. Implementations must write
 * a {@link #commit} atomically (samples and positions together, or nothing) so that a restart
 * continues exactly after the last counted line. One collector writes at a time.
 */
public interface CollectorStore {

  /** The saved position of {@code source}, empty when it was never read. */
  Optional<FilePosition> position(String source) throws IOException;

  /**
   * Writes {@code batch} (counters added to what the minute already holds, gauges replacing it) and
   * saves {@code positions}, in one transaction. An empty batch and list write nothing.
   */
  void commit(MinuteBatch batch, List<FilePosition> positions) throws IOException;
}
