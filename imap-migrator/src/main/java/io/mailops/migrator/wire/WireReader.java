package io.mailops.migrator.wire;

import io.mailops.migrator.Fingerprint;
import io.mailops.migrator.FolderStatus;
import io.mailops.migrator.MessageReader;
import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.Skip;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link MessageReader} on a {@link WireConnection}: the folder is opened read-only
 * ({@code EXAMINE}) and the messages are asked for in batches of UIDs,
 * {@code UID FETCH set (UID BODY.PEEK[])}, several batches in flight so that the server never
 * waits for the next command; each body literal is spooled (bounded memory) and handed to the
 * sink as it arrives. Messages are identified by their key {@code UIDVALIDITY:UID}: all of a key
 * whose UIDVALIDITY is not the folder's, and UIDs the server does not return, are gone. The
 * source is never changed ({@code EXAMINE}, {@code BODY.PEEK}). The caller closes the connection.
 */
public final class WireReader implements MessageReader {

  /** Messages per {@code UID FETCH}; system property {@code mailops.migrate.fetchBatch}. */
  static final int BATCH = Math.max(1, Integer.getInteger("mailops.migrate.fetchBatch", 100));

  /**
   * Bytes (by the scan's sizes) per {@code UID FETCH}; system property
   * {@code mailops.migrate.fetchBatchBytes}.
   */
  static final long BATCH_BYTES =
      Math.max(1, Long.getLong("mailops.migrate.fetchBatchBytes", 8L << 20));

  /** {@code UID FETCH} commands in flight. */
  static final int IN_FLIGHT = 3;

  private static final Pattern UIDVALIDITY = Pattern.compile("\\[UIDVALIDITY (\\d+)\\]",
      Pattern.CASE_INSENSITIVE);

  private static final Pattern EXISTS = Pattern.compile("^(\\d+) EXISTS", Pattern.CASE_INSENSITIVE);

  /** Most different flag texts {@link #flagTexts} holds. */
  private static final int FLAG_TEXTS = 1024;

  private static final DateTimeFormatter DATE = new DateTimeFormatterBuilder()
      .parseCaseInsensitive().appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);

  private final WireConnection connection;
  private final boolean headerPrints;
  /** The folder selected (examined) on the connection, and its UIDVALIDITY. */
  private FolderPath selected;
  private long selectedUidValidity;

  /**
   * The flags of the scans on this reader by their text: a mailbox has a few dozen different
   * combinations for thousands of messages, and {@link Flags} are immutable, so one instance
   * serves every message with the same text. Emptied when it holds {@link #FLAG_TEXTS}.
   */
  private final Map<String, ScanFlags> flagTexts = new HashMap<>();

  /**
   * A reader on {@code connection}, which must not be used by anyone else meanwhile; with
   * {@code headerPrints}, {@link #prints} works from headers and sizes (only for comparing with
   * prints made the same way: the sizes are the server's {@code RFC822.SIZE}).
   */
  public WireReader(WireConnection connection, boolean headerPrints) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.headerPrints = headerPrints;
  }

  /**
   * {@code EXAMINE} and {@code UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)} sent together
   * (one round trip), as {@code ImapStore#scan} lists a folder: in UID order, key
   * {@code UIDVALIDITY:UID}, {@code \Recent} and unknown system flags dropped, keywords that are
   * not atoms left out and reported as skips.
   */
  @Override
  public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
    String[] tags = sendScan(folder);
    connection.flush();
    return readScan(account, folder, tags);
  }

  /**
   * {@link #scan} of each folder, all the commands sent before the first answer is read (one
   * round trip for all); at most {@link #SCAN_AHEAD} folders' commands are out at once, so the
   * server never waits for us to read while we wait for it to read.
   */
  @Override
  public Map<FolderPath, Scanned> scanAll(AccountId account, List<FolderPath> folders)
      throws IOException {
    List<FolderPath> distinct = new ArrayList<>(new LinkedHashSet<>(folders));
    Map<FolderPath, Scanned> out = new LinkedHashMap<>();
    ArrayDeque<String[]> sent = new ArrayDeque<>();
    int next = 0;
    for (FolderPath f : distinct) {
      while (next < distinct.size() && next - out.size() < SCAN_AHEAD) {
        sent.add(sendScan(distinct.get(next++)));
      }
      connection.flush();
      try {
        out.put(f, new Scanned(readScan(account, f, sent.remove()), null));
      } catch (MailStoreException e) {
        out.put(f, new Scanned(null, e));
      }
    }
    return out;
  }

  /** Folders whose scan commands {@link #scanAll} has out at once. */
  static final int SCAN_AHEAD = 32;

  /** Sends (without flushing) the EXAMINE and UID FETCH of a scan of {@code folder}; their tags. */
  private String[] sendScan(FolderPath folder) throws IOException {
    String mailbox = connection.mailbox(folder);
    selected = null;
    connection.selectedBy(this);
    String examine = connection.send("EXAMINE " + mailbox);
    String fetch = connection.send("UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)");
    return new String[] {examine, fetch};
  }

  /** Reads the answers to a scan sent by {@link #sendScan} and makes the folder's scan. */
  private FolderScan readScan(AccountId account, FolderPath folder, String[] tags)
      throws IOException {
    String examine = tags[0];
    String fetch = tags[1];
    selected = null;
    long uidValidity = -1;
    long exists = -1;
    String examineFailed = null;
    List<Skip> skipped = new ArrayList<>();
    TreeMap<Long, Row> rows = new TreeMap<>();
    while (true) {
      try (Response r = connection.read()) {
        if (r.tag().equals(examine)) {
          examineFailed = r.ok() ? null : r.text();
        } else if (r.tag().equals(fetch)) {
          if (examineFailed != null) {
            throw new MailStoreException("cannot open folder " + folder + " of " + account
                + " on " + connection.location() + ": the server said '"
                + WireConnection.shorten(examineFailed) + "'");
          }
          if (!r.ok() && exists != 0) {
            throw new MailStoreException("cannot scan folder " + folder + " of " + account
                + " on " + connection.location() + ": the server said '"
                + WireConnection.shorten(r.text()) + "'");
          }
          break;
        } else if (r.untagged()) {
          long uid = r.fetchNumber() >= 0 ? r.uid() : -1;
          if (uid >= 0) {
            String text = r.text();
            rows.put(uid, new Row(r.size(), scanFlags(text), scanDate(text)));
            continue;
          }
          Matcher v = UIDVALIDITY.matcher(r.text());
          Matcher e = EXISTS.matcher(r.text());
          if (v.find()) {
            uidValidity = Long.parseLong(v.group(1));
          } else if (e.find()) {
            exists = Long.parseLong(e.group(1));
          }
        }
      }
    }
    if (uidValidity < 0) {
      throw new MailStoreException("folder " + folder + " on " + connection.location()
          + " has no UIDVALIDITY; the server does not support UIDs as IMAP4rev1 requires");
    }
    selected = folder;
    selectedUidValidity = uidValidity;
    List<MessageRef> refs = new ArrayList<>(rows.size());
    String prefix = uidValidity + ":";
    for (Map.Entry<Long, Row> e : rows.entrySet()) {
      long uid = e.getKey();
      Row row = e.getValue();
      ScanFlags flags = row.flags() == null ? ScanFlags.NONE : parsedFlags(row.flags());
      for (String bad : flags.badKeywords()) {
        skipped.add(new Skip(connection.location() + " " + folder + " UID " + uid,
            "keyword '" + bad + "' is not an IMAP atom mailops can keep; it is left out of the"
            + " message's flags"));
      }
      Instant date;
      try {
        date = row.date() == null ? Instant.EPOCH : internalDate(row.date().trim());
      } catch (DateTimeParseException bad) {
        date = Instant.EPOCH;
      }
      MessageKey key = MessageKey.of(prefix + uid);
      refs.add(new MessageRef(folder, key, Math.max(0, row.size()), flags.flags(), date,
          OptionalLong.of(uid), Optional.empty(), key.value()));
    }
    return new FolderScan(refs, skipped);
  }

  /** What a scan keeps of one {@code FETCH} line until the folder's UIDVALIDITY is known. */
  private record Row(long size, String flags, String date) {}

  /** The text inside the {@code FLAGS (...)} of a FETCH response; null without one. */
  static String scanFlags(String text) {
    return Response.enclosed(text, "FLAGS", '(', ')');
  }

  /** The text inside the {@code INTERNALDATE "..."} of a FETCH response; null without one. */
  static String scanDate(String text) {
    return Response.enclosed(text, "INTERNALDATE", '"', '"');
  }

  /** The flags of a scan, from the text inside {@code FLAGS (...)}. */
  private record ScanFlags(Flags flags, List<String> badKeywords) {

    static final ScanFlags NONE = new ScanFlags(Flags.NONE, List.of());

    /**
     * {@code \Recent} and unknown system flags dropped; keywords that are not atoms mailops
     * can keep listed apart.
     */
    static ScanFlags parse(String text) {
      EnumSet<Flag> system = EnumSet.noneOf(Flag.class);
      TreeSet<String> keywords = new TreeSet<>();
      List<String> bad = new ArrayList<>();
      for (String f : text.trim().split(" +")) {
        if (f.isEmpty() || f.startsWith("\\")) {
          Flag.ofImapName(f).ifPresent(system::add);
        } else {
          try {
            Flags.of(List.of(), List.of(f));
            keywords.add(f);
          } catch (IllegalArgumentException e) {
            bad.add(f);
          }
        }
      }
      return new ScanFlags(new Flags(system, keywords), List.copyOf(bad));
    }
  }

  private ScanFlags parsedFlags(String text) {
    ScanFlags f = flagTexts.get(text);
    if (f == null) {
      if (flagTexts.size() >= FLAG_TEXTS) {
        flagTexts.clear();
      }
      f = ScanFlags.parse(text);
      flagTexts.put(text, f);
    }
    return f;
  }

  /**
   * {@code STATUS mailbox (UIDVALIDITY UIDNEXT MESSAGES[ HIGHESTMODSEQ])} for every folder, all
   * sent at once (one round trip); HIGHESTMODSEQ only when the server announces CONDSTORE. A
   * folder the server refuses, or whose answer lacks an item, is left out.
   */
  @Override
  public Map<FolderPath, FolderStatus> status(AccountId account, List<FolderPath> folders)
      throws IOException {
    boolean modseq = connection.has("CONDSTORE");
    Map<String, FolderPath> tags = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    for (FolderPath f : folders) {
      String mailbox = connection.mailbox(f);
      String tag = connection.send("STATUS " + mailbox + " (UIDVALIDITY UIDNEXT MESSAGES"
          + (modseq ? " HIGHESTMODSEQ)" : ")"));
      tags.put(tag, f);
      names.put(tag, unquote(mailbox));
    }
    connection.flush();
    Map<String, FolderStatus> byName = new HashMap<>();
    Map<FolderPath, FolderStatus> out = new HashMap<>();
    while (!tags.isEmpty()) {
      try (Response r = connection.read()) {
        String t = r.text();
        if (r.untagged()) {
          statusLine(t, modseq, byName);
        } else {
          FolderPath f = tags.remove(r.tag());
          FolderStatus st = f == null ? null : byName.get(names.get(r.tag()));
          if (st != null && r.ok()) {
            out.put(f, st);
          }
        }
      }
    }
    return out;
  }

  /**
   * The statuses of {@code folders} found among {@code lines}, the untagged responses of a
   * {@code LIST ... RETURN (STATUS (UIDVALIDITY UIDNEXT MESSAGES [HIGHESTMODSEQ]))} (RFC 5819)
   * on {@code connection}; a folder without a complete {@code STATUS} response is left out.
   */
  static Map<FolderPath, FolderStatus> statusFrom(WireConnection connection, List<String> lines,
      List<FolderPath> folders, boolean modseq) throws IOException {
    Map<String, FolderStatus> byName = new HashMap<>();
    for (String t : lines) {
      statusLine(t, modseq, byName);
    }
    Map<FolderPath, FolderStatus> out = new HashMap<>();
    for (FolderPath f : folders) {
      FolderStatus st = byName.get(unquote(connection.mailbox(f)));
      if (st != null) {
        out.put(f, st);
      }
    }
    return out;
  }

  /**
   * Puts the status of an untagged {@code STATUS mailbox (items)} response text {@code t} into
   * {@code byName} under the unquoted mailbox name; other texts, and a status missing an item,
   * are left out.
   */
  private static void statusLine(String t, boolean modseq, Map<String, FolderStatus> byName) {
    int open = t.lastIndexOf(" (");
    if (t.regionMatches(true, 0, "STATUS ", 0, 7) && open > 7) {
      FolderStatus st = statusOf(t.substring(open), modseq);
      if (st != null) {
        byName.put(unquote(t.substring(7, open)), st);
      }
    }
  }

  /** A mailbox name as sent or received: quotes and their escapes removed; INBOX upper-cased. */
  private static String unquote(String name) {
    String n = name;
    if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) {
      n = n.substring(1, n.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return n.equalsIgnoreCase("INBOX") ? "INBOX" : n;
  }

  /** The status in the item list of a {@code STATUS} response, or null if an item is missing. */
  static FolderStatus statusOf(String text, boolean modseq) {
    long validity = Response.number(text, "UIDVALIDITY");
    long next = Response.number(text, "UIDNEXT");
    long messages = Response.number(text, "MESSAGES");
    long highest = modseq ? Response.number(text, "HIGHESTMODSEQ") : -1;
    if (validity < 0 || next < 0 || messages < 0 || (modseq && highest < 0)) {
      return null;
    }
    return new FolderStatus(validity, next, messages, highest);
  }

  private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

  /**
   * An IMAP INTERNALDATE ({@code d-MMM-yyyy HH:mm:ss +hhmm}, as {@link #DATE} parses it) read
   * without the formatter for the common form (one per message of every scan); anything else,
   * and any date the fast path cannot take as it is, goes through {@link #DATE}.
   *
   * @throws DateTimeParseException if {@link #DATE} cannot parse it either
   */
  static Instant internalDate(String s) {
    int dash = s.indexOf('-');
    if ((dash == 1 || dash == 2) && s.length() == dash + 24 && s.charAt(dash + 4) == '-'
        && s.charAt(dash + 9) == ' ' && s.charAt(dash + 12) == ':' && s.charAt(dash + 15) == ':'
        && s.charAt(dash + 18) == ' ' && (s.charAt(dash + 19) == '+' || s.charAt(dash + 19) == '-')) {
      int month = MONTHS.indexOf(s.substring(dash + 1, dash + 4).toLowerCase(Locale.ROOT));
      int day = digits(s, 0, dash);
      int year = digits(s, dash + 5, dash + 9);
      int hour = digits(s, dash + 10, dash + 12);
      int minute = digits(s, dash + 13, dash + 15);
      int second = digits(s, dash + 16, dash + 18);
      int zh = digits(s, dash + 20, dash + 22);
      int zm = digits(s, dash + 22, dash + 24);
      if (month >= 0 && month % 3 == 0 && year >= 1 && day >= 1
          && day <= Month.of(month / 3 + 1).length(Year.isLeap(year)) && hour >= 0
          && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && zh >= 0
          && zh <= 17 && zm >= 0 && zm <= 59) {
        int offset = (zh * 3600 + zm * 60) * (s.charAt(dash + 19) == '-' ? -1 : 1);
        return Instant.ofEpochSecond(LocalDate.of(year, month / 3 + 1, day).toEpochDay() * 86_400
            + hour * 3600 + minute * 60 + second - offset);
      }
    }
    return ZonedDateTime.parse(s, DATE).toInstant();
  }

  /** The decimal number of {@code s} from {@code from} to {@code to}; -1 if not all digits. */
  private static int digits(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  @Override
  public void read(AccountId account, FolderPath folder, List<MessageRef> refs, Sink sink)
      throws IOException {
    fetch(folder, refs, "BODY.PEEK[]", BATCH, BATCH_BYTES, new Handler() {
      @Override
      public void fetched(MessageRef ref, Response r) throws IOException {
        Optional<SpooledMessage> body = r.take("BODY[]");
        if (body.isEmpty()) {
          sink.failed(ref, "the server sent no content for it");
          return;
        }
        try (SpooledMessage content = body.get()) {
          sink.message(ref, content);
          content.release(); // the sink is done with it, unless it retained it
        }
      }

      @Override
      public void gone(MessageRef ref) throws IOException {
        sink.gone(ref);
      }

      @Override
      public void failed(MessageRef ref, String reason) throws IOException {
        sink.failed(ref, reason);
      }
    });
  }

  /**
   * With header prints and in {@link Fingerprint.Mode#HEADERS}: the fingerprints from each
   * message's header
   * ({@code BODY.PEEK[HEADER]}) and {@code RFC822.SIZE}, which the server states with CRLF line
   * ends as {@link Fingerprint} counts; only messages without a Message-ID are read whole. In
   * {@link Fingerprint.Mode#CONTENT} every message is read whole.
   */
  @Override
  public Map<String, List<MessageRef>> prints(AccountId account, FolderPath folder,
      List<MessageRef> refs, Fingerprint.Mode mode, List<String> problems) throws IOException {
    if (!headerPrints || mode != Fingerprint.Mode.HEADERS) {
      return MessageReader.super.prints(account, folder, refs, mode, problems);
    }
    Map<String, List<MessageRef>> out = new LinkedHashMap<>();
    List<MessageRef> whole = new ArrayList<>();
    fetch(folder, refs, "RFC822.SIZE BODY.PEEK[HEADER]", 500, Long.MAX_VALUE, new Handler() {
      @Override
      public void fetched(MessageRef ref, Response r) throws IOException {
        Optional<SpooledMessage> header = r.take("BODY[HEADER]");
        long size = r.size();
        Optional<String> print = Optional.empty();
        if (header.isPresent()) {
          try (SpooledMessage h = header.get(); InputStream in = h.open()) {
            print = size < 0 || h.size() >= Fingerprint.MAX_HEADER ? Optional.empty()
                : Fingerprint.ofHeader(in.readAllBytes(), size);
          } finally {
            header.get().release(); // back to the pool
          }
        }
        if (print.isPresent()) {
          out.computeIfAbsent(print.get(), p -> new ArrayList<>()).add(ref);
        } else {
          whole.add(ref);
        }
      }

      @Override
      public void gone(MessageRef ref) {}

      @Override
      public void failed(MessageRef ref, String reason) {
        problems.add("folder " + ref.folder() + " of " + account + ", message " + ref.key()
            + ": cannot read it to compare (" + reason + ")");
      }
    });
    MessageReader.super.prints(account, folder, whole, mode, problems)
        .forEach((p, r) -> out.computeIfAbsent(p, x -> new ArrayList<>()).addAll(r));
    return out;
  }

  /** What becomes of each message of a {@link #fetch}. */
  private interface Handler {
    void fetched(MessageRef ref, Response r) throws IOException;

    void gone(MessageRef ref) throws IOException;

    void failed(MessageRef ref, String reason) throws IOException;
  }

  /**
   * Examines {@code folder} and fetches {@code items} of every message of {@code refs} in
   * batches of at most {@code batch} messages and {@code batchBytes} bytes (by the scan's
   * sizes), {@link #IN_FLIGHT} batches on the wire at once; tells {@code h} about each message
   * exactly once.
   */
  private void fetch(FolderPath folder, List<MessageRef> refs, String items, int batch,
      long batchBytes, Handler h) throws IOException {
    if (refs.isEmpty()) {
      return;
    }
    long uidValidity = examine(folder);
    List<List<MessageRef>> batches = new ArrayList<>();
    List<MessageRef> current = new ArrayList<>();
    long bytes = 0;
    for (MessageRef ref : refs) {
      long[] key = key(ref);
      if (key == null || key[0] != uidValidity) {
        h.gone(ref);
        continue;
      }
      if (!current.isEmpty() && (current.size() >= batch || bytes + ref.size() > batchBytes)) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(ref);
      bytes += ref.size();
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    ArrayDeque<String> tags = new ArrayDeque<>();
    Map<String, Map<Long, MessageRef>> pending = new HashMap<>();
    Map<Long, MessageRef> byUid = new HashMap<>();
    int next = 0;
    while (next < batches.size() || !tags.isEmpty()) {
      while (next < batches.size() && tags.size() < IN_FLIGHT) {
        Map<Long, MessageRef> wanted = new LinkedHashMap<>();
        for (MessageRef ref : batches.get(next)) {
          wanted.put(key(ref)[1], ref);
        }
        next++;
        String tag = connection.send("UID FETCH " + uidSet(wanted.keySet()) + " (UID " + items
            + ")");
        tags.add(tag);
        pending.put(tag, wanted);
        byUid.putAll(wanted);
      }
      connection.flush();
      try (Response r = connection.read()) {
        if (r.fetchNumber() >= 0) {
          MessageRef ref = byUid.remove(r.uid());
          if (ref != null) {
            for (Map<Long, MessageRef> m : pending.values()) {
              m.remove(r.uid());
            }
            h.fetched(ref, r);
          }
        } else if (!r.untagged() && pending.containsKey(r.tag())) {
          tags.remove(r.tag());
          Map<Long, MessageRef> left = pending.remove(r.tag());
          for (MessageRef ref : left.values()) {
            byUid.remove(key(ref)[1]);
            if (r.ok()) {
              h.gone(ref);
            } else {
              h.failed(ref, "the server refused to send it from folder " + folder + " ("
                  + WireConnection.shorten(r.text()) + ")");
            }
          }
        }
      }
    }
  }

  /**
   * {@code UID FETCH 1:* (UID) (CHANGEDSINCE modSeq)} on the examined folder, when the server
   * announces CONDSTORE and the folder still has UIDVALIDITY {@code uidValidity}.
   */
  @Override
  public Optional<Set<Long>> changedSince(AccountId account, FolderPath folder, long uidValidity,
      long modSeq) throws IOException {
    if (!connection.has("CONDSTORE") || modSeq <= 0 || examine(folder) != uidValidity) {
      return Optional.empty();
    }
    Set<Long> out = new TreeSet<>();
    for (String l : connection.runText("UID FETCH 1:* (UID) (CHANGEDSINCE " + modSeq + ")",
        "list changed flags of folder " + folder)) {
      long uid = l.contains(" FETCH ") ? Response.number(l, "UID") : -1;
      if (uid >= 0) {
        out.add(uid);
      }
    }
    return Optional.of(out);
  }

  /** Opens {@code folder} read-only; its UIDVALIDITY. */
  private long examine(FolderPath folder) throws IOException {
    if (folder.equals(selected) && connection.isSelectedBy(this)) {
      return selectedUidValidity;
    }
    selected = null;
    connection.selectedBy(this);
    long uidValidity = -1;
    for (String l : connection.runText("EXAMINE " + connection.mailbox(folder),
        "open folder " + folder)) {
      Matcher m = UIDVALIDITY.matcher(l);
      if (m.find()) {
        uidValidity = Long.parseLong(m.group(1));
      }
    }
    if (uidValidity < 0) {
      throw new MailStoreException("folder " + folder + " on " + connection.location()
          + " has no UIDVALIDITY; the server does not support UIDs as IMAP4rev1 requires");
    }
    selected = folder;
    selectedUidValidity = uidValidity;
    return uidValidity;
  }

  /** {@code [UIDVALIDITY, UID]} of an IMAP key, or null for another kind of key. */
  static long[] key(MessageRef ref) {
    String k = ref.key().value();
    int colon = k.indexOf(':');
    try {
      return colon < 0 ? null
          : new long[] {Long.parseLong(k.substring(0, colon)), Long.parseLong(k.substring(colon + 1))};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** An IMAP sequence set of {@code uids}, runs written as {@code a:b}. */
  static String uidSet(Iterable<Long> uids) {
    List<Long> sorted = new ArrayList<>();
    uids.forEach(sorted::add);
    sorted.sort(null);
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < sorted.size()) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
        j++;
      }
      b.append(b.length() == 0 ? "" : ",").append(sorted.get(i));
      if (j > i) {
        b.append(':').append(sorted.get(j));
      }
      i = j + 1;
    }
    return b.toString();
  }
}
