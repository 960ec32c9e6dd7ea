package io.mailops.storage.imap;

import io.mailops.storage.SpooledMessage;
import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.Skip;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;

/**
 * One IMAP login as a {@link MailStore}, over Jakarta Mail (Angus).
 *
 * <p>The store holds one account, the login ({@link ImapLocation#account()}). Folders are the
 * selectable mailboxes of {@code LIST "" "*"} with the server's hierarchy separator turned into
 * {@code /}. The key of a message is {@code UIDVALIDITY:UID}; a scan fetches UID, FLAGS,
 * RFC822.SIZE and INTERNALDATE in one FETCH and lists the messages in UID order, the folder's
 * own order (a copy made in that order keeps it). {@code \Recent} is ignored.
 *
 * <p>{@link #open} opens the folder read-only (EXAMINE) and fetches {@code BODY.PEEK[]}, so the
 * bytes are exactly the server's and {@code \Seen} is never set; the message is spooled (memory up
 * to 8 MiB, else a private temporary file deleted when the stream is closed), so the stream stays
 * valid whatever the store does next. If the folder's UIDVALIDITY differs from the key's, or the
 * UID is gone, it throws {@link MessageGoneException}.
 *
 * <p>{@link #append} sends the bytes unchanged (bare LF line ends become CRLF, as IMAP requires)
 * with flags, keywords and the internal date (to the second) and reads the new UID from the
 * server's APPENDUID (UIDPLUS); without UIDPLUS it finds the new message at UIDNEXT by its size.
 * The returned reference states what was sent: a server that does not keep keywords (no
 * {@code \*} in PERMANENTFLAGS) drops them silently.
 *
 * <p>Connection: one IMAP connection per store (plus one per open folder), connect timeout 20 s,
 * read timeout 60 s, {@code TCP_NODELAY} on (see {@link NoDelaySocketFactory}), reconnected when
 * lost between calls. Whether it was lost is asked (NOOP) at most once a second and after every
 * failure, so a connection lost within that second fails one call and the next reconnects.
 * {@code close} closes it. One thread at a time.
 */
public final class ImapStore implements MailStore {

  private final ImapLocation location;
  private final ImapConnection connection;
  /** The special-use attributes of the latest {@link #folders} listing, or null before it. */
  private Map<FolderPath, String> specialUse;

  /** Connects and logs in; the caller closes the store. */
  public ImapStore(ImapLocation location, PasswordSource passwords) throws IOException {
    this(location, passwords, NoDelaySocketFactory.INSTANCE);
  }

  /** Connects and logs in with the sockets of {@code sockets} (tests observe them). */
  ImapStore(ImapLocation location, PasswordSource passwords, NoDelaySocketFactory sockets)
      throws IOException {
    this.location = Objects.requireNonNull(location, "location");
    this.connection = new ImapConnection(location, passwords, sockets);
  }

  @Override
  public List<AccountId> accounts() {
    return List.of(location.account());
  }

  @Override
  public List<FolderPath> folders(AccountId account) throws IOException {
    checkAccount(account);
    TreeSet<FolderPath> out = new TreeSet<>();
    out.add(FolderPath.INBOX);
    Map<FolderPath, String> uses = new HashMap<>();
    try {
      for (Folder f : connection.store().getDefaultFolder().list("*")) {
        if ((f.getType() & Folder.HOLDS_MESSAGES) == 0) {
          continue;
        }
        FolderPath p = pathOf(f);
        out.add(p);
        String use = SpecialUse.of(List.of(((IMAPFolder) f).getAttributes()));
        if (use != null) {
          uses.put(p, use);
        }
      }
    } catch (MessagingException e) {
      throw connection.failure("list the folders of", null, e);
    }
    specialUse = Map.copyOf(uses);
    return List.copyOf(out);
  }

  /** The attributes the latest {@link #folders} listing gave (listing first if none was made). */
  @Override
  public Map<FolderPath, String> specialUse(AccountId account) throws IOException {
    if (specialUse == null) {
      folders(account);
    }
    return specialUse;
  }

  private FolderPath pathOf(Folder f) throws IOException {
    String name = f.getFullName();
    char sep = connection.separatorOf(f);
    try {
      return FolderPath.separated(name, sep == '\0' ? null : String.valueOf(sep));
    } catch (IllegalArgumentException e) {
      throw new MailStoreException("folder '" + name + "' on " + location
          + " cannot be represented as a folder path (" + e.getMessage()
          + "); rename it on the server", e);
    }
  }

  @Override
  public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
    checkAccount(account);
    IMAPFolder f = connection.openForRead(folder, true);
    try {
      long uidValidity = f.getUIDValidity();
      Message[] messages = f.getMessages();
      FetchProfile fp = new FetchProfile();
      fp.add(FetchProfile.Item.FLAGS);
      fp.add(FetchProfile.Item.SIZE);
      fp.add(UIDFolder.FetchProfileItem.UID);
      fp.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
      f.fetch(messages, fp);
      TreeMap<Long, MessageRef> refs = new TreeMap<>(); // in UID order: the order of the folder
      List<Skip> skipped = new ArrayList<>();
      for (Message m : messages) {
        try {
          long uid = f.getUID(m);
          MessageKey key = MessageKey.of(uidValidity + ":" + uid);
          List<String> rejected = new ArrayList<>();
          Flags flags = ImapFlags.fromJakarta(m.getFlags(), rejected);
          for (String kw : rejected) {
            skipped.add(new Skip(location + " " + folder + " UID " + uid, "keyword '" + kw
                + "' is not an IMAP atom mailops can keep; it is left out of the message's flags"));
          }
          Date received = m.getReceivedDate();
          refs.put(uid, new MessageRef(folder, key, ((IMAPMessage) m).getSizeLong(), flags,
              received == null ? Instant.EPOCH : received.toInstant(), OptionalLong.of(uid),
              Optional.empty(), key.value()));
        } catch (MessageRemovedException expunged) {
          // expunged by another client during the scan: not part of the snapshot
        }
      }
      return new FolderScan(new ArrayList<>(refs.values()), skipped);
    } catch (MessagingException e) {
      throw connection.failure("scan folder " + folder + " of", account, e);
    }
  }

  @Override
  public InputStream open(AccountId account, MessageRef message) throws IOException {
    checkAccount(account);
    String[] parts = message.key().value().split(":");
    long uidValidity;
    long uid;
    try {
      uidValidity = Long.parseLong(parts[0]);
      uid = Long.parseLong(parts[1]);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new MailStoreException("cannot open message " + message.key() + " in folder "
          + message.folder() + " of " + location + ": not an IMAP key (UIDVALIDITY:UID);"
          + " pass a reference from a scan of this store");
    }
    try {
      IMAPFolder f = connection.openForRead(message.folder(), false);
      if (f.getUIDValidity() != uidValidity) {
        throw new MessageGoneException("message " + message.key() + " in folder "
            + message.folder() + " of " + location + " is gone: the folder's UIDVALIDITY changed"
            + " from " + uidValidity + " to " + f.getUIDValidity()
            + " (the server renumbered it); scan the folder again");
      }
      IMAPMessage m = (IMAPMessage) f.getMessageByUID(uid);
      if (m == null) {
        f = connection.openForRead(message.folder(), true);
        m = (IMAPMessage) f.getMessageByUID(uid);
      }
      if (m == null) {
        throw new MessageGoneException("message " + message.key() + " in folder "
            + message.folder() + " of " + location + " is gone: UID " + uid
            + " was expunged; scan the folder again");
      }
      m.setPeek(true);
      try (InputStream in = m.getMimeStream()) {
        return SpooledMessage.read(in).handOver();
      } catch (IOException e) {
        connection.suspect();
        if (connection.openForRead(message.folder(), true).getMessageByUID(uid) == null) {
          throw new MessageGoneException("message " + message.key() + " in folder "
              + message.folder() + " of " + location + " is gone: UID " + uid
              + " was expunged while it was read; scan the folder again");
        }
        throw new MailStoreException("cannot read message " + message.key() + " in folder "
            + message.folder() + " of " + location + ": " + e.getMessage()
            + "; run again, the store reconnects", e);
      }
    } catch (MessageRemovedException e) {
      throw new MessageGoneException("message " + message.key() + " in folder " + message.folder()
          + " of " + location + " is gone: it was expunged; scan the folder again");
    } catch (MessagingException e) {
      throw connection.failure("read message " + message.key() + " in folder "
          + message.folder() + " of", account, e);
    }
  }

  @Override
  public MessageRef append(AccountId account, FolderPath folder, InputStream content, Flags flags,
      Instant internalDate) throws IOException {
    checkAccount(account);
    Objects.requireNonNull(content, "content");
    Instant date = internalDate.truncatedTo(ChronoUnit.SECONDS);
    try (SpooledMessage bytes = SpooledMessage.read(content)) {
      IMAPFolder f = connection.appendTarget(folder);
      boolean uidPlus = connection.store().hasCapability("UIDPLUS");
      long uidNext = uidPlus ? -1 : f.getUIDNext();
      RawMimeMessage msg = new RawMimeMessage(connection.session(), bytes, ImapFlags.toJakarta(flags),
          Date.from(date));
      AppendUID[] appended = f.appendUIDMessages(new Message[] {msg});
      String key;
      long uid;
      if (appended != null && appended.length == 1 && appended[0] != null) {
        key = appended[0].uidvalidity + ":" + appended[0].uid;
        uid = appended[0].uid;
      } else {
        AppendUID found = findAppended(uidNext, bytes.size(), folder);
        key = found.uidvalidity + ":" + found.uid;
        uid = found.uid;
      }
      return new MessageRef(folder, MessageKey.of(key), bytes.size(), flags, date,
          OptionalLong.of(uid), Optional.empty(), key);
    } catch (FolderNotFoundException e) {
      connection.forgetAppendTarget();
      throw connection.noFolder(folder);
    } catch (MessagingException e) {
      connection.forgetAppendTarget();
      throw connection.failure("append to folder " + folder + " of", account, e);
    }
  }

  @Override
  public void createFolder(AccountId account, FolderPath folder) throws IOException {
    checkAccount(account);
    if (folder.isInbox()) {
      return;
    }
    List<String> segments = folder.segments();
    try {
      for (int i = 1; i <= segments.size(); i++) {
        FolderPath prefix = new FolderPath(segments.subList(0, i));
        if (prefix.isInbox()) {
          continue;
        }
        IMAPFolder f = (IMAPFolder) connection.store().getFolder(connection.nameOf(prefix));
        // a parent is looked up (LIST) and made only if missing; the folder itself is made at
        // once (a caller asks for a folder it does not know): CREATE and SUBSCRIBE, two round
        // trips where Angus Mail's Folder.create with the LIST around it took five
        if (i < segments.size() && f.exists()) {
          continue;
        }
        String name = f.getFullName();
        if (f.doCommandIgnoreFailure(p -> {
          p.create(name);
          return Boolean.TRUE;
        }) == null) {
          if (f.exists()) {
            continue; // there already (or made meanwhile by someone else): left as it is
          }
          throw new MailStoreException("cannot create folder " + prefix + " on " + location
              + ": the server refused; check the name and the account's rights");
        }
        f.doCommand(p -> {
          p.subscribe(name);
          return null;
        });
      }
    } catch (MessagingException e) {
      throw connection.failure("create folder " + folder + " of", account, e);
    }
  }

  /** {@code LSUB "" "*"}. */
  @Override
  public Optional<Set<FolderPath>> subscriptions(AccountId account) throws IOException {
    checkAccount(account);
    Set<FolderPath> out = new TreeSet<>();
    try {
      for (Folder f : connection.store().getDefaultFolder().listSubscribed("*")) {
        out.add(f.getFullName().equalsIgnoreCase("INBOX") ? FolderPath.INBOX : pathOf(f));
      }
    } catch (MessagingException e) {
      throw connection.failure("list the subscribed folders of", null, e);
    }
    return Optional.of(out);
  }

  /** {@code SUBSCRIBE}. */
  @Override
  public void subscribe(AccountId account, FolderPath folder) throws IOException {
    checkAccount(account);
    try {
      IMAPFolder f = (IMAPFolder) connection.store().getFolder(connection.nameOf(folder));
      String name = f.getFullName();
      f.doCommand(p -> {
        p.subscribe(name);
        return null;
      });
    } catch (MessagingException e) {
      throw connection.failure("subscribe folder " + folder + " of", account, e);
    }
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }

  @Override
  public String toString() {
    return location.toString();
  }

  // ---- helpers

  /**
   * Without UIDPLUS: the last message from {@code uidNext} on whose size is {@code size}, read
   * in a fresh read-only open of the folder.
   */
  private AppendUID findAppended(long uidNext, long size, FolderPath folder)
      throws IOException, MessagingException {
    IMAPFolder f = connection.openForRead(folder, true);
    Message[] candidates = f.getMessagesByUID(uidNext, UIDFolder.MAXUID);
    FetchProfile fp = new FetchProfile();
    fp.add(FetchProfile.Item.SIZE);
    fp.add(UIDFolder.FetchProfileItem.UID);
    f.fetch(candidates, fp);
    for (int i = candidates.length - 1; i >= 0; i--) {
      if (candidates[i] != null && ((IMAPMessage) candidates[i]).getSizeLong() == size) {
        return new AppendUID(f.getUIDValidity(), f.getUID(candidates[i]));
      }
    }
    throw new MailStoreException("appended a message of " + size + " bytes to folder " + folder
        + " on " + location + " but cannot find it again (the server has no UIDPLUS and no new"
        + " message of that size is at UID " + uidNext + " or above); check the folder for it");
  }

  private void checkAccount(AccountId a) throws MailStoreException {
    if (!location.account().equals(Objects.requireNonNull(a, "account"))) {
      throw new MailStoreException("no account " + a + " on " + location + ": this login is "
          + location.account() + "; open a store for " + a + " with its own login");
    }
  }
}
