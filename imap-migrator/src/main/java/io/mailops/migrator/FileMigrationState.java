package io.mailops.migrator;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import java.io.Closeable;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link MigrationState} in a directory: one append-only file per source account,
 * {@code <account, URL-encoded>.migrated}, one line {@code FOLDER<TAB>KEY} per message (UTF-8;
 * folders and keys cannot hold tabs or line breaks). Each record is written with one
 * {@code write} call right after the target accepted the message, so a killed process loses at
 * most the message in flight, which the next run finds on the target by fingerprint. A torn last
 * record (power loss) is dropped and the message is matched by fingerprint too. With
 * {@code sync} every record is also forced to disk.
 *
 * <p>Beside it, {@code <account>.verified} keeps the folders that the last verification found
 * complete ({@link VerifiedFolder}), one line {@code FOLDER<TAB>TARGET<TAB>RULES<TAB>SOURCE
 * STATUS<TAB>TARGET STATUS} each ({@link FolderStatus#token}); it is replaced as a whole (written aside, then
 * renamed), and a damaged one counts as empty.
 *
 * <p>A file is locked while this state has it open: a second migration of the same account with
 * the same directory fails with a message saying so. {@link #close} releases the files.
 */
public final class FileMigrationState implements MigrationState, Closeable {

  private static final String HEADER =
      "# mailops imap-migrator state v1: FOLDER<TAB>KEY per line\n";

  private static final String VERIFIED_HEADER = "# mailops imap-migrator verified folders v1:"
      + " FOLDER<TAB>TARGET<TAB>RULES<TAB>SOURCE STATUS<TAB>TARGET STATUS\n";

  private final Path dir;
  private final boolean sync;
  private final Map<AccountId, AccountFile> files = new HashMap<>();

  /** A state in {@code dir} (created if missing), records not forced to disk. */
  public FileMigrationState(Path dir) throws IOException {
    this(dir, false);
  }

  /** A state in {@code dir} (created if missing); {@code sync} forces each record to disk. */
  public FileMigrationState(Path dir, boolean sync) throws IOException {
    this.dir = dir;
    this.sync = sync;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MailStoreException("cannot create migration state directory " + dir + ": "
          + e.getMessage() + "; check the path and its permissions", e);
    }
  }

  /** The file that holds the state of {@code account}. */
  public Path file(AccountId account) {
    return dir.resolve(URLEncoder.encode(account.toString(), StandardCharsets.UTF_8) + ".migrated");
  }

  @Override
  public synchronized Set<MessageKey> done(AccountId account, FolderPath folder)
      throws IOException {
    return Set.copyOf(open(account).done.getOrDefault(folder, Set.of()));
  }

  @Override
  public synchronized void markDone(AccountId account, FolderPath folder, MessageKey key)
      throws IOException {
    AccountFile f = open(account);
    if (!f.done.computeIfAbsent(folder, x -> new HashSet<>()).add(key)) {
      return;
    }
    f.write(folder + "\t" + key.value() + "\n", sync);
  }

  @Override
  public synchronized Map<FolderPath, VerifiedFolder> verified(AccountId account)
      throws IOException {
    open(account);
    Path p = verifiedFile(account);
    if (!Files.exists(p)) {
      return Map.of();
    }
    Map<FolderPath, VerifiedFolder> out = new HashMap<>();
    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", -1);
      if (line.startsWith("#") || f.length != 5) {
        continue;
      }
      try {
        out.put(FolderPath.of(f[0]), new VerifiedFolder(FolderPath.of(f[1]), f[2],
            FolderStatus.parse(f[3]), FolderStatus.parse(f[4])));
      } catch (IllegalArgumentException e) {
        return Map.of(); // damaged: everything is verified message by message again
      }
    }
    return out;
  }

  @Override
  public synchronized void verified(AccountId account, Map<FolderPath, VerifiedFolder> folders)
      throws IOException {
    open(account);
    Path p = verifiedFile(account);
    StringBuilder b = new StringBuilder(VERIFIED_HEADER);
    for (Map.Entry<FolderPath, VerifiedFolder> e : new TreeMap<>(folders).entrySet()) {
      VerifiedFolder v = e.getValue();
      b.append(e.getKey()).append('\t').append(v.targetFolder()).append('\t').append(v.rules())
          .append('\t').append(v.source().token()).append('\t').append(v.target().token())
          .append('\n');
    }
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new MailStoreException("cannot write migration state " + p + ": " + e.getMessage()
          + "; free disk space or fix permissions, then run again", e);
    }
  }

  /**
   * What {@link #verified(AccountId)} returns, without reading the records of copied messages:
   * the account's state file is locked as by any use of this state (a migration of the same
   * account elsewhere fails meanwhile) but not loaded. Only for a state that will not be asked
   * for {@link #done} or {@link #markDone} of {@code account}: it would answer from no records.
   */
  public synchronized Map<FolderPath, VerifiedFolder> verifiedOnly(AccountId account)
      throws IOException {
    if (!files.containsKey(account)) {
      files.put(account, AccountFile.lock(file(account), account));
    }
    return verified(account);
  }

  private Path verifiedFile(AccountId account) {
    return dir.resolve(URLEncoder.encode(account.toString(), StandardCharsets.UTF_8) + ".verified");
  }

  @Override
  public synchronized void close() throws IOException {
    IOException first = null;
    for (AccountFile f : files.values()) {
      try {
        f.channel.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    files.clear();
    if (first != null) {
      throw first;
    }
  }

  private AccountFile open(AccountId account) throws IOException {
    AccountFile f = files.get(account);
    if (f == null) {
      f = AccountFile.open(file(account), account);
      files.put(account, f);
    }
    return f;
  }

  /** One account's open, locked file and what it holds. */
  private static final class AccountFile {
    final Path path;
    final FileChannel channel;
    final Map<FolderPath, Set<MessageKey>> done = new HashMap<>();

    private AccountFile(Path path, FileChannel channel) {
      this.path = path;
      this.channel = channel;
    }

    static AccountFile open(Path path, AccountId account) throws IOException {
      AccountFile f = lock(path, account);
      try {
        f.load();
        return f;
      } catch (IOException | RuntimeException e) {
        f.channel.close();
        throw e;
      }
    }

    /** The file opened and locked, its records not read. */
    static AccountFile lock(Path path, AccountId account) throws IOException {
      FileChannel ch;
      try {
        ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new MailStoreException("cannot open migration state " + path + " of account "
            + account + ": " + e.getMessage() + "; check the directory's permissions", e);
      }
      try {
        FileLock lock;
        try {
          lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          throw new MailStoreException("migration state " + path + " of account " + account
              + " is in use by another migration; wait for it to end or use another state"
              + " directory");
        }
        return new AccountFile(path, ch);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }

    private void load() throws IOException {
      long size = channel.size();
      if (size == 0) {
        write(HEADER, false);
        return;
      }
      byte[] bytes = Files.readAllBytes(path);
      int end = bytes.length - 1;
      while (end >= 0 && bytes[end] != '\n') {
        end--;
      }
      String text = new String(bytes, 0, end + 1, StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        int tab = line.indexOf('\t');
        if (line.isEmpty() || line.startsWith("#") || tab <= 0) {
          continue;
        }
        try {
          FolderPath folder = FolderPath.of(line.substring(0, tab));
          MessageKey key = MessageKey.of(line.substring(tab + 1));
          done.computeIfAbsent(folder, x -> new HashSet<>()).add(key);
        } catch (IllegalArgumentException e) {
          // a damaged line: its message is found on the target by fingerprint
        }
      }
      if (end + 1 < bytes.length) {
        channel.truncate(end + 1); // drop a torn last record: its message is matched by fingerprint
      }
    }

    void write(String record, boolean force) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8));
      try {
        long pos = channel.size();
        while (b.hasRemaining()) {
          pos += channel.write(b, pos);
        }
        if (force) {
          channel.force(false);
        }
      } catch (IOException e) {
        throw new MailStoreException("cannot write migration state " + path + ": " + e.getMessage()
            + "; free disk space or fix permissions, then run again", e);
      }
    }
  }
}
