package io.mailops.storage.mbox;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.PathGuard;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.Skip;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Mail in mboxrd files, one account per store.
 *
 * <p>A store on a <em>file</em> holds the single folder INBOX. A store on a <em>directory</em>
 * holds one folder per mbox file in its tree: directory names are folder segments, a file
 * {@code NAME.mbox} is the last segment {@code NAME}, a file {@code mbox} stands for its
 * directory (Apple Mail's {@code Name.mbox/mbox}; at the top it is INBOX) and a file named
 * {@code INBOX} or {@code inbox} is INBOX. New folders are written as {@code NAME.mbox}
 * ({@code INBOX.mbox} for INBOX) with parent directories. A path that does not exist yet is a
 * file if it ends in {@code .mbox}, else a directory.
 *
 * <p>Each message starts with a From_ line {@code From SENDER DATE} whose asctime date (UTC, to
 * the second) is the internal date; the key of a message is {@code offset-N}, the byte offset
 * of that line, which stays valid while the file is only appended to. Lines matching
 * {@code ^>*From } are stored with one more {@code >} and read back with one less, so
 * {@link #open} returns the message as appended, with two documented exceptions:
 * <ul>
 *   <li>mboxrd cannot store a message without a final line end: {@link #append} adds one
 *       ({@code \r\n} if the message's first line ends so, else {@code \n}), as every MDA does,
 *       and the returned reference's size counts it;</li>
 *   <li><strong>flags and keywords are not stored on append</strong>: writing {@code Status:}
 *       headers would change the message bytes, so the returned reference has no flags. Flags
 *       are read from the {@code Status:} (R = \Seen), {@code X-Status:} (A, F, T, D) and
 *       {@code X-Keywords:} headers that mutt and Dovecot write.</li>
 * </ul>
 *
 * <p>Appends lock the file like mail programs do (see {@link MboxAppender}); scans and opens take
 * a shared {@code fcntl} lock while they parse. If another program rewrote the file since the
 * scan, {@link #open} detects that the key no longer names the same message and throws
 * {@link MessageGoneException}. Safe for use by one thread at a time.
 */
public final class MboxStore implements MailStore {

  /** The account of a store opened without one. */
  public static final AccountId DEFAULT_ACCOUNT = AccountId.of("mail@localhost");

  private static final String SUFFIX = ".mbox";

  private final Path path;
  private final AccountId account;
  private final boolean singleFile;
  private final MboxAppender appender;

  /** A store on an mbox file or directory, for {@code account} or {@link #DEFAULT_ACCOUNT}. */
  public MboxStore(Path path, Optional<AccountId> account) throws IOException {
    this(path, account.orElse(DEFAULT_ACCOUNT), Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /** As above with the clock used for lock ages and how long to wait for another's lock. */
  MboxStore(Path path, AccountId account, Clock clock, Duration lockWait) throws IOException {
    this.path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    this.account = Objects.requireNonNull(account, "account");
    this.appender = new MboxAppender(Objects.requireNonNull(clock, "clock"), lockWait);
    if (Files.isDirectory(this.path)) {
      this.singleFile = false;
    } else if (Files.exists(this.path)) {
      this.singleFile = true;
    } else {
      this.singleFile = this.path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(SUFFIX);
    }
  }

  @Override
  public List<AccountId> accounts() {
    return List.of(account);
  }

  @Override
  public List<FolderPath> folders(AccountId account) throws IOException {
    checkAccount(account);
    List<FolderPath> out = new ArrayList<>();
    out.add(FolderPath.INBOX);
    for (FolderPath f : folderFiles().keySet()) {
      if (!f.isInbox()) {
        out.add(f);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
    checkAccount(account);
    Path file = existingFile(folder);
    if (file == null) {
      return new FolderScan(List.of(), List.of());
    }
    Instant fallbackDate = Files.getLastModifiedTime(file).toInstant();
    // in the file's order, the mbox's only order (keys are offsets: as text, "offset-75" would
    // come after "offset-675"); each offset once
    List<MessageRef> messages = new ArrayList<>();
    List<Skip> skipped = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.lock(0, Long.MAX_VALUE, true);
      MboxParser parser = new MboxParser(
          new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024), 0, false);
      for (MboxEntry e = parser.next(false); e != null; e = parser.next(false)) {
        List<String> rejected = new ArrayList<>();
        Flags flags = e.flags(rejected);
        for (String kw : rejected) {
          skipped.add(new Skip(file + " message " + e.key(), "keyword '" + kw
              + "' in X-Keywords is not an IMAP atom; it is left out of the message's flags"));
        }
        Instant date = FromLine.parse(e.fromLine()).map(FromLine::date).orElse(fallbackDate);
        MessageKey key = MessageKey.of(e.key());
        messages.add(new MessageRef(folder, key, e.size(), flags, date,
            OptionalLong.empty(), Optional.empty(), e.key()));
      }
      if (parser.leadingGarbage() > 0) {
        skipped.add(new Skip(file.toString(), "the first " + parser.leadingGarbage()
            + " bytes come before any 'From ' line and are not a message; check that this is an"
            + " mbox file"));
      }
    } catch (IOException e) {
      throw new MailStoreException("cannot read mbox " + file + " (folder " + folder + " of "
          + account + "): " + e.getMessage() + "; check that it is readable", e);
    }
    return new FolderScan(messages, skipped);
  }

  @Override
  public InputStream open(AccountId account, MessageRef message) throws IOException {
    checkAccount(account);
    long offset = offsetOf(message);
    Path file = existingFile(message.folder());
    if (file == null) {
      throw gone(message, "the mbox file no longer exists");
    }
    MboxEntry entry;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.lock(0, Long.MAX_VALUE, true);
      if (offset >= ch.size()) {
        throw gone(message, file + " is shorter than the offset");
      }
      ch.position(offset);
      entry = new MboxParser(new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024),
          offset, true).next(true);
    }
    if (entry == null || entry.size() != message.size()) {
      throw gone(message, "no message of " + message.size() + " bytes starts at byte " + offset
          + " of " + file + " any more (the file was rewritten)");
    }
    return new MboxMessageStream(file, entry);
  }

  @Override
  public MessageRef append(AccountId account, FolderPath folder, InputStream content, Flags flags,
      Instant internalDate) throws IOException {
    checkAccount(account);
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(internalDate, "internalDate");
    Path file = existingFile(folder);
    if (file == null) {
      file = newFile(folder);
      Files.createDirectories(file.getParent());
    }
    MboxAppender.Appended a;
    try {
      a = appender.append(file, content, internalDate);
    } catch (MailStoreException e) {
      throw e;
    } catch (IOException e) {
      throw new MailStoreException("cannot append to mbox " + file + " (folder " + folder + " of "
          + account + "): " + e.getMessage() + "; the file was left as it was, check free space"
          + " and write permission", e);
    }
    String key = "offset-" + a.fromOffset();
    return new MessageRef(folder, MessageKey.of(key), a.size(), Flags.NONE, a.date(),
        OptionalLong.empty(), Optional.empty(), key);
  }

  @Override
  public void createFolder(AccountId account, FolderPath folder) throws IOException {
    checkAccount(account);
    if (singleFile && !folder.isInbox()) {
      existingFile(folder);
    }
    if (singleFile ? Files.exists(path) : folderFiles().containsKey(folder)) {
      return;
    }
    Path file = newFile(folder);
    try {
      Files.createDirectories(file.getParent());
      Files.newByteChannel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
    } catch (IOException e) {
      throw new MailStoreException("cannot create folder " + folder + " as mbox " + file + ": "
          + e.getMessage() + "; check write permission on " + file.getParent(), e);
    }
  }

  @Override
  public void close() {
    // no open resources between calls
  }

  @Override
  public String toString() {
    return "mbox:" + path;
  }

  // ---- layout

  private void checkAccount(AccountId a) throws MailStoreException {
    if (!account.equals(Objects.requireNonNull(a, "account"))) {
      throw new MailStoreException("no account " + a + " in " + this + ": it holds only " + account
          + "; use that account or open the store with ?account=" + a);
    }
  }

  /** The file of an existing folder, null for an INBOX without a file yet; throws otherwise. */
  private Path existingFile(FolderPath folder) throws IOException {
    if (singleFile) {
      if (!folder.isInbox()) {
        throw new MailStoreException("no folder " + folder + " in " + this
            + ": an mbox file holds only INBOX; open a directory (mbox:/path/dir) for more folders");
      }
      return Files.exists(path) ? path : null;
    }
    Path file = folderFiles().get(folder);
    if (file == null && !folder.isInbox()) {
      throw new MailStoreException("no folder " + folder + " in " + this + ": expected "
          + newFile(folder) + "; create the folder first");
    }
    return file;
  }

  /** Where a new folder's file goes; every segment passes the name guard. */
  private Path newFile(FolderPath folder) throws MailStoreException {
    if (singleFile) {
      return path;
    }
    List<String> segments = folder.segments();
    Path dir = path;
    for (int i = 0; i < segments.size() - 1; i++) {
      dir = dir.resolve(checkedSegment(segments.get(i), folder));
    }
    Path file = dir.resolve(checkedSegment(folder.name(), folder) + SUFFIX);
    if (!file.normalize().startsWith(path)) {
      throw new MailStoreException("folder " + folder + " resolves outside " + path
          + "; rename the folder");
    }
    return file;
  }

  private static String checkedSegment(String segment, FolderPath folder) throws MailStoreException {
    if (segment.startsWith(".") || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
      throw new MailStoreException("folder " + folder + " cannot be stored as mbox: segment '"
          + segment + "' starts with '.' or holds '\\'; rename the folder");
    }
    PathGuard.resolveInside(Path.of("/"), segment, "folder " + folder);
    return segment;
  }

  /** Every folder of a directory store and its file. */
  private TreeMap<FolderPath, Path> folderFiles() throws IOException {
    TreeMap<FolderPath, Path> out = new TreeMap<>();
    if (!singleFile) {
      collect(path, new ArrayList<>(), out);
    }
    return out;
  }

  private void collect(Path dir, List<String> segments, TreeMap<FolderPath, Path> out)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (!p.getFileName().toString().startsWith(".")) {
          entries.add(p);
        }
      }
    }
    entries.sort(null);
    for (Path p : entries) {
      String name = p.getFileName().toString();
      List<String> folder = new ArrayList<>(segments);
      if (Files.isDirectory(p)) {
        folder.add(name);
        collect(p, folder, out);
        continue;
      }
      if (!Files.isRegularFile(p)) {
        continue;
      }
      if (name.equals("mbox")) {
        if (folder.isEmpty()) {
          folder.add("INBOX");
        } else {
          String last = folder.remove(folder.size() - 1);
          folder.add(stripSuffix(last));
        }
      } else if (name.toLowerCase(Locale.ROOT).endsWith(SUFFIX) && name.length() > SUFFIX.length()) {
        folder.add(stripSuffix(name));
      } else if (name.equalsIgnoreCase("INBOX")) {
        folder.add(name);
      } else {
        continue;
      }
      FolderPath fp;
      try {
        fp = new FolderPath(folder);
      } catch (IllegalArgumentException e) {
        throw new MailStoreException("mbox " + p + " has no valid folder name (" + e.getMessage()
            + "); rename it", e);
      }
      Path other = out.putIfAbsent(fp, p);
      if (other != null) {
        throw new MailStoreException("two mbox files hold folder " + fp + ": " + other + " and " + p
            + "; merge them or rename one");
      }
    }
  }

  private static String stripSuffix(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(SUFFIX) && name.length() > SUFFIX.length()
        ? name.substring(0, name.length() - SUFFIX.length())
        : name;
  }

  private long offsetOf(MessageRef message) throws MailStoreException {
    String k = message.key().value();
    if (k.startsWith("offset-")) {
      try {
        long offset = Long.parseLong(k.substring(7));
        if (offset >= 0) {
          return offset;
        }
      } catch (NumberFormatException e) {
        // below
      }
    }
    throw new MailStoreException("cannot open message " + k + " in folder " + message.folder()
        + " of " + this + ": not an mbox key (offset-N); pass a reference from a scan of this store");
  }

  private MessageGoneException gone(MessageRef message, String why) {
    return new MessageGoneException("message " + message.key() + " in folder " + message.folder()
        + " of " + this + " is gone: " + why + "; scan the folder again");
  }
}
