package io.mailops.storage.interop;

import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
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
 * One IMAP session with raw commands through Jakarta Mail's protocol layer, so the test controls
 * the exact bytes, flags and INTERNALDATE of an APPEND and sees exactly what {@code BODY.PEEK[]}
 * returns. Folder names are Unicode with {@code /} as separator (Dovecot's namespace separator
 * here); they are sent in modified UTF-7. One thread at a time; the caller closes it.
 */
final class RawImap implements AutoCloseable {

  private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID (\\d+) (\\d+)\\]");

  /** What APPENDUID reported. */
  record Appended(long uidValidity, long uid) {}

  /** One message as {@code UID FETCH (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])} returned it. */
  record Fetched(long uid, Flags flags, Instant internalDate, long rfc822Size, byte[] body) {}

  private final Store store;
  private IMAPFolder selected;

  private RawImap(Store store) {
    this.store = store;
  }

  static RawImap login(DovecotEnv env, String user) throws MessagingException {
    Properties props = new Properties();
    props.setProperty("mail.imap.connectiontimeout", "10000");
    props.setProperty("mail.imap.timeout", "30000");
    Store store = Session.getInstance(props).getStore("imap");
    store.connect(env.imapHost(), env.imapPort(), user, env.password());
    return new RawImap(store);
  }

  /** {@code CREATE folder}. */
  void create(String folder) throws MessagingException {
    root().doCommand(p -> {
      p.create(folder);
      return null;
    });
  }

  /** {@code LIST "" *}: every folder name, decoded. */
  Set<String> list() throws MessagingException {
    ListInfo[] infos = (ListInfo[]) root().doCommand(p -> p.list("", "*"));
    Set<String> names = new TreeSet<>();
    for (ListInfo li : infos) {
      names.add(li.name);
    }
    return names;
  }

  /**
   * {@code APPEND folder (flags) "internalDate" {literal}} with exactly {@code message} as the
   * literal; {@code flags} is the inside of the flag list, e.g. {@code \Seen $Label1}.
   */
  Appended append(String folder, byte[] message, String flags, String internalDate)
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

  /** Selects {@code folder} (read-write, so Dovecot syncs it: new/ to cur/, UIDs assigned). */
  void select(String folder) throws MessagingException {
    if (selected != null && selected.getFullName().equals(folder)) {
      return;
    }
    if (selected != null) {
      selected.close(false);
    }
    IMAPFolder f = (IMAPFolder) store.getFolder(folder);
    f.open(Folder.READ_WRITE);
    selected = f;
  }

  /** A command on the selected folder, e.g. {@code UID STORE 7 +FLAGS.SILENT (\Flagged)}. */
  void command(String command) throws MessagingException {
    selected.doCommand(p -> run(p, command, null));
  }

  /** Every message of {@code folder} with its bytes, in UID order. */
  List<Fetched> fetchAll(String folder) throws MessagingException {
    select(folder);
    command("NOOP");
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

  private static Response run(IMAPProtocol p, String command, Argument args) throws ProtocolException {
    Response[] r = p.command(command, args);
    p.notifyResponseHandlers(r);
    p.handleResult(r[r.length - 1]);
    return r[r.length - 1];
  }

  /** IMAP flags as the model has them; {@code \Recent} is session state and left out. */
  static Flags toModel(jakarta.mail.Flags f) {
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
