package io.mailops.archiver.index;

import io.mailops.archiver.index.ArchiveIndex.Criterion;
import io.mailops.archiver.index.ArchiveIndex.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.lucene.analysis.Analyzer;

/**
 * Parses and checks {@code --where FIELD:OP:VALUE} criteria for {@link ArchiveIndex#search}.
 *
 * <p>Fields: {@code from, to, cc, bcc, envelope, recipient} (to, cc, bcc or envelope),
 * {@code address} (sender or any recipient), {@code subject, body, text} (subject, body or
 * attachment names), {@code date, size, message-id, attachment} (file names), {@code type}
 * (attachment MIME types), {@code source}. Semantics:
 *
 * <ul>
 *   <li>address fields: {@code is} matches the whole address, its local part or its domain
 *       exactly, ignoring case ({@code from:is:alice@example.com}, {@code from:is:alice},
 *       {@code from:is:example.com}); {@code contains} matches any substring of an address
 *       ({@code to:contains:exam});
 *   <li>{@code subject}: {@code contains} matches the words of the value as a phrase (standard
 *       analysis, case-insensitive); {@code is} matches the whole subject, ignoring case;
 *       {@code body} and {@code text}: {@code contains} only, as a phrase;
 *   <li>{@code attachment}: {@code contains} matches words of a file name as a phrase, {@code is}
 *       a whole file name ignoring case;
 *   <li>{@code message-id, type, source}: {@code is} exact ignoring case (angle brackets of a
 *       Message-ID are optional), {@code contains} substring;
 *   <li>{@code date}: {@code YYYY-MM-DD} (a UTC day) or an ISO-8601 time with offset;
 *       {@code before} is exclusive ({@code date < value}), {@code after} inclusive
 *       ({@code date >= value}), {@code is} the UTC day (or the exact instant);
 *   <li>{@code size}: bytes with an optional {@code k}, {@code M} or {@code G} suffix (powers of
 *       1024); {@code larger} means {@code size > value}, {@code smaller} {@code size < value},
 *       {@code is} equal.
 * </ul>
 *
 * <p>Every error is an {@link IllegalArgumentException} with a one-line message that names the bad
 * input and the valid choices.
 */
public final class Criteria {

  /** The most criteria one search may have. */
  public static final int MAX = 5;

  private Criteria() {}

  /**
   * Parses {@code FIELD:OP:VALUE}; the value is everything after the second colon, so it may
   * contain colons ({@code date:after:2024-03-01T09:30:00Z}).
   */
  public static Criterion parse(String spec) {
    int first = spec.indexOf(':');
    int second = first < 0 ? -1 : spec.indexOf(':', first + 1);
    if (first <= 0 || second < 0) {
      throw new IllegalArgumentException("bad criterion '" + spec
          + "'; use FIELD:OP:VALUE, for example from:is:alice@example.com");
    }
    SearchField field = SearchField.of(spec.substring(0, first));
    Op op = op(spec.substring(first + 1, second));
    field.check(op);
    String value = spec.substring(second + 1).strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("bad criterion '" + spec + "': the value is empty");
    }
    return new Criterion(field.label(), op, value);
  }

  /** Parses each spec with {@link #parse} and checks that there are at most {@link #MAX}. */
  public static List<Criterion> parseAll(List<String> specs) {
    checkCount(specs.size());
    List<Criterion> out = new ArrayList<>(specs.size());
    for (String spec : specs) {
      out.add(parse(spec));
    }
    return out;
  }

  /**
   * Checks criteria built elsewhere: at most {@link #MAX}, known fields, operators that apply
   * and readable values.
   */
  public static void check(List<Criterion> criteria) {
    checkCount(criteria.size());
    try (Analyzer analyzer = IndexFields.analyzer()) {
      for (Criterion c : criteria) {
        SearchField.of(c.field()).query(c.op(), c.value(), analyzer);
      }
    }
  }

  /** The operator with this name (case-insensitive); otherwise a one-line exception. */
  public static Op op(String name) {
    try {
      return Op.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown operator '" + name + "'; valid operators: "
          + Arrays.stream(Op.values()).map(o -> o.name().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", ")));
    }
  }

  static void checkCount(int n) {
    if (n > MAX) {
      throw new IllegalArgumentException("too many criteria: " + n + "; at most " + MAX
          + " --where criteria per search (use --query for more complex searches)");
    }
  }
}
