package io.mailops.archiver.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;

/**
 * The classic Lucene query syntax over the archive fields, default field {@code body}. On top of
 * the stored field names ({@code from, to, cc, bcc, envelope, subject, body, attachment, type,
 * source, message_id}) it understands the combined fields {@code recipient}, {@code address} and
 * {@code text}, and ranges on {@code date} ({@code date:[2024-01-01 TO 2024-02-01}}) and
 * {@code size} ({@code size:[1M TO *]}). Address terms are whole addresses, local parts or
 * domains, lower-cased; {@code from:*alic*} matches substrings. Terms without an operator are
 * joined by OR, as in Lucene. Not thread-safe: make one per query.
 */
final class ArchiveQueryParser extends QueryParser {

  ArchiveQueryParser(Analyzer analyzer) {
    super(IndexFields.BODY, analyzer);
    setAllowLeadingWildcard(true);
  }

  /** Parses {@code query}; a syntax error becomes a one-line {@link IllegalArgumentException}. */
  Query parseQuery(String query) {
    try {
      return parse(query);
    } catch (ParseException e) {
      String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new IllegalArgumentException("bad --query '" + query + "': " + message);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad --query '" + query + "': " + e.getMessage());
    }
  }

  @Override
  protected Query getFieldQuery(String field, String queryText, boolean quoted)
      throws ParseException {
    String target = luceneField(field);
    if (target != null) {
      return super.getFieldQuery(target, queryText, quoted);
    }
    SearchField combined = combined(field);
    if (combined == null) {
      return super.getFieldQuery(field, queryText, quoted);
    }
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    for (String f : combined.luceneFields()) {
      Query q = super.getFieldQuery(f, queryText, quoted);
      if (q != null) {
        any.add(q, BooleanClause.Occur.SHOULD);
      }
    }
    return any.build();
  }

  @Override
  protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
      boolean endInclusive) throws ParseException {
    if (IndexFields.DATE.equals(field)) {
      long low = part1 == null ? Long.MIN_VALUE : SearchField.instant(part1).toEpochMilli();
      long high = part2 == null ? Long.MAX_VALUE : SearchField.instant(part2).toEpochMilli();
      return range(IndexFields.DATE, low, high, startInclusive, endInclusive);
    }
    if (IndexFields.SIZE.equals(field)) {
      long low = part1 == null ? Long.MIN_VALUE : SearchField.bytes(part1);
      long high = part2 == null ? Long.MAX_VALUE : SearchField.bytes(part2);
      return range(IndexFields.SIZE, low, high, startInclusive, endInclusive);
    }
    return super.getRangeQuery(field, part1, part2, startInclusive, endInclusive);
  }

  private static Query range(String field, long low, long high, boolean startInclusive,
      boolean endInclusive) {
    long from = startInclusive || low == Long.MAX_VALUE ? low : low + 1;
    long to = endInclusive || high == Long.MIN_VALUE ? high : high - 1;
    return LongPoint.newRangeQuery(field, from, to);
  }

  /** {@code message-id} is spelt {@code message_id} in query syntax; both are accepted. */
  private static String luceneField(String field) {
    return "message-id".equals(field) ? IndexFields.MESSAGE_ID : null;
  }

  private static SearchField combined(String field) {
    switch (field) {
      case "recipient":
        return SearchField.RECIPIENT;
      case "address":
        return SearchField.ADDRESS;
      case "text":
        return SearchField.TEXT;
      default:
        return null;
    }
  }
}
