package io.mailops.storage.eml;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.PathGuard;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where an {@link EmlDirectoryStore} keeps accounts and folders: {@code ROOT/<domain>/<user>/}
 * with one directory per folder segment ({@code INBOX} for INBOX), or, for a flat store of one
 * account, the root as INBOX and its sub-directories as the other folders. Every name taken from
 * an account or folder passes one guard before it becomes a path. Hidden entries are ignored.
 */
final class EmlLayout {

  private static final String SUFFIX = ".eml";

  private final Path root;
  private final AccountId flatAccount;

  private EmlLayout(Path root, AccountId flatAccount) {
    this.root = root;
    this.flatAccount = flatAccount;
  }

  /** The layout of {@code root}: flat for {@code account}, else detected (see the store). */
  static EmlLayout of(Path root, Optional<AccountId> account, AccountId defaultAccount)
      throws IOException {
    Path r = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    if (Files.exists(r) && !Files.isDirectory(r)) {
      throw new MailStoreException("eml store " + r
          + " is not a directory: give eml:/path/to/a/directory of .eml files");
    }
    if (account.isPresent()) {
      return new EmlLayout(r, account.get());
    }
    return new EmlLayout(r, holdsEmlFiles(r) ? defaultAccount : null);
  }

  boolean isFlat() {
    return flatAccount != null;
  }

  List<AccountId> accounts() throws IOException {
    if (isFlat()) {
      return List.of(flatAccount);
    }
    TreeSet<AccountId> out = new TreeSet<>();
    for (Path domainDir : subdirectories(root)) {
      for (Path userDir : subdirectories(domainDir)) {
        out.add(accountOf(domainDir, userDir));
      }
    }
    return List.copyOf(out);
  }

  List<FolderPath> folders(AccountId account) throws IOException {
    Path base = accountDir(account, false);
    TreeSet<FolderPath> out = new TreeSet<>();
    out.add(FolderPath.INBOX);
    collectFolders(account, base, new ArrayList<>(), out);
    return List.copyOf(out);
  }

  /**
   * The directory of an account (the root of a flat store); the domain directory is matched
   * case-insensitively. Unless {@code forWriting}, throws if it does not exist.
   */
  Path accountDir(AccountId account, boolean forWriting) throws IOException {
    Objects.requireNonNull(account, "account");
    if (isFlat()) {
      if (!account.equals(flatAccount)) {
        throw unknownAccount(account);
      }
      return root;
    }
    Path domainDir = root.resolve(checkedName(account.domain(), account));
    if (!Files.isDirectory(domainDir)) {
      for (Path d : subdirectories(root)) {
        if (d.getFileName().toString().toLowerCase(Locale.ROOT).equals(account.domain())) {
          domainDir = d;
          break;
        }
      }
    }
    Path dir = domainDir.resolve(checkedName(account.user(), account));
    if (!forWriting && !Files.isDirectory(dir)) {
      throw unknownAccount(account);
    }
    return dir;
  }

  private MailStoreException unknownAccount(AccountId account) {
    if (isFlat()) {
      return new MailStoreException("no account " + account + " in " + this
          + ": this flat store holds only " + flatAccount + "; use that account or add ?account="
          + account + " to the store URI");
    }
    return new MailStoreException("no account " + account + " in " + this + ": expected directory "
        + root.resolve(account.domain()).resolve(account.user()) + "; check the account name");
  }

  /** The directory of a folder; it may not exist yet. */
  Path folderDir(AccountId account, FolderPath folder) throws IOException {
    Path dir = accountDir(account, true);
    if (folder.isInbox() && isFlat()) {
      return dir;
    }
    for (String segment : folder.segments()) {
      dir = dir.resolve(checkedSegment(segment, folder));
    }
    if (!dir.normalize().startsWith(root)) {
      throw new MailStoreException("folder " + folder + " resolves outside the store " + root
          + "; rename the folder");
    }
    return dir;
  }

  /**
   * The directory of an existing folder of an existing account, or null for an INBOX without a
   * directory yet (empty); with {@code createInbox} that directory is created instead.
   */
  Path existingFolderDir(AccountId account, FolderPath folder, boolean createInbox)
      throws IOException {
    accountDir(account, false);
    Path dir = folderDir(account, folder);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    if (!folder.isInbox()) {
      throw new MailStoreException("no folder " + folder + " in account " + account + " of "
          + this + ": directory " + dir + " does not exist; create the folder first");
    }
    return createInbox ? Files.createDirectories(dir) : null;
  }

  private void collectFolders(AccountId account, Path dir, List<String> segments,
      TreeSet<FolderPath> out) throws IOException {
    for (Path sub : subdirectories(dir)) {
      String name = sub.getFileName().toString();
      List<String> path = new ArrayList<>(segments);
      path.add(name);
      FolderPath folder;
      try {
        folder = new FolderPath(path);
      } catch (IllegalArgumentException e) {
        throw new MailStoreException("directory " + sub + " of account " + account
            + " is not a valid folder name (" + e.getMessage() + "); rename it", e);
      }
      if (isFlat() && segments.isEmpty() && folder.isInbox()) {
        throw new MailStoreException("flat eml store " + root + " holds messages at its top level"
            + " and a directory " + sub + "; move the top-level .eml files into " + sub);
      }
      out.add(folder);
      collectFolders(account, sub, path, out);
    }
  }

  /** Non-hidden sub-directories, sorted; none if {@code dir} does not exist. */
  private static List<Path> subdirectories(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p)) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  private AccountId accountOf(Path domainDir, Path userDir) throws MailStoreException {
    try {
      return new AccountId(userDir.getFileName().toString(), domainDir.getFileName().toString());
    } catch (IllegalArgumentException e) {
      throw new MailStoreException("directory " + userDir + " is not an account ("
          + e.getMessage() + "); rename it or move it out of " + root, e);
    }
  }

  static boolean holdsEmlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.startsWith(".") && isEmlName(name) && Files.isRegularFile(p)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean isEmlName(String name) {
    return name.length() > SUFFIX.length()
        && name.regionMatches(true, name.length() - SUFFIX.length(), SUFFIX, 0, SUFFIX.length());
  }

  /** The guard for every name taken from a folder path or account before it becomes a path. */
  private static String checkedSegment(String segment, FolderPath folder) throws MailStoreException {
    if (segment.startsWith(".") || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
      throw new MailStoreException("folder " + folder + " cannot be stored in an eml directory:"
          + " segment '" + segment + "' starts with '.' or holds '\\'; rename the folder");
    }
    PathGuard.resolveInside(Path.of("/"), segment, "folder " + folder);
    return segment;
  }

  static String checkedName(String name, AccountId account) throws MailStoreException {
    if (name.equals("..") || name.equals(".") || name.indexOf('\\') >= 0) {
      throw new MailStoreException("account " + account
          + " cannot be stored in an eml directory: '" + name + "' is not a directory name");
    }
    PathGuard.resolveInside(Path.of("/"), name, "account " + account);
    return name;
  }

  @Override
  public String toString() {
    return "eml:" + root;
  }
}
