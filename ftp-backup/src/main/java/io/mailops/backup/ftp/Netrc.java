package io.mailops.backup.ftp;

import io.mailops.backup.BackupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The entries of a {@code ~/.netrc} file, as ftp(1) and curl read it: whitespace-separated tokens
 * {@code machine NAME}, {@code default}, {@code login NAME}, {@code password SECRET},
 * {@code account NAME}; {@code macdef NAME} blocks are skipped up to the next empty line; a
 * {@code #} where a keyword is expected starts a comment to the end of the line; other tokens are
 * ignored. Quoted values are not supported. Immutable.
 */
public final class Netrc {

  /**
   * A login from a netrc entry; {@code password} and {@code account} may be null.
   * {@link #toString()} leaves the password out.
   */
  public record Credentials(String login, String password, String account) {

    /**
     * The password as a {@link FtpTarget.Password}.
     *
     * @throws BackupException naming {@code source} if the entry has no password
     */
    public FtpTarget.Password asPassword(String source) throws BackupException {
      if (password == null) {
        throw new BackupException(source + " has no password for " + login
            + "; add 'password SECRET' to its entry or use --password-file");
      }
      return password::toCharArray;
    }

    @Override
    public String toString() {
      return "Credentials[login=" + login + ", password=" + (password == null ? "none" : "***")
          + ", account=" + account + "]";
    }
  }

  /** One {@code machine} entry, or the {@code default} entry when {@code machine} is null. */
  private record Entry(String machine, String login, String password, String account) {}

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final String source;
  private final List<Entry> entries;

  private Netrc(String source, List<Entry> entries) {
    this.source = source;
    this.entries = List.copyOf(entries);
  }

  /** {@code ~/.netrc} of the user running the JVM ({@code user.home}). */
  public static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".netrc");
  }

  /**
   * Reads {@code file}; a file that does not exist gives no entries.
   *
   * @throws IOException naming the file if it cannot be read, is malformed, or holds a password
   *     while group or others have any permission on it (on POSIX file systems), as ftp(1) and
   *     curl refuse it
   */
  public static Netrc load(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Netrc(file.toString(), List.of());
    } catch (IOException e) {
      throw new BackupException("cannot read " + file + " (" + e.getMessage()
          + "); check that it is a readable file", e);
    }
    Netrc netrc = parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    if (netrc.entries.stream().anyMatch(e -> e.password() != null)) {
      PosixFileAttributeView posix =
          Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null) {
        Set<PosixFilePermission> perms = posix.readAttributes().permissions();
        if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
          throw new BackupException(file + " is readable by others ("
              + PosixFilePermissions.toString(perms) + ") and holds passwords; chmod 600 it");
        }
      }
    }
    return netrc;
  }

  /**
   * Parses netrc {@code text}; {@code source} names it in error messages. Does not check file
   * permissions.
   *
   * @throws BackupException naming {@code source} and the line if a keyword lacks its value
   */
  public static Netrc parse(String text, String source) throws BackupException {
    Tokens t = new Tokens(text);
    List<Entry> entries = new ArrayList<>();
    String machine = null;
    String login = null;
    String password = null;
    String account = null;
    boolean inEntry = false;
    for (String tok = t.next(true); tok != null; tok = t.next(true)) {
      switch (tok) {
        case "machine", "default" -> {
          if (inEntry) {
            entries.add(new Entry(machine, login, password, account));
          }
          inEntry = true;
          machine = tok.equals("machine") ? value(t, tok, source) : null;
          login = null;
          password = null;
          account = null;
        }
        case "login" -> login = value(t, tok, source);
        case "password" -> password = value(t, tok, source);
        case "account" -> account = value(t, tok, source);
        case "macdef" -> {
          value(t, tok, source);
          t.skipMacro();
        }
        default -> {
          // unknown keywords (e.g. "port" of other tools) are ignored, like curl does
        }
      }
    }
    if (inEntry) {
      entries.add(new Entry(machine, login, password, account));
    }
    return new Netrc(source, entries);
  }

  private static String value(Tokens t, String keyword, String source) throws BackupException {
    int line = t.line;
    String v = t.next(false);
    if (v == null) {
      throw new BackupException(source + " line " + line + ": '" + keyword
          + "' has no value at the end of the file; complete or remove it");
    }
    return v;
  }

  /**
   * The credentials for {@code host}: the first {@code machine} entry for it (host names compare
   * case-insensitively) whose login is {@code login} (any login when {@code login} is null; an
   * entry without login matches any), else the {@code default} entry on the same terms.
   */
  public Optional<Credentials> lookup(String host, String login) {
    for (Entry e : entries) {
      if (e.machine() != null && e.machine().equalsIgnoreCase(host) && loginMatches(e, login)) {
        return Optional.of(credentials(e, login));
      }
    }
    for (Entry e : entries) {
      if (e.machine() == null && loginMatches(e, login)) {
        return Optional.of(credentials(e, login));
      }
    }
    return Optional.empty();
  }

  private static boolean loginMatches(Entry e, String login) {
    return login == null || e.login() == null || e.login().equals(login);
  }

  private static Credentials credentials(Entry e, String login) {
    return new Credentials(e.login() != null ? e.login() : login, e.password(), e.account());
  }

  /** The file or text these entries came from. */
  @Override
  public String toString() {
    return source;
  }

  /** Splits netrc text into whitespace-separated tokens, tracking the line number. */
  private static final class Tokens {
    private final String s;
    private int pos;
    int line = 1;

    Tokens(String s) {
      this.s = s;
    }

    /** The next token or null at the end; with {@code keyword}, {@code #...} is a comment. */
    String next(boolean keyword) {
      while (true) {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
          if (s.charAt(pos) == '\n') {
            line++;
          }
          pos++;
        }
        if (pos >= s.length()) {
          return null;
        }
        if (keyword && s.charAt(pos) == '#') {
          while (pos < s.length() && s.charAt(pos) != '\n') {
            pos++;
          }
          continue;
        }
        int start = pos;
        while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
          pos++;
        }
        String tok = s.substring(start, pos);
        return keyword ? tok.toLowerCase(Locale.ROOT) : tok;
      }
    }

    /** Skips the rest of the {@code macdef} line and the macro body up to an empty line. */
    void skipMacro() {
      skipLine();
      while (pos < s.length()) {
        int end = s.indexOf('\n', pos);
        String l = end < 0 ? s.substring(pos) : s.substring(pos, end);
        skipLine();
        if (l.isBlank()) {
          return;
        }
      }
    }

    private void skipLine() {
      int end = s.indexOf('\n', pos);
      if (end < 0) {
        pos = s.length();
      } else {
        pos = end + 1;
        line++;
      }
    }
  }
}
