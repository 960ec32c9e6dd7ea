package io.mailops.reporting.logs;

/**
 * The Postfix rules of {@link LogLineParser}: the message part of a {@code postfix…/service}
 * line (after {@code "prog[pid]: "}) to an event, or null when no rule applies. Indexes are into
 * the whole line, so the message is never copied. Queue ids are the token before the first colon,
 * so short hex ids ({@code 4F2A0001AB}) and long ids ({@code 3Lq8Yx1N4Gz9vQk}) are both accepted.
 */
final class PostfixMessages {

  private PostfixMessages() {}

  /** The event of the message that starts at {@code start} in {@code msg}, or null. */
  static LogEvent parse(Origin o, String msg, int start) {
    int n = msg.length();
    int t = tokenEnd(msg, start);
    if (t == start || t >= n) {
      return null;
    }
    if (msg.charAt(t) == ' ') {
      return plain(o, msg, start);
    }
    if (t + 1 >= n || msg.charAt(t + 1) != ' ') {
      return null;
    }
    int r = t + 2;
    // the keywords by length first: no substring and no hash of the token on the common queue id lines
    switch (t - start) {
      case 4 -> {
        if (msg.startsWith("hold", start)) {
          return reject(o, null, "hold", msg, r);
        }
      }
      case 5 -> {
        if (msg.startsWith("error", start) || msg.startsWith("fatal", start) || msg.startsWith("panic", start)) {
          return new LogEvent.Problem(o, msg.substring(start, t), msg.substring(r));
        }
      }
      case 6 -> {
        if (msg.startsWith("reject", start)) {
          return reject(o, null, "reject", msg, r);
        }
      }
      case 7 -> {
        if (msg.startsWith("warning", start)) {
          return warning(o, msg, r);
        }
        if (msg.startsWith("discard", start)) {
          return reject(o, null, "discard", msg, r);
        }
        if (msg.startsWith("NOQUEUE", start)) {
          return queued(o, null, msg, r);
        }
      }
      case 13 -> {
        if (msg.startsWith("milter-reject", start)) {
          return reject(o, null, "milter-reject", msg, r);
        }
      }
      case 14 -> {
        if (msg.startsWith("reject_warning", start)) {
          return reject(o, null, "reject_warning", msg, r);
        }
      }
      default -> { }
    }
    return queued(o, msg.substring(start, t), msg, r);
  }

  /** The index of the first ':' or ' ' at or after {@code start}, or the length of {@code msg}. */
  private static int tokenEnd(String msg, int start) {
    int colon = msg.indexOf(':', start);
    int space = msg.indexOf(' ', start);
    int t = colon < 0 ? space : space < 0 ? colon : Math.min(colon, space);
    return t < 0 ? msg.length() : t;
  }

  /** Lines that do not start with {@code WORD: }: connections. */
  private static LogEvent plain(Origin o, String msg, int s) {
    if (msg.startsWith("connect from ", s) || msg.startsWith("CONNECT from ", s)) {
      return new LogEvent.Connect(o, word(msg, s + 13));
    }
    if (msg.startsWith("disconnect from ", s)) {
      return new LogEvent.Disconnect(o, word(msg, s + 16));
    }
    if (msg.startsWith("lost connection after ", s)) {
      int sp = msg.indexOf(' ', s + 22);
      if (sp > 0 && msg.startsWith(" from ", sp)) {
        return new LogEvent.LostConnection(o, msg.substring(s + 22, sp), word(msg, sp + 6));
      }
    }
    return null;
  }

  private static LogEvent warning(Origin o, String msg, int r) {
    int sasl = msg.indexOf(": SASL ", r);
    if (sasl > 0 && msg.indexOf(' ', r) > sasl) {
      int m = sasl + 7;
      int sp = msg.indexOf(' ', m);
      if (sp > 0 && msg.startsWith(" authentication failed", sp)) {
        return new LogEvent.SaslFailure(o, msg.substring(r, sasl), msg.substring(m, sp));
      }
    }
    return new LogEvent.Problem(o, "warning", msg.substring(r));
  }

  /** {@code QID: …} or {@code NOQUEUE: …}; {@code r} is where the text after {@code "QID: "} starts. */
  private static LogEvent queued(Origin o, String qid, String msg, int r) {
    if (msg.startsWith("to=<", r)) {
      return qid == null ? null : delivery(o, qid, msg, r + 4);
    }
    if (msg.startsWith("from=<", r)) {
      return qid == null ? null : fromLine(o, qid, msg, r + 6);
    }
    if (msg.startsWith("client=", r)) {
      return qid == null ? null : client(o, qid, msg, r + 7);
    }
    if (msg.startsWith("message-id=", r)) {
      int s = r + 11;
      int e = msg.length();
      if (s < e && msg.charAt(s) == '<' && msg.charAt(e - 1) == '>') {
        s++;
        e--;
      }
      return new LogEvent.MessageId(o, qid, msg.substring(s, Math.max(s, e)));
    }
    if (msg.startsWith("removed", r) && msg.length() == r + 7) {
      return qid == null ? null : new LogEvent.Removed(o, qid);
    }
    if (msg.startsWith("uid=", r) || msg.startsWith("sender=<", r)) {
      int f = msg.indexOf("from=<", r);
      if (f < 0) {
        f = msg.indexOf("sender=<", r) + 2;
      }
      String sender = f >= r ? bracketed(msg, f + 6) : "";
      return qid == null ? null : new LogEvent.Pickup(o, qid, sender == null ? "" : sender);
    }
    if (msg.startsWith("sender non-delivery notification: ", r)) {
      return new LogEvent.BounceNotice(o, qid, msg.substring(r + 34));
    }
    int t = r;
    while (t < msg.length() && msg.charAt(t) != ':' && msg.charAt(t) != ' ') {
      t++;
    }
    if (msg.startsWith(": ", t)) {
      String action = msg.substring(r, t);
      switch (action) {
        case "reject", "reject_warning", "hold", "discard", "milter-reject", "milter-hold", "milter-discard",
            "warning" -> {
          return reject(o, qid, action, msg, t + 2);
        }
        default -> {
          return null;
        }
      }
    }
    return null;
  }

  private static LogEvent reject(Origin o, String qid, String action, String msg, int r) {
    boolean milter = action.startsWith("milter-");
    String a = milter ? action.substring(7) : action;
    RejectAction kind = switch (a) {
      case "reject" -> RejectAction.REJECT;
      case "hold" -> RejectAction.HOLD;
      case "discard" -> RejectAction.DISCARD;
      default -> RejectAction.WARNING;
    };
    int sp = msg.indexOf(' ', r);
    if (sp < 0) {
      return null;
    }
    String stage = msg.substring(r, sp);
    int rest = sp + 1;
    String client = "";
    if (msg.startsWith("from ", rest)) {
      int colon = msg.indexOf(": ", rest + 5);
      int space = msg.indexOf(' ', rest + 5);
      if (colon > 0 && (space < 0 || colon < space)) {
        client = msg.substring(rest + 5, colon);
        rest = colon + 2;
      }
    }
    int semi = msg.indexOf("; from=<", rest);
    String reason = semi < 0 ? msg.substring(rest) : msg.substring(rest, semi);
    String from = null;
    String to = null;
    if (semi >= 0) {
      from = bracketed(msg, semi + 8);
      int ti = msg.indexOf("to=<", semi + 8);
      to = ti < 0 ? null : bracketed(msg, ti + 4);
    }
    return new LogEvent.Reject(o, qid, kind, milter, stage, client, reason, from, to);
  }

  /** {@code to=<…>, [orig_to=<…>, ]relay=…, [conn_use=…, ]delay=…, [delays=…, ][dsn=…, ]status=S[ (detail)]}. */
  private static LogEvent delivery(Origin o, String qid, String msg, int i) {
    int close = msg.indexOf('>', i);
    if (close < 0 || !msg.startsWith(", ", close + 1)) {
      return null;
    }
    String to = msg.substring(i, close);
    i = close + 3;
    String origTo = null;
    if (msg.startsWith("orig_to=<", i)) {
      close = msg.indexOf('>', i + 9);
      if (close < 0 || !msg.startsWith(", ", close + 1)) {
        return null;
      }
      origTo = msg.substring(i + 9, close);
      i = close + 3;
    }
    if (!msg.startsWith("relay=", i)) {
      return null;
    }
    int comma = msg.indexOf(", ", i + 6);
    if (comma < 0) {
      return null;
    }
    String relay = msg.substring(i + 6, comma);
    i = comma + 2;
    if (msg.startsWith("conn_use=", i)) {
      i = next(msg, i);
    }
    if (i < 0 || !msg.startsWith("delay=", i)) {
      return null;
    }
    comma = msg.indexOf(", ", i + 6);
    if (comma < 0) {
      return null;
    }
    String delay = msg.substring(i + 6, comma);
    i = comma + 2;
    if (msg.startsWith("delays=", i)) {
      i = next(msg, i);
    }
    String dsn = "";
    if (i >= 0 && msg.startsWith("dsn=", i)) {
      comma = msg.indexOf(", ", i + 4);
      if (comma < 0) {
        return null;
      }
      dsn = msg.substring(i + 4, comma);
      i = comma + 2;
    }
    if (i < 0 || !msg.startsWith("status=", i)) {
      return null;
    }
    int s = i + 7;
    int e = msg.indexOf(' ', s);
    if (e < 0) {
      e = msg.length();
    }
    DeliveryStatus status = DeliveryStatus.of(msg.substring(s, e));
    String detail = "";
    if (msg.startsWith(" (", e)) {
      int end = msg.endsWith(")") ? msg.length() - 1 : msg.length();
      detail = msg.substring(Math.min(e + 2, end), end);
    }
    return new LogEvent.Delivery(o, qid, to, origTo, relay, delay, dsn, status, detail);
  }

  /** {@code from=<…>, size=N, nrcpt=N (queue active)} or {@code from=<…>, status=expired, returned to sender}. */
  private static LogEvent fromLine(Origin o, String qid, String msg, int i) {
    int close = msg.indexOf('>', i);
    if (close < 0) {
      return null;
    }
    String from = msg.substring(i, close);
    int k = close + 1;
    if (msg.startsWith(", size=", k)) {
      int s = k + 7;
      int e = s;
      while (e < msg.length() && Character.isDigit(msg.charAt(e))) {
        e++;
      }
      if (e == s || e - s > 18) {
        return null;
      }
      long size = Long.parseLong(msg, s, e, 10);
      int nrcpt = 0;
      if (msg.startsWith(", nrcpt=", e)) {
        int ns = e + 8;
        int ne = ns;
        while (ne < msg.length() && Character.isDigit(msg.charAt(ne))) {
          ne++;
        }
        nrcpt = Math.max(0, LogLineParser.digits(msg, ns, ne));
      }
      return new LogEvent.Queued(o, qid, from, size, nrcpt);
    }
    if (msg.startsWith(", status=expired", k) || msg.startsWith(", status=force-expired", k)) {
      return new LogEvent.Expired(o, qid, from);
    }
    return null;
  }

  private static LogEvent client(Origin o, String qid, String msg, int i) {
    int comma = msg.indexOf(", ", i);
    String client = comma < 0 ? msg.substring(i) : msg.substring(i, comma);
    String method = null;
    String user = null;
    if (comma > 0) {
      method = field(msg, ", sasl_method=", comma);
      user = field(msg, ", sasl_username=", comma);
    }
    return new LogEvent.ClientAccepted(o, qid, client, method, user);
  }

  /** The value of {@code key} (which starts with ", ") up to the next ", " or the end, or null. */
  private static String field(String msg, String key, int from) {
    int k = msg.indexOf(key, from);
    if (k < 0) {
      return null;
    }
    int s = k + key.length();
    int e = msg.indexOf(", ", s);
    return msg.substring(s, e < 0 ? msg.length() : e);
  }

  /** Index after the next ", " from {@code i}, or -1. */
  private static int next(String msg, int i) {
    int comma = msg.indexOf(", ", i);
    return comma < 0 ? -1 : comma + 2;
  }

  /** The text from {@code i} up to the next '>', or null. */
  private static String bracketed(String msg, int i) {
    int close = msg.indexOf('>', i);
    return close < 0 ? null : msg.substring(i, close);
  }

  /** The text from {@code i} up to the next space or the end. */
  private static String word(String msg, int i) {
    int sp = msg.indexOf(' ', i);
    return msg.substring(i, sp < 0 ? msg.length() : sp);
  }
}
