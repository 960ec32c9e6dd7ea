package io.mailops.storage.interop;

import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * One IMAP session to the harness Dovecot with raw commands (Jakarta Mail's protocol layer), so
 * the test sets the exact bytes, flags and INTERNALDATE of an APPEND and sees exactly what
 * {@code BODY.PEEK[]} returns. Folder names are Unicode with {@code /} as separator (Dovecot's
 * namespace separator here); they are sent in modified UTF-7. One thread at a time; the caller
 * closes it. Shipped in the storage-tools test-jar for every module's ITs.
 */
public final class ImapTestClient implements AutoCloseable {

  public static final DateTimeFormatter IMAP_DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);
  private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID (\\d+) (\\d+)\\]");

  /** One message as {@code UID FETCH (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])} returned it. */
  public record Fetched(long uid, Flags flags, Instant internalDate, long rfc822Size, byte[] body) {

    public String sha256() {
      return sha(body);
    }

    /** The value of the first {@code X-Test-Id} header, or null. */
    public String testId() {
      return ImapTestClient.testId(body);
    }

    /** What must survive a backup and restore: bytes, flags, keywords, date to the second. */
    public String state() {
      return sha256() + " | " + flags.system() + " | " + flags.keywords() + " | " + internalDate;
    }
  }

  private final Store store;
  private IMAPFolder selected;

  private ImapTestClient(Store store) {
    this.store = store;
  }

  /** Logs {@code user} in to {@code s} (read timeout 60 s). */
  public static ImapTestClient login(DovecotServer s, String user) throws MessagingException {
    return connect(s.imapHost(), s.imapPort(), user, s.password(), 60000);
  }

  /** Logs {@code user} in to the Dovecot of {@link DovecotEnv} (read timeout 30 s). */
  static ImapTestClient login(DovecotEnv env, String user) throws MessagingException {
    return connect(env.imapHost(), env.imapPort(), user, env.password(), 30000);
  }

  /** Logs {@code user} in to {@code host:port} with a read timeout of {@code timeoutMillis}. */
  public static ImapTestClient connect(String host, int port, String user, String password,
      int timeoutMillis) throws MessagingException {
    Properties props = new Properties();
    props.setProperty("mail.imap.connectiontimeout", "10000");
    props.setProperty("mail.imap.timeout", Integer.toString(timeoutMillis));
    Store store = Session.getInstance(props).getStore("imap");
    store.connect(host, port, user, password);
    return new ImapTestClient(store);
  }

  /** {@code CREATE folder}. */
  public void create(String folder) throws MessagingException {
    root().doCommand(p -> {
      p.create(folder);
      return null;
    });
  }

  /** {@code LIST "" *}: every selectable folder, decoded. */
  public Set<String> folders() throws MessagingException {
    return list(true);
  }

  /** {@code LIST "" *}: every folder name (selectable or not), decoded. */
  public Set<String> list() throws MessagingException {
    return list(false);
  }

  private Set<String> list(boolean selectableOnly) throws MessagingException {
    ListInfo[] infos = (ListInfo[]) root().doCommand(p -> p.list("", "*"));
    Set<String> names = new TreeSet<>();
    for (ListInfo li : infos) {
      if (li.canOpen || !selectableOnly) {
        names.add(li.name);
      }
    }
    return names;
  }

  /** What APPENDUID reported. */
  public record Appended(long uidValidity, long uid) {}

  /** {@code APPEND folder (flags) "date" {literal}}; the UID from APPENDUID. */
  public long append(String folder, byte[] message, String flags, Instant internalDate,
      ZoneId zone) throws MessagingException {
    return append(folder, message, flags, IMAP_DATE.format(internalDate.atZone(zone))).uid();
  }

  /**
   * {@code APPEND folder (flags) "internalDate" {literal}} with exactly {@code message} as the
   * literal; {@code flags} is the inside of the flag list, e.g. {@code \Seen $Label1}.
   */
  public Appended append(String folder, byte[] message, String flags, String internalDate)
      throws MessagingException {
    String ok = (String) root().doCommand(p -> {
      Argument args = new Argument();
      args.writeString(BASE64MailboxEncoder.encode(folder));
      args.writeAtom("(" + flags + ")");
      args.writeString(internalDate);
      args.writeBytes(message);
      return run(p, "APPEND", args).toString();
    });
    Matcher m = APPENDUID.matcher(ok);
    if (!m.find()) {
      throw new IllegalStateException("APPEND to " + folder + " answered without APPENDUID: " + ok);
    }
    return new Appended(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }

  /** Selects {@code folder} read-write (so Dovecot syncs it: new/ to cur/, UIDs assigned). */
  public void select(String folder) throws MessagingException {
    if (selected != null && selected.getFullName().equals(folder) && selected.isOpen()) {
      return;
    }
    if (selected != null && selected.isOpen()) {
      selected.close(false);
    }
    IMAPFolder f = (IMAPFolder) store.getFolder(folder);
    f.open(Folder.READ_WRITE);
    selected = f;
  }

  /** A command on the selected folder, e.g. {@code UID STORE 7 +FLAGS.SILENT (\Flagged)}. */
  public void command(String command) throws MessagingException {
    selected.doCommand(p -> run(p, command, null));
  }

  /** Every message of {@code folder} with its bytes, in UID order. */
  public List<Fetched> fetchAll(String folder) throws MessagingException {
    select(folder);
    command("NOOP");
    if (selected.getMessageCount() == 0) {
      return List.of();
    }
    Response[] rs = (Response[]) selected.doCommand(p -> {
      Response[] r = p.command("UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])", null);
      p.notifyResponseHandlers(r);
      p.handleResult(r[r.length - 1]);
      return r;
    });
    List<Fetched> out = new ArrayList<>();
    for (Response r : rs) {
      if (r instanceof FetchResponse fr && fr.getItem(BODY.class) != null) {
        out.add(new Fetched(fr.getItem(UID.class).uid, toModel(fr.getItem(FLAGS.class)),
            fr.getItem(INTERNALDATE.class).getDate().toInstant(), fr.getItem(RFC822SIZE.class).size,
            fr.getItem(BODY.class).getByteArray().getNewBytes()));
      }
    }
    return out;
  }

  /**
   * Every selectable folder → every message's {@link Fetched#state()} → how often it occurs
   * (a count above 1 is a duplicate).
   */
  public Map<String, Map<String, Integer>> snapshot() throws MessagingException {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    for (String f : folders()) {
      Map<String, Integer> m = new TreeMap<>();
      for (Fetched x : fetchAll(f)) {
        m.merge(x.state(), 1, Integer::sum);
      }
      out.put(f, m);
    }
    return out;
  }

  /**
   * Every selectable folder → the SHA-256 of each message's bytes in UID order: the order a mail
   * client shows when it does not sort.
   */
  public Map<String, List<String>> order() throws MessagingException {
    Map<String, List<String>> out = new TreeMap<>();
    for (String f : folders()) {
      out.put(f, fetchAll(f).stream().map(Fetched::sha256).toList());
    }
    return out;
  }

  private static Response run(IMAPProtocol p, String command, Argument args) throws ProtocolException {
    Response[] r = p.command(command, args);
    p.notifyResponseHandlers(r);
    p.handleResult(r[r.length - 1]);
    return r[r.length - 1];
  }

  /** IMAP flags as the model has them; {@code \Recent} is session state and left out. */
  public static Flags toModel(jakarta.mail.Flags f) {
    EnumSet<Flag> system = EnumSet.noneOf(Flag.class);
    if (f.contains(jakarta.mail.Flags.Flag.SEEN)) {
      system.add(Flag.SEEN);
    }
    if (f.contains(jakarta.mail.Flags.Flag.ANSWERED)) {
      system.add(Flag.ANSWERED);
    }
    if (f.contains(jakarta.mail.Flags.Flag.FLAGGED)) {
      system.add(Flag.FLAGGED);
    }
    if (f.contains(jakarta.mail.Flags.Flag.DRAFT)) {
      system.add(Flag.DRAFT);
    }
    if (f.contains(jakarta.mail.Flags.Flag.DELETED)) {
      system.add(Flag.DELETED);
    }
    return Flags.of(system, List.of(f.getUserFlags()));
  }

  public static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Pattern TEST_ID = Pattern.compile("(?m)^X-Test-Id: (\\S+)\r?$");

  public static String testId(byte[] message) {
    Matcher m = TEST_ID.matcher(new String(message, 0, Math.min(message.length, 4096),
        StandardCharsets.ISO_8859_1));
    return m.find() ? m.group(1) : null;
  }

  private IMAPFolder root() throws MessagingException {
    return (IMAPFolder) store.getDefaultFolder();
  }

  @Override
  public void close() throws MessagingException {
    try {
      if (selected != null && selected.isOpen()) {
        selected.close(false);
      }
    } finally {
      store.close();
    }
  }
}
