package io.mailops.migrator.wire;

import io.mailops.migrator.MessageWriter;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link MessageWriter} on a {@link WireConnection}: {@code APPEND mailbox (flags) "date"
 * {n+}} with the message right behind it when the server announces {@code LITERAL+}, so up to
 * {@link #IN_FLIGHT} appends are on the wire before the first answer is awaited; without
 * {@code LITERAL+} each literal waits for the server's continuation request (one round trip per
 * message, answers still awaited in the background). Bytes are sent unchanged; the internal date
 * goes to the second, in UTC. The outcome of each append is told in the order the server answers.
 * The caller closes the connection.
 */
public final class WireWriter implements MessageWriter {

  /** Appends awaiting their answer before the next one waits. */
  static final int IN_FLIGHT = 64;

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final WireConnection connection;
  private final boolean literalPlus;
  private final Map<String, Outcome> inFlight = new LinkedHashMap<>();

  /** A writer on {@code connection}, which must not be used by anyone else meanwhile. */
  public WireWriter(WireConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.literalPlus = connection.has("LITERAL+");
  }

  @Override
  public void append(AccountId account, FolderPath folder, SpooledMessage content, Flags flags,
      Instant date, Outcome outcome) throws IOException {
    String command = "APPEND " + connection.mailbox(folder) + " (" + flags + ") \""
        + DATE.format(date.truncatedTo(ChronoUnit.SECONDS)) + "\"";
    if (literalPlus) {
      inFlight.put(connection.sendWithLiteral(command, content), outcome);
    } else {
      String tag = connection.sendLiteralHeader(command, content.size());
      inFlight.put(tag, outcome);
      while (true) {
        Response r = connection.read();
        try (r) {
          if (r.continuation()) {
            break;
          }
          answered(r);
        }
        if (!inFlight.containsKey(tag)) {
          return; // refused before the literal (too large, no such folder)
        }
      }
      connection.sendLiteral(content);
    }
    if (inFlight.size() >= IN_FLIGHT) {
      connection.flush();
      while (inFlight.size() >= IN_FLIGHT / 2) {
        try (Response r = connection.read()) {
          answered(r);
        }
      }
    }
  }

  @Override
  public void flush() throws IOException {
    connection.flush();
    while (!inFlight.isEmpty()) {
      try (Response r = connection.read()) {
        answered(r);
      }
    }
  }

  /**
   * {@code SELECT} (read-write, never {@code CLOSE}d: nothing is expunged) and one
   * {@code UID STORE uid FLAGS.SILENT (...)} per message, all sent at once. A message whose key
   * has another UIDVALIDITY than the folder now, or that the server refuses, goes to
   * {@code problems}.
   */
  @Override
  public int replaceFlags(AccountId account, FolderPath folder, Map<MessageRef, Flags> flags,
      List<String> problems) throws IOException {
    flush();
    if (flags.isEmpty()) {
      return 0;
    }
    connection.selectedBy(this);
    long uidValidity = -1;
    for (String l : connection.runText("SELECT " + connection.mailbox(folder),
        "open folder " + folder + " to set flags")) {
      java.util.regex.Matcher m = UIDVALIDITY.matcher(l);
      if (m.find()) {
        uidValidity = Long.parseLong(m.group(1));
      }
    }
    Map<String, MessageRef> tags = new LinkedHashMap<>();
    for (Map.Entry<MessageRef, Flags> e : flags.entrySet()) {
      long[] k = WireReader.key(e.getKey());
      if (k == null || k[0] != uidValidity) {
        problems.add("folder " + folder + " of " + account + ", message " + e.getKey().key()
            + ": the target folder's UIDVALIDITY changed; its flags are set on the next run");
        continue;
      }
      tags.put(connection.send("UID STORE " + k[1] + " FLAGS.SILENT (" + e.getValue() + ")"),
          e.getKey());
    }
    connection.flush();
    int n = 0;
    while (!tags.isEmpty()) {
      try (Response r = connection.read()) {
        MessageRef ref = r.untagged() ? null : tags.remove(r.tag());
        if (ref == null) {
          continue;
        }
        if (r.ok()) {
          n++;
        } else {
          problems.add("folder " + folder + " of " + account + ", message " + ref.key()
              + ": the target refused its flags (" + WireConnection.shorten(r.text()) + ")");
        }
      }
    }
    return n;
  }

  private static final java.util.regex.Pattern UIDVALIDITY =
      java.util.regex.Pattern.compile("\\[UIDVALIDITY (\\d+)\\]",
          java.util.regex.Pattern.CASE_INSENSITIVE);

  /**
   * {@code [UIDVALIDITY, UID]} of the {@code [APPENDUID uidvalidity uid]} response code at the
   * start of a tagged {@code OK}'s text (RFC 4315), or null when there is none or it is not two
   * numbers (a UID set belongs to MULTIAPPEND, which is not used).
   */
  static long[] appendUid(String text) {
    int i = 0;
    int n = text.length();
    while (i < n && text.charAt(i) == ' ') {
      i++;
    }
    if (!text.regionMatches(true, i, "OK ", 0, 3)) {
      return null;
    }
    i += 3;
    while (i < n && text.charAt(i) == ' ') {
      i++;
    }
    if (!text.regionMatches(true, i, "[APPENDUID ", 0, 11)) {
      return null;
    }
    i += 11;
    int a = i;
    while (i < n && Character.isDigit(text.charAt(i))) {
      i++;
    }
    if (i == a || i >= n || text.charAt(i) != ' ' || i - a > 18) {
      return null;
    }
    long validity = Long.parseLong(text, a, i, 10);
    int b = ++i;
    while (i < n && Character.isDigit(text.charAt(i))) {
      i++;
    }
    if (i == b || i >= n || text.charAt(i) != ']' || i - b > 18) {
      return null;
    }
    long uid = Long.parseLong(text, b, i, 10);
    return validity > 0 && uid > 0 ? new long[] {validity, uid} : null;
  }

  private void answered(Response r) throws IOException {
    Outcome o = r.untagged() ? null : inFlight.remove(r.tag());
    if (o == null) {
      return;
    }
    if (r.ok()) {
      long[] uid = appendUid(r.text());
      if (uid != null) {
        o.stored(uid[0], uid[1]);
      } else {
        o.stored();
      }
    } else {
      o.refused("the server said '" + WireConnection.shorten(r.text()) + "'");
    }
  }
}
