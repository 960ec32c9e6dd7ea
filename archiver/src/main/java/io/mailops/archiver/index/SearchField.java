package io.mailops.archiver.index;

import io.mailops.archiver.index.ArchiveIndex.Op;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * The fields a {@code --where FIELD:OP:VALUE} criterion can name, the operators each accepts and
 * the Lucene query each builds. See {@link Criteria} for the semantics.
 */
enum SearchField {
  FROM("from", IndexFields.FROM),
  TO("to", IndexFields.TO),
  CC("cc", IndexFields.CC),
  BCC("bcc", IndexFields.BCC),
  ENVELOPE("envelope", IndexFields.ENVELOPE),
  RECIPIENT("recipient", IndexFields.TO, IndexFields.CC, IndexFields.BCC, IndexFields.ENVELOPE),
  ADDRESS("address", IndexFields.FROM, IndexFields.TO, IndexFields.CC, IndexFields.BCC,
      IndexFields.ENVELOPE),
  SUBJECT("subject", IndexFields.SUBJECT),
  BODY("body", IndexFields.BODY),
  TEXT("text", IndexFields.SUBJECT, IndexFields.BODY, IndexFields.ATTACHMENT),
  DATE("date", IndexFields.DATE),
  SIZE("size", IndexFields.SIZE),
  MESSAGE_ID("message-id", IndexFields.MESSAGE_ID),
  ATTACHMENT("attachment", IndexFields.ATTACHMENT),
  TYPE("type", IndexFields.TYPE),
  SOURCE("source", IndexFields.SOURCE);

  private final String label;
  private final List<String> luceneFields;

  SearchField(String label, String... luceneFields) {
    this.label = label;
    this.luceneFields = List.of(luceneFields);
  }

  /** The name users type. */
  String label() {
    return label;
  }

  /** The Lucene fields a query on this field covers (more than one for the combined fields). */
  List<String> luceneFields() {
    return luceneFields;
  }

  /** The operators this field accepts. */
  Set<Op> ops() {
    switch (this) {
      case BODY:
      case TEXT:
        return EnumSet.of(Op.CONTAINS);
      case DATE:
        return EnumSet.of(Op.IS, Op.BEFORE, Op.AFTER);
      case SIZE:
        return EnumSet.of(Op.IS, Op.LARGER, Op.SMALLER);
      default:
        return EnumSet.of(Op.CONTAINS, Op.IS);
    }
  }

  /** The field with this name; otherwise a one-line {@link IllegalArgumentException}. */
  static SearchField of(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (SearchField field : values()) {
      if (field.label.equals(n) || field.label.replace('-', '_').equals(n)) {
        return field;
      }
    }
    throw new IllegalArgumentException("unknown search field '" + name + "'; valid fields: "
        + Stream.of(values()).map(SearchField::label).collect(Collectors.joining(", ")));
  }

  /** Checks that this field accepts {@code op}; otherwise a one-line exception. */
  void check(Op op) {
    if (!ops().contains(op)) {
      throw new IllegalArgumentException("operator '" + lower(op) + "' does not apply to field '"
          + label + "'; valid operators for " + label + ": "
          + ops().stream().map(SearchField::lower).collect(Collectors.joining(", ")));
    }
  }

  /** The query for {@code FIELD:OP:VALUE}; a bad value gives a one-line exception. */
  Query query(Op op, String value, Analyzer analyzer) {
    check(op);
    String v = value.strip();
    if (v.isEmpty()) {
      throw new IllegalArgumentException("empty value for field '" + label + "'");
    }
    switch (this) {
      case DATE:
        return dateQuery(op, v);
      case SIZE:
        return sizeQuery(op, v);
      case SUBJECT:
        return op == Op.IS
            ? new TermQuery(new Term(IndexFields.SUBJECT_EXACT, IndexFields.keyword(v)))
            : textQuery(v, analyzer);
      case ATTACHMENT:
        return op == Op.IS
            ? new TermQuery(new Term(IndexFields.ATTACHMENT_NAME, IndexFields.keyword(v)))
            : textQuery(v, analyzer);
      case BODY:
      case TEXT:
        return textQuery(v, analyzer);
      default:
        return keywordQuery(op, v);
    }
  }

  private Query keywordQuery(Op op, String value) {
    String v = IndexFields.keyword(value);
    if (this == MESSAGE_ID && v.startsWith("<") && v.endsWith(">") && v.length() > 2) {
      v = v.substring(1, v.length() - 1);
    }
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    for (String field : luceneFields) {
      any.add(op == Op.IS
          ? new TermQuery(new Term(field, v))
          : new WildcardQuery(new Term(field, "*" + escapeWildcard(v) + "*")),
          BooleanClause.Occur.SHOULD);
    }
    return any.build();
  }

  private Query textQuery(String value, Analyzer analyzer) {
    QueryBuilder builder = new QueryBuilder(analyzer);
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    for (String field : luceneFields) {
      Query q = builder.createPhraseQuery(field, value);
      if (q == null) {
        throw new IllegalArgumentException(
            "value '" + value + "' for field '" + label + "' has no searchable words");
      }
      any.add(q, BooleanClause.Occur.SHOULD);
    }
    return any.build();
  }

  private static Query dateQuery(Op op, String value) {
    long millis = instant(value).toEpochMilli();
    switch (op) {
      case BEFORE:
        return LongPoint.newRangeQuery(IndexFields.DATE, Long.MIN_VALUE, millis - 1);
      case AFTER:
        return LongPoint.newRangeQuery(IndexFields.DATE, millis, Long.MAX_VALUE);
      default:
        if (isDay(value)) {
          return LongPoint.newRangeQuery(IndexFields.DATE, millis, millis + 86_400_000L - 1);
        }
        return LongPoint.newExactQuery(IndexFields.DATE, millis);
    }
  }

  private static Query sizeQuery(Op op, String value) {
    long bytes = bytes(value);
    switch (op) {
      case LARGER:
        return LongPoint.newRangeQuery(IndexFields.SIZE, bytes == Long.MAX_VALUE ? bytes
            : bytes + 1, Long.MAX_VALUE);
      case SMALLER:
        return LongPoint.newRangeQuery(IndexFields.SIZE, Long.MIN_VALUE,
            bytes == Long.MIN_VALUE ? bytes : bytes - 1);
      default:
        return LongPoint.newExactQuery(IndexFields.SIZE, bytes);
    }
  }

  private static boolean isDay(String value) {
    return value.length() == 10 && value.charAt(4) == '-' && value.charAt(7) == '-';
  }

  /** {@code YYYY-MM-DD} (midnight UTC) or an ISO-8601 instant with offset. */
  static Instant instant(String value) {
    String v = value.strip();
    try {
      if (isDay(v)) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad date '" + value
          + "'; use YYYY-MM-DD (UTC) or an ISO-8601 time such as 2024-03-01T09:30:00Z");
    }
  }

  /** Bytes, with an optional suffix k, M or G (powers of 1024; a trailing B is allowed). */
  static long bytes(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (v.endsWith("b")) {
      v = v.substring(0, v.length() - 1);
    }
    long unit = 1;
    if (!v.isEmpty()) {
      char last = v.charAt(v.length() - 1);
      unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : last == 'g' ? 1L << 30 : 1;
      if (unit > 1) {
        v = v.substring(0, v.length() - 1);
      }
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "bad size '" + value + "'; use a number of bytes with an optional k, M or G suffix");
    }
  }

  private static String escapeWildcard(String v) {
    StringBuilder out = new StringBuilder(v.length());
    for (char c : v.toCharArray()) {
      if (c == '*' || c == '?' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String lower(Op op) {
    return op.name().toLowerCase(Locale.ROOT);
  }
}
