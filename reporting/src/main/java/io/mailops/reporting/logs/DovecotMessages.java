package io.mailops.reporting.logs;

/**
 * The Dovecot rules of {@link LogLineParser}: logins and login failures in the 2.2/2.3 wording
 * ({@code imap-login: Login: user=<…>}, {@code Disconnected (auth failed, 1 attempts in 2 secs)},
 * {@code Aborted login (auth failed, …)}) and the 2.4 one ({@code Logged in:},
 * {@code Login aborted: … (auth failed, …)}), and session ends with byte counts
 * ({@code imap(user)<pid><session>: Disconnected: Logged out in=N out=N},
 * {@code pop3(user): … retr=N/BYTES}), and saves logged by the {@code mail_log} plugin
 * ({@code imap(user)<pid><session>: save: box=INBOX, uid=30, …}). An {@code Info: } level prefix is skipped.
 */
final class DovecotMessages {

  private DovecotMessages() {}

  static LogEvent parse(Origin o, String msg) {
    String s = msg.startsWith("Info: ") ? msg.substring(6) : msg;
    String head;
    String body;
    if (o.program().endsWith("-login")) {
      head = o.program();
      body = s;
    } else {
      int colon = s.indexOf(": ");
      if (colon <= 0) {
        return null;
      }
      head = s.substring(0, colon);
      body = s.substring(colon + 2);
      if (body.startsWith("Info: ")) {
        body = body.substring(6);
      }
    }
    if (head.endsWith("-login")) {
      return login(o, head.substring(0, head.length() - 6), body);
    }
    int paren = head.indexOf('(');
    if (paren > 0) {
      int close = head.indexOf(')', paren);
      String protocol = head.substring(0, paren);
      if (close > paren && body.startsWith("save: ")) {
        return new LogEvent.DovecotSave(o, protocol, head.substring(paren + 1, close), value(body, "box=", ','));
      }
      // lmtp(PID): Disconnect from IP: Logged out (state=READY) is an LMTP delivery session, not a mailbox one
      if (close > paren && body.contains("Logged out") && (protocol.equals("imap") || protocol.equals("pop3"))) {
        return logout(o, protocol, head.substring(paren + 1, close), body);
      }
    }
    return null;
  }

  private static LogEvent login(Origin o, String protocol, String body) {
    if (body.startsWith("Login: ") || body.startsWith("Logged in: ")) {
      return new LogEvent.DovecotLogin(o, protocol, value(body, "user=<", '>'), value(body, "rip=", ','), true, 0);
    }
    int f = body.indexOf("(auth failed, ");
    if (f < 0) {
      return null;
    }
    int s = f + 14;
    int e = s;
    while (e < body.length() && Character.isDigit(body.charAt(e))) {
      e++;
    }
    int attempts = Math.max(1, LogLineParser.digits(body, s, e));
    return new LogEvent.DovecotLogin(o, protocol, value(body, "user=<", '>'), value(body, "rip=", ','), false, attempts);
  }

  private static LogEvent logout(Origin o, String protocol, String user, String body) {
    long in = number(body, " in=");
    long out = number(body, " out=");
    int retr = body.indexOf("retr=");
    if (retr >= 0) {
      int slash = body.indexOf('/', retr);
      if (slash > 0) {
        out = number(body, slash + 1);
      }
    }
    return new LogEvent.DovecotLogout(o, protocol, user, Math.max(in, 0), Math.max(out, 0));
  }

  /** The text after {@code key} up to {@code end} (or a space, or the end of the text), or "". */
  private static String value(String body, String key, char end) {
    int k = body.indexOf(key);
    if (k < 0) {
      return "";
    }
    int s = k + key.length();
    int e = s;
    while (e < body.length() && body.charAt(e) != end && (end == '>' || body.charAt(e) != ' ')) {
      e++;
    }
    return body.substring(s, e);
  }

  private static long number(String body, String key) {
    int k = body.indexOf(key);
    return k < 0 ? -1 : number(body, k + key.length());
  }

  private static long number(String body, int s) {
    int e = s;
    while (e < body.length() && e - s < 18 && Character.isDigit(body.charAt(e))) {
      e++;
    }
    return e == s ? -1 : Long.parseLong(body, s, e, 10);
  }
}
