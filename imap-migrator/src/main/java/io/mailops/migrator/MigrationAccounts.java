package io.mailops.migrator;

import io.mailops.migrator.MigrationAccount.Auth;
import io.mailops.migrator.MigrationAccount.Endpoint;
import io.mailops.migrator.MigrationAccount.Security;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.StoreUri;
import io.mailops.storage.accounts.AccountList;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the accounts file of {@code mailops migrate run --accounts accounts.csv}:
 *
 * <pre>
 * source_host,source_port,source_security,source_user,source_password,target_host,target_port,target_security,target_user,target_password
 * old.example.com,993,tls,alice@example.com,"s3cret,1",new.example.com,143,starttls,alice@example.com,pw2
 * </pre>
 *
 * <p>Columns, by name in any order (case-insensitive):
 *
 * <ul>
 *   <li>{@code source_host}, {@code source_port} (empty: 143, or 993 for tls),
 *       {@code source_security} ({@code none}, {@code starttls} or {@code tls}),
 *       {@code source_user}; the same with {@code target_}.
 *   <li>{@code source_password}, or {@code source_password_file} (a path, the password is its
 *       first line; relative paths are taken from the CSV file's directory); likewise for the
 *       target.
 *   <li>{@code source_auth}/{@code target_auth}: {@code login} (default), {@code plain} or
 *       {@code xoauth2}, the last with {@code source_token_file}/{@code target_token_file}
 *       ({@code source_oauth2_token_file}/{@code target_oauth2_token_file} alone mean xoauth2)
 *       (the access token on its first line).
 *   <li>{@code target_maildir} instead of the target's host, port, security, user and password:
 *       {@code maildir:/var/vmail} (with the store's {@code layout=}/{@code domain=}/{@code
 *       account=} parameters) or a plain path. Mail goes to the account {@code account=}, else
 *       {@code target_user} if it is {@code user@domain}, else {@code source_user}.
 *   <li>{@code exclude}: one folder regex; {@code map}: {@code --map} rules separated by {@code ;}.
 *   <li>{@code comment}: ignored.
 * </ul>
 *
 * <p>The file is UTF-8 (a byte order mark is allowed), with LF or CRLF line ends, RFC 4180
 * quoting (quote a password with a comma, a quote or leading/trailing spaces), {@code #} comment
 * lines and empty lines. Every problem fails the whole file with a {@link MailStoreException} of
 * one line naming the file, the line, the column and what to do, such as {@code accounts.csv
 * line 4: source_security 'ssl' is not none, starttls or tls}. Passwords never appear in
 * messages.
 */
public final class MigrationAccounts {

  private static final List<String> ENDPOINT_COLUMNS = List.of("host", "port", "security", "user");
  private static final Set<String> OTHER_COLUMNS = Set.of("target_maildir", "exclude", "map",
      "comment");
  private static final List<String> SIDE_COLUMNS = List.of("host", "port", "security", "user",
      "password", "password_file", "auth", "token_file", "oauth2_token_file");

  private MigrationAccounts() {}

  /** Reads a UTF-8 CSV file; relative paths in it are resolved from its directory. */
  public static List<MigrationAccount> read(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(in, file.toString(), dir);
    } catch (NoSuchFileException e) {
      throw new MailStoreException("accounts file " + file + " does not exist; check the path", e);
    } catch (CharacterCodingException e) {
      throw new MailStoreException("accounts file " + file + " is not UTF-8 text; save it as UTF-8"
          + " (CSV UTF-8 in a spreadsheet program)", e);
    }
  }

  /**
   * Parses CSV text. {@code source} names it in messages; relative paths are resolved from
   * {@code baseDir}. The caller closes {@code in}.
   */
  public static List<MigrationAccount> parse(Reader in, String source, Path baseDir)
      throws IOException {
    try (CSVParser parser = CSVParser.builder().setReader(in).setFormat(AccountList.CSV).get()) {
      Iterator<CSVRecord> records = parser.iterator();
      if (!records.hasNext()) {
        throw new MailStoreException(source + " is empty: expected a header row such as "
            + "source_host,source_port,source_security,source_user,source_password,target_host,"
            + "target_port,target_security,target_user,target_password");
      }
      CSVRecord first = records.next();
      List<String> columns = header(first, new Where(source, lineOf(first, parser)));
      List<MigrationAccount> out = new ArrayList<>();
      Map<List<String>, Integer> seen = new HashMap<>();
      while (records.hasNext()) {
        CSVRecord r = records.next();
        Where where = new Where(source, lineOf(r, parser));
        if (r.size() != columns.size()) {
          throw where.fail("has " + r.size() + " fields but the header has " + columns.size()
              + "; add or remove commas (empty fields are allowed, quote values with commas)");
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          row.put(columns.get(i), r.get(i));
        }
        MigrationAccount account = new Row(row, where, baseDir).account();
        List<String> key = List.of(account.source().uri(), account.target().uri(),
            account.target().account().toString());
        Integer before = seen.putIfAbsent(key, where.line());
        if (before != null) {
          throw where.fail("the same source and target as line " + before
              + "; remove one of the rows");
        }
        out.add(account);
      }
      return List.copyOf(out);
    } catch (IllegalStateException | UncheckedIOException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof CharacterCodingException cce) {
        throw cce;
      }
      throw new MailStoreException(source + " is not valid CSV (" + cause.getMessage()
          + "); check the quotes on the line named", e);
    }
  }

  /** The first line of a record: the parser's line after it, less the line ends inside it. */
  private static int lineOf(CSVRecord r, CSVParser parser) {
    long inside = 0;
    for (String v : r.values()) {
      inside += v.chars().filter(c -> c == '\n').count();
    }
    return (int) (parser.getCurrentLineNumber() - inside);
  }

  private static List<String> header(CSVRecord r, Where where) throws MailStoreException {
    List<String> columns = new ArrayList<>();
    for (String raw : r.values()) {
      String name = (raw.startsWith("\uFEFF") ? raw.substring(1) : raw).strip()
          .toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw where.fail("the header has an empty column name; name every column");
      }
      if (columns.contains(name)) {
        throw where.fail("column '" + name + "' appears twice in the header; remove one");
      }
      if (!known(name)) {
        throw where.fail("column '" + name + "' is not known; the columns are source_/target_"
            + String.join("|", SIDE_COLUMNS) + ", target_maildir, exclude, map and comment");
      }
      columns.add(name);
    }
    for (String c : ENDPOINT_COLUMNS) {
      require(columns, "source_" + c, where);
    }
    requirePassword(columns, "source", where);
    if (!columns.contains("target_maildir")) {
      for (String c : ENDPOINT_COLUMNS) {
        require(columns, "target_" + c, where);
      }
      requirePassword(columns, "target", where);
    }
    return columns;
  }

  private static boolean known(String name) {
    if (OTHER_COLUMNS.contains(name)) {
      return true;
    }
    for (String side : List.of("source_", "target_")) {
      if (name.startsWith(side) && SIDE_COLUMNS.contains(name.substring(side.length()))) {
        return true;
      }
    }
    return false;
  }

  private static void require(List<String> columns, String name, Where where)
      throws MailStoreException {
    if (!columns.contains(name)) {
      throw where.fail("the header has no '" + name + "' column; it needs at least source_host,"
          + "source_port,source_security,source_user,source_password,target_host,target_port,"
          + "target_security,target_user,target_password (or target_maildir)");
    }
  }

  private static void requirePassword(List<String> columns, String side, Where where)
      throws MailStoreException {
    if (!columns.contains(side + "_password") && !columns.contains(side + "_password_file")
        && !columns.contains(side + "_token_file")
        && !columns.contains(side + "_oauth2_token_file")) {
      throw where.fail("the header has no '" + side + "_password' column; add " + side
          + "_password or " + side + "_password_file");
    }
  }

  /** Where a problem is, for messages: {@code accounts.csv line 4: }. */
  private record Where(String source, int line) {

    MailStoreException fail(String what) {
      return new MailStoreException(source + " line " + line + ": " + what);
    }
  }

  /** One data row, by lower-case column name; absent columns read as empty. */
  private record Row(Map<String, String> values, Where where, Path baseDir) {

    String get(String column) {
      return values.getOrDefault(column, "");
    }

    String required(String column, String hint) throws MailStoreException {
      String v = get(column);
      if (v.isEmpty()) {
        throw where.fail(column + " is empty; " + hint);
      }
      return v;
    }

    MigrationAccount account() throws MailStoreException {
      Endpoint source = imap("source");
      Endpoint target = get("target_maildir").isEmpty() ? imap("target") : maildir(source);
      List<String> exclude = new ArrayList<>();
      if (!get("exclude").isEmpty()) {
        exclude.add(get("exclude"));
      }
      List<String> map = new ArrayList<>();
      for (String rule : get("map").split(";")) {
        if (!rule.isBlank()) {
          map.add(rule.strip());
        }
      }
      MigrationAccount account = new MigrationAccount(where.line(), source, target, exclude, map);
      try {
        account.addFolderRules(FolderMap.builder());
      } catch (IllegalArgumentException e) {
        // "--exclude '(' is not ..." becomes "exclude '(' is not ...", the column's name
        throw where.fail(e.getMessage().substring(2));
      }
      return account;
    }

    private Endpoint imap(String side) throws MailStoreException {
      String host = required(side + "_host", "fill in the IMAP server's host name"
          + (side.equals("target") ? " or give target_maildir" : ""));
      Security security = security(side);
      int port = port(side, security);
      String user = required(side + "_user", "fill in the login name");
      Auth auth = auth(side);
      if (host.chars().anyMatch(c -> c <= ' ' || "/?#@".indexOf(c) >= 0)) {
        throw where.fail(side + "_host '" + host + "' is not a host name; write it like"
            + " imap.example.com or 192.0.2.1, without imap:// or a port");
      }
      String uri = uri(security, user, host, port);
      ImapLocation location;
      try {
        location = ImapLocation.parse(MailStores.parse(uri));
      } catch (MailStoreException e) {
        throw where.fail(side + "_host '" + host + "' with " + side + "_user '" + user
            + "' make no valid IMAP address (" + e.getMessage() + ")");
      }
      return new Endpoint(uri, location.account(), passwords(side, auth, location.account()),
          auth);
    }

    private Security security(String side) throws MailStoreException {
      String column = side + "_security";
      String v = required(column, "write none, starttls or tls");
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "none" -> Security.NONE;
        case "starttls" -> Security.STARTTLS;
        case "tls" -> Security.TLS;
        default -> throw where.fail(column + " '" + v + "' is not none, starttls or tls");
      };
    }

    private int port(String side, Security security) throws MailStoreException {
      String column = side + "_port";
      String v = get(column);
      if (v.isEmpty()) {
        return security == Security.TLS ? 993 : 143;
      }
      try {
        int port = Integer.parseInt(v);
        if (port >= 1 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw where.fail(column + " '" + v + "' is not a port number from 1 to 65535"
          + " (usually 143, or 993 for tls); leave it empty for the default");
    }

    private Auth auth(String side) throws MailStoreException {
      String column = side + "_auth";
      String v = get(column);
      if (v.isEmpty()) {
        return get(side + "_oauth2_token_file").isEmpty() ? Auth.LOGIN : Auth.XOAUTH2;
      }
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "login" -> Auth.LOGIN;
        case "plain" -> Auth.PLAIN;
        case "xoauth2" -> Auth.XOAUTH2;
        default -> throw where.fail(column + " '" + v + "' is not login, plain or xoauth2");
      };
    }

    private PasswordSource passwords(String side, Auth auth, AccountId account)
        throws MailStoreException {
      String tokenColumn = side + "_token_file";
      if (!get(side + "_oauth2_token_file").isEmpty()) {
        if (!get(tokenColumn).isEmpty()) {
          throw where.fail("both " + side + "_oauth2_token_file and " + tokenColumn + " are"
              + " filled in; keep one");
        }
        tokenColumn = side + "_oauth2_token_file";
      }
      String token = get(tokenColumn);
      if (auth == Auth.XOAUTH2) {
        String file = required(tokenColumn, side + "_auth xoauth2 needs the file holding the"
            + " access token");
        return PasswordSources.firstLineOf(file(tokenColumn, file), tokenColumn + " of "
            + where.source() + " line " + where.line());
      }
      if (!token.isEmpty()) {
        throw where.fail(tokenColumn + " is only used with " + side + "_auth xoauth2; set "
            + side + "_auth or empty " + tokenColumn);
      }
      String passwordColumn = side + "_password";
      String fileColumn = side + "_password_file";
      String password = get(passwordColumn);
      String file = get(fileColumn);
      if (!password.isEmpty() && !file.isEmpty()) {
        throw where.fail("both " + passwordColumn + " and " + fileColumn + " are filled in;"
            + " empty one of them");
      }
      if (!file.isEmpty()) {
        return PasswordSources.firstLineOf(file(fileColumn, file), fileColumn + " of "
            + where.source() + " line " + where.line());
      }
      if (password.isEmpty()) {
        throw where.fail(passwordColumn + " is empty; fill it in or give " + fileColumn
            + " (the password of " + account + ")");
      }
      return PasswordSources.inline(password, passwordColumn + " of " + where.source()
          + " line " + where.line());
    }

    /** A password or token file that exists and can be read. */
    private Path file(String column, String value) throws MailStoreException {
      Path p;
      try {
        p = resolve(value);
      } catch (InvalidPathException e) {
        throw where.fail(column + " '" + value + "' is not a valid path");
      }
      if (!Files.exists(p)) {
        throw where.fail(column + " '" + value + "' does not exist"
            + (p.toString().equals(value) ? "" : " (looked for " + p + ")") + "; check the path");
      }
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw where.fail(column + " '" + value + "' is not a readable file; check the path and"
            + " its permissions");
      }
      return p;
    }

    private Path resolve(String value) {
      Path p = Path.of(value);
      return (p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p)).toAbsolutePath()
          .normalize();
    }

    private Endpoint maildir(Endpoint source) throws MailStoreException {
      String column = "target_maildir";
      String value = get(column);
      for (String c : List.of("target_host", "target_port", "target_security", "target_password",
          "target_password_file", "target_auth", "target_token_file",
          "target_oauth2_token_file")) {
        if (!get(c).isEmpty()) {
          throw where.fail("both " + column + " and " + c + " are filled in; a Maildir target"
              + " takes only target_maildir and target_user, empty " + c);
        }
      }
      String rest = value;
      if (value.regionMatches(true, 0, "maildir:", 0, 8)) {
        rest = value.substring(8);
      } else if (value.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !value.matches("^[A-Za-z]:\\\\.*")) {
        throw where.fail(column + " '" + value + "' is not a Maildir: write maildir:/var/vmail"
            + " or a path; for an IMAP target use target_host");
      }
      int q = rest.indexOf('?');
      String path = q < 0 ? rest : rest.substring(0, q);
      String query = q < 0 ? "" : rest.substring(q);
      if (path.isEmpty()) {
        throw where.fail(column + " '" + value + "' has no path; write maildir:/var/vmail");
      }
      String uri;
      StoreUri parsed;
      try {
        uri = "maildir:" + resolve(path) + query;
        URI u = MailStores.parse(uri);
        parsed = StoreUri.of(u, Set.of("layout", "domain", "account"));
        parsed.account();
      } catch (MailStoreException | InvalidPathException e) {
        throw where.fail(column + " '" + value + "' is not a valid Maildir store ("
            + e.getMessage() + ")");
      }
      AccountId account = parsed.account().orElse(null);
      String user = get("target_user");
      if (account == null && user.indexOf('@') > 0) {
        account = parse("target_user", user);
      }
      String sourceUser = get("source_user");
      if (account == null && sourceUser.indexOf('@') > 0) {
        account = parse("source_user", sourceUser);
      }
      if (account == null) {
        throw where.fail("target_user is not user@domain and source_user '" + sourceUser
            + "' is not either; write the Maildir account as target_user, e.g. alice@example.com");
      }
      return new Endpoint(uri, account, PasswordSource.NONE, Auth.LOGIN);
    }

    private AccountId parse(String column, String value) throws MailStoreException {
      try {
        return AccountId.of(value);
      } catch (IllegalArgumentException e) {
        throw where.fail(column + " '" + value + "' is not an account (" + e.getMessage() + ")");
      }
    }

    @Override
    public String toString() {
      return "Row[" + where + "]";
    }
  }

  /** {@code imap[s]://user@host:port[?starttls=...]} with the login percent-encoded. */
  static String uri(Security security, String user, String host, int port) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    String base = (security == Security.TLS ? "imaps" : "imap") + "://" + encodeUser(user) + "@"
        + h + ":" + port;
    return switch (security) {
      case NONE -> base + "?starttls=false";
      case STARTTLS -> base + "?starttls=true";
      case TLS -> base;
    };
  }

  private static String encodeUser(String user) {
    StringBuilder sb = new StringBuilder();
    for (byte b : user.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "-._~".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }
}
