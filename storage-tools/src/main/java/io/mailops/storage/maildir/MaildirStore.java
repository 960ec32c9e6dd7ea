package io.mailops.storage.maildir;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.PathGuard;
import io.mailops.storage.Skip;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A tree of Maildir++ mailboxes as Dovecot keeps them ({@code mail_location =
 * maildir:ROOT/%d/%n/Maildir} with {@code mailbox_list_layout = maildir++}). INBOX is the
 * Maildir root; folder {@code A/B} is the directory {@code .A.B} with each name in modified UTF-7.
 * Reads follow {@link MaildirFolder}; writes follow {@link MaildirWriter}. Dovecot's control
 * files are read, and written only as Dovecot itself writes them ({@code dovecot-keywords} under
 * the uidlist lock, {@code maildirsize} appended to); no file of our own is ever put in a
 * Maildir. Safe for concurrent use.
 */
public final class MaildirStore implements MailStore {

  /**
   * How new files are named and stamped: {@code clock} for the time part of unique names,
   * {@code host} and {@code pid} as in Dovecot's {@code time.M<usec>P<pid>Q<n>.<host>}.
   */
  public record Settings(Clock clock, String host, long pid) {

    public Settings {
      if (host == null || host.isEmpty()) {
        throw new IllegalArgumentException("host name for Maildir file names must not be empty");
      }
      host = host.replace("/", "\\057").replace(":", "\\072");
    }

    /** The system clock, this machine's host name and this process's id. */
    public static Settings defaults() {
      String host = "localhost";
      try {
        host = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
      } catch (IOException | RuntimeException e) {
        // not Linux: keep localhost
      }
      return new Settings(Clock.systemUTC(), host.isEmpty() ? "localhost" : host,
          ProcessHandle.current().pid());
    }
  }

  private final Path root;
  private final MaildirLayout layout;
  private final MaildirWriter writer;

  public MaildirStore(Path root, MaildirLayout layout, Settings settings) {
    this.root = root.toAbsolutePath().normalize();
    this.layout = layout;
    this.writer = new MaildirWriter(settings);
  }

  /** The root directory of the store. */
  public Path root() {
    return root;
  }

  /** The Maildir root directory of an account (INBOX). */
  public Path maildir(AccountId account) throws MailStoreException {
    return layout.maildir(root, account);
  }

  /** The directory of a folder, {@code .A.B} under the account's Maildir, INBOX the Maildir itself. */
  public Path folderDir(AccountId account, FolderPath folder) throws MailStoreException {
    Path md = maildir(account);
    if (folder.isInbox()) {
      return md;
    }
    StringBuilder name = new StringBuilder();
    for (String seg : folder.segments()) {
      if (seg.indexOf('.') >= 0) {
        throw new MailStoreException("folder '" + folder + "' of " + account + " has a '.' in its name,"
            + " which Maildir++ uses as its hierarchy separator; rename it (Dovecot refuses it too)");
      }
      name.append('.').append(ModifiedUtf7.encode(seg));
    }
    return PathGuard.resolveInside(md, name.toString(), "folder '" + folder + "' of " + account);
  }

  /** A Maildir file name as this store reads it: the base name (the message key) and the sizes in it. */
  public record FileName(String name, String base, OptionalLong size, OptionalLong vsize) {}

  /**
   * Splits a file name found in {@code new/} or {@code cur/} as this store does when scanning
   * (base = everything before the first {@code :}; {@code ,S=} physical and {@code ,W=} virtual size).
   *
   * @throws IllegalArgumentException with the reason, for names that are not Maildir messages
   */
  public static FileName parseFileName(String name) {
    MaildirFileName n = MaildirFileName.parse(name);
    return new FileName(n.name(), n.base(), n.size(), n.vsize());
  }

  /**
   * The UID of each message base name in the folder's {@code dovecot-uidlist}, read-only; empty
   * when Dovecot has not synced the folder yet.
   *
   * @throws MailStoreException naming the file and line, if the list is broken
   */
  public Map<String, Long> uidsByBase(AccountId account, FolderPath folder) throws IOException {
    Path dir = existingFolder(account, folder);
    try {
      Map<String, Long> out = new HashMap<>();
      UidList.read(dir).byBase().forEach((base, e) -> out.put(base, e.uid()));
      return Map.copyOf(out);
    } catch (IllegalArgumentException e) {
      throw new MailStoreException(dir.resolve(UidList.FILE) + " is broken, " + e.getMessage()
          + "; Dovecot rebuilds it on its next sync of folder '" + folder + "' of " + account, e);
    }
  }

  @Override
  public List<AccountId> accounts() throws IOException {
    return layout.discover(root);
  }

  @Override
  public List<FolderPath> folders(AccountId account) throws IOException {
    List<FolderPath> out = new ArrayList<>();
    listFolders(account, out, new ArrayList<>());
    return out;
  }

  @Override
  public List<Skip> folderProblems(AccountId account) throws IOException {
    List<Skip> skips = new ArrayList<>();
    listFolders(account, new ArrayList<>(), skips);
    return skips;
  }

  private void listFolders(AccountId account, List<FolderPath> out, List<Skip> skips) throws IOException {
    Path md = existingMaildir(account);
    out.add(FolderPath.INBOX);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(md, ".?*")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.equals("..") || !Files.isDirectory(p)) {
          continue;
        }
        try {
          List<String> segs = new ArrayList<>();
          for (String enc : name.substring(1).split("\\.", -1)) {
            segs.add(ModifiedUtf7.decode(enc));
          }
          out.add(new FolderPath(segs));
        } catch (IllegalArgumentException e) {
          skips.add(new Skip(p.toString(), "not a Maildir++ folder name (" + e.getMessage()
              + "); Dovecot does not show it either — rename it to valid modified UTF-7"));
        }
      }
    } catch (AccessDeniedException e) {
      throw new MailStoreException("cannot read Maildir " + md + " (account " + account
          + "): permission denied; run as the mail user or add it to the mail group", e);
    }
    Collections.sort(out);
  }

  @Override
  public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
    return folder(account, folder).scan();
  }

  /** True: each {@link #open} is a file of its own opened by path, nothing shared between calls. */
  @Override
  public boolean concurrentReads() {
    return true;
  }

  @Override
  public InputStream open(AccountId account, MessageRef message) throws IOException {
    return folder(account, message.folder()).open(message);
  }

  @Override
  public MessageRef append(AccountId account, FolderPath folder, InputStream content, Flags flags,
      Instant internalDate) throws IOException {
    Path dir = existingFolder(account, folder);
    MaildirWriter.Written w = writer.write(dir, maildir(account), content, flags, internalDate,
        "folder " + folder + " of " + account);
    return new MessageRef(folder, io.mailops.storage.model.MessageKey.of(w.base()), w.size(), flags,
        internalDate, OptionalLong.empty(), java.util.Optional.empty(), w.location());
  }

  /**
   * Prepares {@code folder} (which exists) to receive messages with given UIDs
   * ({@link #appendWithUid}), as {@code mailops migrate run --preserve-uids} does: writes a
   * {@code dovecot-uidlist} with UIDVALIDITY {@code uidValidity} and next UID {@code uidNext}, so
   * a Dovecot that then serves the Maildir reports those. A folder claimed before with the same
   * UIDVALIDITY keeps its UIDs (its next UID is raised if needed).
   *
   * @throws MailStoreException if the folder has messages or UIDs from anything else
   */
  public void claimUids(AccountId account, FolderPath folder, long uidValidity, long uidNext)
      throws IOException {
    Path dir = existingFolder(account, folder);
    Ownership own = Ownership.of(dir);
    MaildirWriter.withUidlistLock(dir, () -> {
      UidListWriter.claim(dir, uidValidity, uidNext, own, "folder '" + folder + "' of account "
          + account);
      return null;
    });
  }

  /**
   * As {@link #append}, and the message gets the UID {@code uid} in the folder's
   * {@code dovecot-uidlist}, claimed before with {@link #claimUids}.
   *
   * @throws MailStoreException if the folder was not claimed or has a message with that UID
   */
  public MessageRef appendWithUid(AccountId account, FolderPath folder, long uid,
      InputStream content, Flags flags, Instant internalDate) throws IOException {
    if (uid <= 0) {
      throw new IllegalArgumentException("UID must be > 0, got " + uid);
    }
    Path dir = existingFolder(account, folder);
    MaildirWriter.Written w = writer.write(dir, maildir(account), content, flags, internalDate,
        uid, "folder '" + folder + "' of account " + account);
    return new MessageRef(folder, io.mailops.storage.model.MessageKey.of(w.base()), w.size(), flags,
        internalDate, OptionalLong.of(uid), java.util.Optional.empty(), w.location());
  }

  /**
   * Sets the flags and keywords of {@code message} (of a scan of this store) to {@code flags}:
   * the file is renamed with the new {@code :2,} info (into {@code cur/}), as Dovecot does; a
   * {@code P} (passed) letter is kept. Returns false if the message is gone.
   */
  public boolean setFlags(AccountId account, MessageRef message, Flags flags) throws IOException {
    Path dir = existingFolder(account, message.folder());
    return writer.setFlags(dir, message.key().value(), flags) != null;
  }

  @Override
  public void createFolder(AccountId account, FolderPath folder) throws IOException {
    writer.createFolder(maildir(account), folderDir(account, folder), folder.isInbox());
  }

  /** Dovecot's {@code subscriptions} file of the account (Courier's when Dovecot's is absent). */
  @Override
  public Optional<Set<FolderPath>> subscriptions(AccountId account) throws IOException {
    return Optional.of(Subscriptions.read(existingMaildir(account)));
  }

  /** The Maildir of {@code account}; fails, naming it and the layout, when there is none. */
  private Path existingMaildir(AccountId account) throws MailStoreException {
    Path md = maildir(account);
    if (!Files.isDirectory(md)) {
      throw new MailStoreException("account " + account + " has no Maildir at " + md
          + "; check the account name and the store's layout (layout=" + layout.template() + ")");
    }
    return md;
  }

  /** Adds the folder to Dovecot's {@code subscriptions} file, as Dovecot's SUBSCRIBE does. */
  @Override
  public void subscribe(AccountId account, FolderPath folder) throws IOException {
    Path md = maildir(account);
    existingFolder(account, folder);
    Subscriptions.add(md, folder, Ownership.of(md));
  }

  /** The UIDVALIDITY Dovecot gave the folder, if it has synced it. */
  public OptionalLong uidValidity(AccountId account, FolderPath folder) throws IOException {
    try {
      UidList u = UidList.read(existingFolder(account, folder));
      return u.version() == 0 ? OptionalLong.empty() : OptionalLong.of(u.uidValidity());
    } catch (IllegalArgumentException e) {
      return OptionalLong.empty();
    }
  }

  private MaildirFolder folder(AccountId account, FolderPath folder) throws MailStoreException {
    return new MaildirFolder(existingFolder(account, folder), folder, "account " + account);
  }

  private Path existingFolder(AccountId account, FolderPath folder) throws MailStoreException {
    Path dir = folderDir(account, folder);
    if (!Files.isDirectory(dir)) {
      throw new MailStoreException("folder '" + folder + "' does not exist in account " + account
          + " (looked for " + dir + "); list folders with 'mailops storage usage --folders'");
    }
    return dir;
  }

  @Override
  public void close() {
    // nothing held open
  }

  @Override
  public String toString() {
    return "maildir:" + root + (layout.template().equals(MaildirLayout.DEFAULT_TEMPLATE) ? ""
        : "?layout=" + layout.template());
  }
}
