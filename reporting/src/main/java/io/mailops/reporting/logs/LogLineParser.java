package io.mailops.reporting.logs;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * Turns one syslog line from Postfix or Dovecot into a {@link LogEvent}. Both timestamp styles
 * are read: the traditional {@code Feb  2 12:34:50 host prog[pid]: msg} (its year is the latest one
 * that does not put the line after the reference date) and RFC 3339
 * {@code 2025-02-02T09:50:42.211184+01:00 host prog[pid]: msg} (the wall time as written), and
 * Dovecot's own {@code log_path} file, which has neither host nor program
 * ({@code Nov 22 10:03:12 imap-login: Info: Login: …}). The program name picks the rules:
 * {@code postfix…/service} lines go to the Postfix rules, {@code dovecot}
 * lines to the Dovecot ones; everything else, and every line no rule understands, is
 * {@link LogEvent.Unparsed}. Never throws on bad input.
 *
 * <p>The parsing is done by hand (index scans, no regular expressions, no copy of the message)
 * because it runs once per line on logs of millions of lines. Not thread-safe: it keeps the last
 * timestamp, host and the recent program names to reuse them.
 */
public final class LogLineParser {

  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
  private static final int[] ISO_DIGITS = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};

  private final LocalDate reference;
  private int cachedKey = -1;
  private LocalDate cachedDate;
  private String lastHost;
  private final String[] programs = new String[32];
  private int nextProgram;
  private String lastProgram;
  private String lastService;
  private String lastStampLine;
  private int lastStampEnd;
  private LocalDateTime lastTime;

  /**
   * A parser that gives traditional timestamps the latest year which does not put them after
   * {@code reference} (the mailgraph rule; pflogsumm compares the month only).
   */
  public LogLineParser(LocalDate reference) {
    this.reference = Objects.requireNonNull(reference, "reference");
  }

  /** The event of {@code line} (without its line terminator); never null. */
  public LogEvent parse(String line) {
    int n = line.length();
    if (n < 16) {
      return new LogEvent.Unparsed(null, line);
    }
    LocalDateTime time;
    int p;
    char c0 = line.charAt(0);
    boolean iso = c0 >= '0' && c0 <= '9';
    p = iso ? isoEnd(line) : bsdEnd(line);
    if (p < 0) {
      return new LogEvent.Unparsed(null, line);
    }
    int second = iso ? 19 : p - 1;   // the timestamp up to its seconds
    if (lastStampLine != null && second == lastStampEnd && line.regionMatches(0, lastStampLine, 0, second)) {
      time = lastTime;
    } else {
      time = iso ? isoTime(line) : bsdTime(line, p);
      if (time != null) {
        lastStampLine = line;
        lastStampEnd = second;
        lastTime = time;
      }
    }
    if (time == null) {
      return new LogEvent.Unparsed(null, line);
    }
    // host
    int hostEnd = line.indexOf(' ', p);
    if (hostEnd <= p || hostEnd + 1 >= n) {
      return new LogEvent.Unparsed(null, line);
    }
    if (line.charAt(hostEnd - 1) == ':' && !line.startsWith("postfix", p)) {
      // no host and no program: Dovecot's own log_path file ("Nov 22 10:03:12 imap-login: Info: Login: …",
      // "… imap(user)<pid><session>: Info: Disconnected: …"); a host name never ends with ':'
      Origin origin = new Origin(time, "", "dovecot", "dovecot", -1);
      LogEvent e = DovecotMessages.parse(origin, line.substring(p));
      return e != null ? e : new LogEvent.Unparsed(origin, line);
    }
    String host = lastHost != null && hostEnd - p == lastHost.length() && line.startsWith(lastHost, p) ? lastHost
        : (lastHost = line.substring(p, hostEnd));
    int progStart = hostEnd + 1;
    int i = programEnd(line, progStart);
    if (i == progStart || i >= n) {
      return new LogEvent.Unparsed(null, line);
    }
    String program = program(line, progStart, i);
    int pid = -1;
    if (line.charAt(i) == '[') {
      int close = line.indexOf(']', i);
      if (close < 0) {
        return new LogEvent.Unparsed(null, line);
      }
      pid = digits(line, i + 1, close);
      i = close + 1;
    }
    if (i + 1 >= n || line.charAt(i) != ':' || line.charAt(i + 1) != ' ') {
      return new LogEvent.Unparsed(null, line);
    }
    int msgStart = i + 2;
    if (line.startsWith("[ID ", msgStart)) {   // Solaris syslog's "[ID nnnnnn facility.level] "
      int close = line.indexOf("] ", msgStart);
      if (close > 0) {
        msgStart = close + 2;
      }
    }
    Origin origin = new Origin(time, host, program, service(program), pid);
    LogEvent e = null;
    if (program.startsWith("postfix")) {
      e = PostfixMessages.parse(origin, line, msgStart);
    } else if (program.equals("dovecot") || program.endsWith("-login")) {
      e = DovecotMessages.parse(origin, line.substring(msgStart));
    }
    return e != null ? e : new LogEvent.Unparsed(origin, line);
  }

  /** The index of the first '[', ':' or ' ' at or after {@code from}, or the length of {@code line}. */
  private static int programEnd(String line, int from) {
    int end = line.length();
    int space = line.indexOf(' ', from);
    if (space >= 0) {
      end = space;
    }
    int colon = line.indexOf(':', from);
    if (colon >= 0 && colon < end) {
      end = colon;
    }
    int bracket = line.indexOf('[', from);
    return bracket >= 0 && bracket < end ? bracket : end;
  }

  /** {@code line[from, to)}, the same string as last time when it is one of the recent programs. */
  private String program(String line, int from, int to) {
    int len = to - from;
    for (String p : programs) {
      if (p != null && p.length() == len && line.startsWith(p, from)) {
        return p;
      }
    }
    String p = line.substring(from, to);
    programs[nextProgram] = p;
    nextProgram = (nextProgram + 1) % programs.length;
    return p;
  }

  /** The last element of {@code program}, the same string as last time for the same program. */
  private String service(String program) {
    if (program == lastProgram) {
      return lastService;
    }
    int slash = program.lastIndexOf('/');
    lastProgram = program;
    lastService = slash < 0 ? program : program.substring(slash + 1);
    return lastService;
  }

  /** End of {@code Mmm dd hh:mm:ss } (index of the host), or -1. */
  private static int bsdEnd(String s) {
    int i = 3;
    if (s.charAt(i) != ' ') {
      return -1;
    }
    i++;
    if (s.charAt(i) == ' ') {
      i++;
    }
    int d0 = i;
    while (i < s.length() && i - d0 < 2 && isDigit(s.charAt(i))) {
      i++;
    }
    if (i == d0 || i + 10 > s.length() || s.charAt(i) != ' ') {
      return -1;
    }
    i++;
    if (!(isDigit(s.charAt(i)) && isDigit(s.charAt(i + 1)) && s.charAt(i + 2) == ':' && isDigit(s.charAt(i + 3))
        && isDigit(s.charAt(i + 4)) && s.charAt(i + 5) == ':' && isDigit(s.charAt(i + 6)) && isDigit(s.charAt(i + 7))
        && s.charAt(i + 8) == ' ')) {
      return -1;
    }
    return i + 9;
  }

  private LocalDateTime bsdTime(String s, int end) {
    int m = MONTHS.indexOf(s.substring(0, 3));
    if (m < 0 || m % 3 != 0) {
      return null;
    }
    int month = m / 3 + 1;
    int t = end - 9;
    int day = digits(s, s.charAt(4) == ' ' ? 5 : 4, t - 1);
    int hour = digits(s, t, t + 2);
    int minute = digits(s, t + 3, t + 5);
    int second = digits(s, t + 6, t + 8);
    if (hour > 23 || minute > 59 || second > 60) {
      return null;
    }
    LocalDate date = date(month, day);
    return date == null ? null : date.atTime(hour, minute, Math.min(second, 59));
  }

  /** The date of month/day in the latest year that does not put it after the reference date. */
  private LocalDate date(int month, int day) {
    int key = month * 32 + day;
    if (key == cachedKey) {
      return cachedDate;
    }
    int year = reference.getYear();
    if (month > reference.getMonthValue() || (month == reference.getMonthValue() && day > reference.getDayOfMonth())) {
      year--;
    }
    LocalDate d = null;
    for (int tries = 0; d == null && tries < 8; tries++, year--) {
      try {
        d = LocalDate.of(year, month, day);
      } catch (DateTimeException e) {
        if (day > 29 || month != 2) {
          return null;   // Feb 30, Apr 31: no year helps
        }
      }
    }
    cachedKey = key;
    cachedDate = d;
    return d;
  }

  /** End of {@code yyyy-mm-ddThh:mm:ss[.f…](Z|±hh:mm) } (index of the host), or -1. */
  private static int isoEnd(String s) {
    if (s.length() < 21 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return -1;
    }
    for (int k : ISO_DIGITS) {
      if (!isDigit(s.charAt(k))) {
        return -1;
      }
    }
    int i = 19;
    int n = s.length();
    if (i < n && s.charAt(i) == '.') {
      i++;
      int f = i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == f) {
        return -1;
      }
    }
    if (i >= n) {
      return -1;
    }
    char z = s.charAt(i);
    if (z == 'Z') {
      i++;
    } else if ((z == '+' || z == '-') && i + 6 <= n && isDigit(s.charAt(i + 1)) && isDigit(s.charAt(i + 2))
        && s.charAt(i + 3) == ':' && isDigit(s.charAt(i + 4)) && isDigit(s.charAt(i + 5))) {
      i += 6;
    } else {
      return -1;
    }
    return i < n && s.charAt(i) == ' ' ? i + 1 : -1;
  }

  private static LocalDateTime isoTime(String s) {
    try {
      return LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10), digits(s, 11, 13),
          digits(s, 14, 16), Math.min(digits(s, 17, 19), 59));
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The decimal number in {@code s[from, to)}, -1 if empty or not all digits (no overflow check past 9 digits). */
  static int digits(String s, int from, int to) {
    if (from >= to || to - from > 9) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
