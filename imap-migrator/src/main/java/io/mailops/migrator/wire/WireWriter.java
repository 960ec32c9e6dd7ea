package io.mailops.migrator.wire;

import io.mailops.migrator.MessageWriter;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link MessageWriter} on a {@link WireConnection}.
 *
 * <p>When the server announces {@code MULTIAPPEND} (RFC 3502) and {@code LITERAL+}, messages for
 * the same folder are sent as one {@code APPEND mailbox (flags) "date" {n+} ... (flags) "date"
 * {n+} ...} command of up to {@link #batchMessages} messages and {@link #batchBytes} bytes: the
 * server stores them in one transaction (Dovecot: one {@code dovecot-uidlist} lock and one index
 * sync instead of one per message), all or none. Each message is written to the connection as it
 * is appended; the command ends at the next message for another folder, a full batch, or
 * {@link #flush}. A message above {@link SpooledMessage#IN_MEMORY} bytes or above the batch's
 * byte limit goes alone. The messages of a batch are kept (in memory, bounded by the byte limit
 * times {@link #BATCHES_IN_FLIGHT}) until its answer: a batch answered {@code NO} or {@code BAD}
 * is sent again one message per {@code APPEND}, so that a refused message is reported by itself
 * and the others are stored. The {@code [APPENDUID uidvalidity uid-set]} of a batch's {@code OK}
 * names the new UIDs in the order of the messages (RFC 4315).
 *
 * <p>Without {@code MULTIAPPEND}: {@code APPEND mailbox (flags) "date" {n+}} with the message
 * right behind it when the server announces {@code LITERAL+}, so up to {@link #IN_FLIGHT} appends
 * are on the wire before the first answer is awaited; without {@code LITERAL+} each literal waits
 * for the server's continuation request (one round trip per message, answers still awaited in the
 * background), and messages always go one per command. Bytes are sent unchanged; the internal
 * date goes to the second, in UTC. The outcome of each append is told in the order the server
 * answers. The caller closes the connection.
 */
public final class WireWriter implements MessageWriter {

  /** Single appends awaiting their answer before the next one waits. */
  static final int IN_FLIGHT = 64;

  /**
   * Batches (MULTIAPPEND commands) awaiting their answer before the next one waits; system
   * property {@code mailops.migrate.appendBatchesInFlight}.
   */
  static final int BATCHES_IN_FLIGHT =
      Math.max(1, Integer.getInteger("mailops.migrate.appendBatchesInFlight", 3));

  /** Default most messages per MULTIAPPEND; system property {@code mailops.migrate.appendBatch}. */
  static final int BATCH_MESSAGES = 64;

  /** Default most bytes per MULTIAPPEND; system property {@code mailops.migrate.appendBatchBytes}. */
  static final long BATCH_BYTES = 8L * 1024 * 1024;

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  /** One message of a command in flight, kept for a retry when it is part of a batch. */
  private record Item(SpooledMessage content, Flags flags, Instant date, Outcome outcome) {}

  /** One APPEND command: its folder and its messages in order. */
  private record Command(FolderPath folder, List<Item> items) {}

  private final WireConnection connection;
  private final boolean literalPlus;
  private final int batchMessages;
  private final long batchBytes;
  private final Map<String, Command> inFlight = new LinkedHashMap<>();
  /** Messages in flight, in commands of all kinds. */
  private int messagesInFlight;
  /** The MULTIAPPEND command being written (its messages are on the wire), or null. */
  private String openTag;
  private Command open;
  private long openBytes;

  /** A writer on {@code connection}, which must not be used by anyone else meanwhile. */
  public WireWriter(WireConnection connection) {
    this(connection, Integer.getInteger("mailops.migrate.appendBatch", BATCH_MESSAGES),
        Long.getLong("mailops.migrate.appendBatchBytes", BATCH_BYTES));
  }

  /**
   * A writer that puts up to {@code batchMessages} messages and {@code batchBytes} bytes in one
   * MULTIAPPEND when the server offers it; {@code batchMessages} 1 never batches.
   */
  WireWriter(WireConnection connection, int batchMessages, long batchBytes) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.literalPlus = connection.has("LITERAL+");
    boolean multi = literalPlus && connection.has("MULTIAPPEND");
    this.batchMessages = multi ? Math.max(1, batchMessages) : 1;
    this.batchBytes = Math.max(1, batchBytes);
  }

  /** True if this writer puts several messages in one APPEND. */
  public boolean batches() {
    return batchMessages > 1;
  }

  @Override
  public void append(AccountId account, FolderPath folder, SpooledMessage content, Flags flags,
      Instant date, Outcome outcome) throws IOException {
    long size = content.size();
    if (batches() && size <= SpooledMessage.IN_MEMORY && size <= batchBytes) {
      if (open != null && (!open.folder().equals(folder) || openBytes + size > batchBytes)) {
        endBatch();
      }
      // the content is kept until the answer (for a retry): it is held in memory, which close()
      // leaves alone, and retained, so that a pooled array is not used again before the answer
      Item item = new Item(content.retain(), flags, date, outcome);
      String part = part(flags, date);
      if (open == null) {
        open = new Command(folder, new ArrayList<>());
        openTag = connection.sendWithLiteral("APPEND " + connection.mailbox(folder) + " " + part,
            content, false);
      } else {
        connection.continueWithLiteral(part, content);
      }
      open.items().add(item);
      openBytes += size;
      messagesInFlight++;
      if (open.items().size() >= batchMessages) {
        endBatch();
      }
      return;
    }
    endBatch();
    String command = "APPEND " + connection.mailbox(folder) + " " + part(flags, date);
    Command single = new Command(folder, List.of(new Item(null, flags, date, outcome)));
    if (literalPlus) {
      inFlight.put(connection.sendWithLiteral(command, content), single);
      messagesInFlight++;
    } else {
      String tag = connection.sendLiteralHeader(command, content.size());
      inFlight.put(tag, single);
      messagesInFlight++;
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
    awaitRoom();
  }

  /** {@code (flags) "date"} of one message: the date to the second, in UTC. */
  private static String part(Flags flags, Instant date) {
    return "(" + flags + ") \"" + internalDate(date) + "\"";
  }

  private static final String[] MONTHS =
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  /**
   * {@code date} to the second in UTC as {@link #DATE} writes it ({@code dd-MMM-yyyy HH:mm:ss
   * +0000}), without the formatter for years 1 to 9999 (one per message appended).
   */
  static String internalDate(Instant date) {
    long seconds = date.getEpochSecond();
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
    if (day.getYear() < 1 || day.getYear() > 9999) {
      return DATE.format(date.truncatedTo(ChronoUnit.SECONDS));
    }
    int time = (int) Math.floorMod(seconds, 86_400);
    char[] c = "dd-MMM-yyyy hh:mm:ss +0000".toCharArray();
    two(c, 0, day.getDayOfMonth());
    MONTHS[day.getMonthValue() - 1].getChars(0, 3, c, 3);
    two(c, 7, day.getYear() / 100);
    two(c, 9, day.getYear() % 100);
    two(c, 12, time / 3600);
    two(c, 15, time / 60 % 60);
    two(c, 18, time % 60);
    return new String(c);
  }

  private static void two(char[] c, int at, int n) {
    c[at] = (char) ('0' + n / 10);
    c[at + 1] = (char) ('0' + n % 10);
  }

  /** Ends the MULTIAPPEND being written, if any, and waits while too many are in flight. */
  private void endBatch() throws IOException {
    if (open == null) {
      return;
    }
    connection.endCommand();
    inFlight.put(openTag, open);
    open = null;
    openTag = null;
    openBytes = 0;
    awaitRoom();
  }

  /** Reads answers while too many commands are in flight (never with a batch open). */
  private void awaitRoom() throws IOException {
    if (batches() ? inFlight.size() < BATCHES_IN_FLIGHT : messagesInFlight < IN_FLIGHT) {
      return;
    }
    connection.flush();
    while (batches() ? inFlight.size() >= BATCHES_IN_FLIGHT : messagesInFlight >= IN_FLIGHT / 2) {
      try (Response r = connection.read()) {
        answered(r);
      }
    }
  }

  @Override
  public void flush() throws IOException {
    if (open != null) {
      connection.endCommand();
      inFlight.put(openTag, open);
      open = null;
      openTag = null;
      openBytes = 0;
    }
    connection.flush();
    while (!inFlight.isEmpty()) {
      try (Response r = connection.read()) {
        answered(r);
      }
    }
  }

  /**
   * {@code CREATE} and {@code SUBSCRIBE} of every folder, all sent at once (one round trip for
   * all, where a folder at a time took two or three); a folder whose two commands were both
   * answered {@code OK} was made. Appends in flight are flushed first.
   */
  @Override
  public Set<FolderPath> createFolders(AccountId account, List<FolderPath> folders)
      throws IOException {
    flush();
    Map<FolderPath, String> names = new LinkedHashMap<>();
    for (FolderPath f : folders) {
      if (!f.isInbox()) {
        names.put(f, connection.mailbox(f)); // a name it cannot take throws before any is sent
      }
    }
    Map<String, FolderPath> tags = new LinkedHashMap<>();
    for (Map.Entry<FolderPath, String> e : names.entrySet()) {
      tags.put(connection.send("CREATE " + e.getValue()), e.getKey());
      tags.put(connection.send("SUBSCRIBE " + e.getValue()), e.getKey());
    }
    connection.flush();
    // a folder was made when both its commands were answered OK
    Map<FolderPath, Integer> oks = new LinkedHashMap<>();
    while (!tags.isEmpty()) {
      try (Response r = connection.read()) {
        FolderPath f = r.untagged() ? null : tags.remove(r.tag());
        if (f != null && r.ok()) {
          oks.merge(f, 1, Integer::sum);
        }
      }
    }
    Set<FolderPath> created = new LinkedHashSet<>();
    oks.forEach((f, n) -> {
      if (n == 2) {
        created.add(f);
      }
    });
    return created;
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
      Matcher m = UIDVALIDITY.matcher(l);
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

  private static final Pattern UIDVALIDITY =
      Pattern.compile("\\[UIDVALIDITY (\\d+)\\]",
          Pattern.CASE_INSENSITIVE);

  /**
   * {@code [UIDVALIDITY, UID]} of the {@code [APPENDUID uidvalidity uid]} response code at the
   * start of a tagged {@code OK}'s text (RFC 4315), or null when there is none or it is not two
   * numbers.
   */
  static long[] appendUid(String text) {
    return appendUid(text, 1);
  }

  /**
   * {@code [UIDVALIDITY, UID1, ..., UIDn]} of the {@code [APPENDUID uidvalidity uid-set]} response
   * code at the start of a tagged {@code OK}'s text (RFC 4315; for a MULTIAPPEND of {@code count}
   * messages the set lists their UIDs in the order of the messages, runs as {@code a:b}), or null
   * when there is none, it is malformed, or it does not name exactly {@code count} UIDs.
   */
  static long[] appendUid(String text, int count) {
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
    long[] out = new long[count + 1];
    out[0] = validity;
    int k = 1;
    i++;
    while (true) {
      int b = i;
      while (i < n && Character.isDigit(text.charAt(i))) {
        i++;
      }
      if (i == b || i >= n || i - b > 18) {
        return null;
      }
      long first = Long.parseLong(text, b, i, 10);
      long last = first;
      if (text.charAt(i) == ':') {
        int c = ++i;
        while (i < n && Character.isDigit(text.charAt(i))) {
          i++;
        }
        if (i == c || i >= n || i - c > 18) {
          return null;
        }
        last = Long.parseLong(text, c, i, 10);
      }
      if (first <= 0 || last <= 0 || Math.abs(last - first) >= count - k + 1L) {
        return null; // zero, or more UIDs than messages
      }
      long step = last >= first ? 1 : -1;
      for (long u = first; ; u += step) {
        out[k++] = u;
        if (u == last) {
          break;
        }
      }
      char ch = text.charAt(i++);
      if (ch == ']') {
        break;
      }
      if (ch != ',' || i >= n) {
        return null;
      }
    }
    return validity > 0 && k == count + 1 ? out : null;
  }

  /** Ends this writer's hold of an item's content (kept for a retry until the answer). */
  private static void release(Item it) {
    if (it.content() != null) {
      it.content().release();
    }
  }

  private void answered(Response r) throws IOException {
    Command c = r.untagged() ? null : inFlight.remove(r.tag());
    if (c == null) {
      return;
    }
    List<Item> items = c.items();
    messagesInFlight -= items.size();
    if (r.ok()) {
      long[] uids = appendUid(r.text(), items.size());
      for (int i = 0; i < items.size(); i++) {
        release(items.get(i));
        if (uids != null) {
          items.get(i).outcome().stored(uids[0], uids[i + 1]);
        } else {
          items.get(i).outcome().stored();
        }
      }
    } else if (items.size() > 1) {
      // all or none (RFC 3502): none was stored; one APPEND each finds the one refused
      for (Item it : items) {
        String command = "APPEND " + connection.mailbox(c.folder()) + " "
            + part(it.flags(), it.date());
        inFlight.put(connection.sendWithLiteral(command, it.content()),
            new Command(c.folder(), List.of(new Item(null, it.flags(), it.date(), it.outcome()))));
        release(it); // written to the connection's buffer or socket: not needed again
        messagesInFlight++;
      }
      connection.flush();
    } else {
      release(items.get(0));
      items.get(0).outcome().refused("the server said '" + WireConnection.shorten(r.text()) + "'");
    }
  }
}
