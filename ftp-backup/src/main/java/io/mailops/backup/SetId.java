package io.mailops.backup;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a backup set's directory: {@code 20261122T040000Z-full-example.com}, i.e. UTC
 * time to the second, kind, and the scope with every byte outside {@code [A-Za-z0-9.@_-]}
 * percent-encoded ({@code alice@example.com%2FINBOX}). Ids sort by time.
 */
public record SetId(Instant time, Kind kind, String scopeLabel) implements Comparable<SetId> {

  /** Full sets hold every message; incremental ones only what is new since their parent. */
  public enum Kind { FULL, INCREMENTAL }

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern ID = Pattern.compile("(\\d{8}T\\d{6}Z)-(full|incremental)-([A-Za-z0-9.@_%-]+)");

  public SetId {
    if (time == null || kind == null || scopeLabel == null || !scopeLabel.matches("[A-Za-z0-9.@_%-]+")) {
      throw new IllegalArgumentException("invalid set id parts: " + time + ", " + kind + ", '" + scopeLabel + "'");
    }
    time = time.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The id of a new set of {@code kind} for {@code scope} taken at {@code time}. */
  public static SetId of(Instant time, Kind kind, Scope scope) {
    StringBuilder b = new StringBuilder();
    for (byte c : scope.toString().getBytes(StandardCharsets.UTF_8)) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
          || c == '@' || c == '_' || c == '-') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return new SetId(time, kind, b.toString());
  }

  /**
   * Parses a set directory name.
   *
   * @throws IllegalArgumentException naming the text if it is not a set id
   */
  public static SetId parse(String text) {
    Matcher m = ID.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text
          + "' is not a backup set id; expected e.g. 20261122T040000Z-full-example.com");
    }
    return new SetId(STAMP.parse(m.group(1), Instant::from),
        m.group(2).equals("full") ? Kind.FULL : Kind.INCREMENTAL, m.group(3));
  }

  /** Whether {@code text} looks like a set id. */
  public static boolean isSetId(String text) {
    return ID.matcher(text).matches();
  }

  @Override
  public int compareTo(SetId o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return STAMP.format(time) + "-" + kind.name().toLowerCase(Locale.ROOT) + "-" + scopeLabel;
  }
}
