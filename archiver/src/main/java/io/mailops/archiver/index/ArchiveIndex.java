package io.mailops.archiver.index;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A search index over archived messages (the "current" or the "search" database). Adding and
 * deleting become visible to {@link #search} after {@link #commit}. Implementations are
 * thread-safe.
 */
public interface ArchiveIndex extends Closeable {

  /** Adds (or replaces, by id) one message. */
  void add(MessageDocument document) throws IOException;

  /** Removes the messages with these ids; unknown ids are ignored. */
  void delete(Collection<String> ids) throws IOException;

  /** Makes every add and delete so far durable and visible. */
  void commit() throws IOException;

  /** The hits, newest first, at most {@code request.limit()}. */
  List<Hit> search(SearchRequest request) throws IOException;

  /** How many messages the index holds (committed). */
  long count() throws IOException;

  /** How search criteria are joined. */
  enum Match {
    ALL, ANY;

    public static Match parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
  }

  /** A criterion's operator. */
  enum Op {
    CONTAINS, IS, BEFORE, AFTER, LARGER, SMALLER
  }

  /**
   * One {@code --where FIELD:OP:VALUE} criterion. Fields: from, to, cc, bcc, recipient (any of
   * to/cc/bcc/envelope), address (sender or any recipient), subject, body, text (subject, body and
   * attachment names), date, size, message-id, attachment, type, source.
   */
  record Criterion(String field, Op op, String value) {}

  /**
   * A search. Either {@code criteria} (at most 5, joined by {@code match}) or {@code query} (Lucene
   * query syntax) or both (joined by AND). {@code asUser} null means administrator (all mail);
   * otherwise only messages where that address is the sender or any recipient.
   */
  record SearchRequest(List<Criterion> criteria, Match match, String query, String asUser,
      int limit) {
    public SearchRequest {
      criteria = List.copyOf(criteria);
    }
  }

  /** One hit, with what `archive search` prints. */
  record Hit(String id, String messageId, Instant date, List<String> from, List<String> to,
      List<String> cc, String subject, long size) {
    public Hit {
      from = List.copyOf(from);
      to = List.copyOf(to);
      cc = List.copyOf(cc);
    }
  }
}
