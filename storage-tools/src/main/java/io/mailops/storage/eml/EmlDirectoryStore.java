package io.mailops.storage.eml;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.Skip;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A directory tree of {@code .eml} files, one message per file, as mail clients export them.
 *
 * <p>Layout: {@code ROOT/<domain>/<user>/<folder segments...>/*.eml}; INBOX is the directory
 * {@code INBOX}, other folders are directories named by their segments (Unicode as is), so
 * {@code Projekte/Übersicht} is {@code ROOT/example.com/alice/Projekte/Übersicht/}. A root that
 * holds {@code .eml} files directly, or a store opened with an explicit account, is a <em>flat</em>
 * store of a single account: INBOX is the root itself and other folders are its
 * sub-directories.
 *
 * <p>The key of a message is its file name without {@code .eml}; the internal date is the file's
 * modification time. <strong>Plain {@code .eml} files cannot hold flags or keywords</strong>:
 * scans report {@link Flags#NONE}, and {@link #append} drops the flags it is given (the returned
 * reference says what was stored: no flags). No side file is written to keep them.
 *
 * <p>{@link #append} writes a hidden temporary file in the folder, syncs it, then links it under
 * a unique name {@code <first 16 hex digits of the SHA-256 of the content>-<counter>.eml}
 * (the counter grows until the name is free) and removes the temporary name, so readers never
 * see a partial message and nothing is overwritten. Files that are not {@code .eml} files and
 * hidden files are reported as {@link Skip}s.
 *
 * <p>Safe for use by one thread at a time; the store holds no open files between calls.
 */
public final class EmlDirectoryStore implements MailStore {

  /** The account of a flat store when none is given. */
  public static final AccountId DEFAULT_ACCOUNT = AccountId.of("mail@localhost");

  private static final String SUFFIX = ".eml";

  private final EmlLayout layout;

  /**
   * A store on {@code root}. With an {@code account} the store is flat (the root is that
   * account's INBOX); without one it is flat for {@link #DEFAULT_ACCOUNT} if the root holds
   * {@code .eml} files directly, else a domain/user tree.
   */
  public EmlDirectoryStore(Path root, Optional<AccountId> account) throws IOException {
    this.layout = EmlLayout.of(root, account, DEFAULT_ACCOUNT);
  }

  /** True if the store is one account whose INBOX is the root directory. */
  public boolean isFlat() {
    return layout.isFlat();
  }

  @Override
  public List<AccountId> accounts() throws IOException {
    return layout.accounts();
  }

  @Override
  public List<FolderPath> folders(AccountId account) throws IOException {
    return layout.folders(account);
  }

  @Override
  public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
    Path dir = layout.existingFolderDir(account, folder, false);
    if (dir == null) {
      return new FolderScan(List.of(), List.of());
    }
    TreeMap<MessageKey, MessageRef> messages = new TreeMap<>();
    List<Skip> skipped = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (attrs.isDirectory()) {
          continue;
        }
        if (name.startsWith(".")) {
          skipped.add(new Skip(p.toString(),
              "hidden file, not a message (an append in progress leaves one for a moment)"));
        } else if (!attrs.isRegularFile() || !EmlLayout.isEmlName(name)) {
          skipped.add(new Skip(p.toString(),
              "not an .eml file; rename it to NAME.eml to include it or move it out of the folder"));
        } else {
          addMessage(folder, p, name, attrs, messages, skipped);
        }
      }
    } catch (NoSuchFileException e) {
      throw new MailStoreException("cannot scan folder " + folder + " of account " + account
          + ": directory " + dir + " disappeared during the scan; scan again", e);
    }
    return new FolderScan(new ArrayList<>(messages.values()), skipped);
  }

  private static void addMessage(FolderPath folder, Path p, String name, BasicFileAttributes attrs,
      TreeMap<MessageKey, MessageRef> messages, List<Skip> skipped) {
    MessageKey key;
    try {
      key = MessageKey.of(name.substring(0, name.length() - SUFFIX.length()));
    } catch (IllegalArgumentException e) {
      skipped.add(new Skip(p.toString(), "file name is not usable as a message key ("
          + e.getMessage() + "); rename the file"));
      return;
    }
    if (messages.containsKey(key)) {
      skipped.add(new Skip(p.toString(), "same key as " + messages.get(key).location()
          + " (only the case of .eml differs); rename one of them"));
      return;
    }
    messages.put(key, new MessageRef(folder, key, attrs.size(), Flags.NONE,
        attrs.lastModifiedTime().toInstant(), OptionalLong.empty(), Optional.empty(), name));
  }

  /** True: each {@link #open} is a file of its own opened by path, nothing shared between calls. */
  @Override
  public boolean concurrentReads() {
    return true;
  }

  @Override
  public InputStream open(AccountId account, MessageRef message) throws IOException {
    Path dir = layout.folderDir(account, message.folder());
    String name = message.location();
    if (!EmlLayout.isEmlName(name) || name.startsWith(".") || name.indexOf('/') >= 0
        || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
      throw new MailStoreException("cannot open message " + message.key() + " in folder "
          + message.folder() + " of account " + account + ": location '" + name
          + "' is not an .eml file name from a scan of this store; scan the folder again");
    }
    Path file = dir.resolve(name);
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new MessageGoneException("message " + message.key() + " in folder " + message.folder()
          + " of account " + account + " is gone: " + file + " no longer exists; scan the folder again");
    }
  }

  @Override
  public MessageRef append(AccountId account, FolderPath folder, InputStream content, Flags flags,
      Instant internalDate) throws IOException {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(internalDate, "internalDate");
    Path dir = layout.existingFolderDir(account, folder, true);
    Path tmp = dir.resolve(".append-" + UUID.randomUUID() + ".tmp");
    try {
      MessageDigest sha = sha256();
      long size;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
          OutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), sha)) {
        size = content.transferTo(out);
        out.flush();
        ch.force(true);
      }
      Files.setLastModifiedTime(tmp, FileTime.from(internalDate));
      String prefix = HexFormat.of().formatHex(sha.digest(), 0, 8);
      Path target = linkUnique(tmp, dir, prefix);
      String name = target.getFileName().toString();
      return new MessageRef(folder, MessageKey.of(name.substring(0, name.length() - SUFFIX.length())),
          size, Flags.NONE, Files.getLastModifiedTime(target).toInstant(), OptionalLong.empty(),
          Optional.empty(), name);
    } catch (IOException e) {
      if (e instanceof MailStoreException) {
        throw e;
      }
      throw new MailStoreException("cannot append to folder " + folder + " of account " + account
          + " in " + dir + ": " + e.getMessage() + "; check free space and write permission", e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path linkUnique(Path tmp, Path dir, String prefix) throws IOException {
    for (int n = 1; ; n++) {
      Path target = dir.resolve(prefix + "-" + n + SUFFIX);
      try {
        Files.createLink(target, tmp);
        return target;
      } catch (FileAlreadyExistsException taken) {
        // next counter
      } catch (UnsupportedOperationException noLinks) {
        if (!Files.exists(target)) {
          // a file system without hard links: move without replacing
          return Files.move(tmp, target);
        }
      }
    }
  }

  @Override
  public void createFolder(AccountId account, FolderPath folder) throws IOException {
    Path dir = layout.folderDir(account, folder);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MailStoreException("cannot create folder " + folder + " of account " + account
          + " as " + dir + ": " + e.getMessage() + "; check write permission on " + dir.getParent(), e);
    }
  }

  @Override
  public void close() {
    // no open resources between calls
  }

  @Override
  public String toString() {
    return layout.toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must have", e);
    }
  }
}
