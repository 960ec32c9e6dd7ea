package io.mailops.archiver;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code current/index.state}, sealed with the current data key (additional data {@code
 * "index.state"}), rewritten after each index commit: the last chain position in the committed
 * index, the chain head at that moment, and the SHA-256 of every index file.
 */
record IndexState(long indexedSeq, long headSeq, String headHash, Map<String, String> files) {

  static final IndexState EMPTY = new IndexState(0, 0, Digests.GENESIS, Map.of());

  IndexState {
    files = new TreeMap<>(files);
  }
}
