package io.mailops.migrator;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.StoreUri;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.model.AccountId;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One account to migrate: where its mail comes from and where it goes, with the folder rules of
 * its row. Read from an accounts CSV by {@link MigrationAccounts} or built by {@link #oneOff}.
 *
 * @param line the line of the row in the accounts file, 0 for a one-off migration
 * @param source the IMAP account mail is copied from
 * @param target the IMAP account or Maildir mail is copied to
 * @param exclude {@code --exclude} regexes of this account (the CSV column {@code exclude})
 * @param map {@code --map} rules of this account (the CSV column {@code map}, split at {@code ;})
 */
public record MigrationAccount(int line, Endpoint source, Endpoint target, List<String> exclude,
    List<String> map) {

  /** Environment variable with the source password of a one-off migration. */
  public static final String SOURCE_PASSWORD_ENV = "MAILOPS_SOURCE_PASSWORD";

  /** Environment variable with the target password of a one-off migration. */
  public static final String TARGET_PASSWORD_ENV = "MAILOPS_TARGET_PASSWORD";

  public MigrationAccount {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    exclude = List.copyOf(exclude);
    map = List.copyOf(map);
  }

  /** An account without folder rules of its own. */
  public MigrationAccount(int line, Endpoint source, Endpoint target) {
    this(line, source, target, List.of(), List.of());
  }

  /** How an IMAP endpoint logs in. */
  public enum Auth {
    /** The IMAP LOGIN command (or whatever Jakarta Mail picks by default): the CSV default. */
    LOGIN,
    /** SASL PLAIN. */
    PLAIN,
    /** SASL XOAUTH2; the "password" is the OAuth access token from the token file. */
    XOAUTH2;

    /** {@code login}, {@code plain} or {@code xoauth2}, as written in the CSV. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Transport security of an IMAP endpoint, as written in the CSV. */
  public enum Security {
    /** Plain text, never STARTTLS: {@code imap://...?starttls=false}. */
    NONE,
    /** STARTTLS required: {@code imap://...?starttls=true}. */
    STARTTLS,
    /** TLS from the first byte: {@code imaps://}. */
    TLS
  }

  /**
   * One side of a migration.
   *
   * @param uri a store URI {@link MailStores#open} accepts: {@code imap://user@host:143?starttls=
   *     true|false}, {@code imaps://user@host:993} (an {@code @} in the login as {@code %40}) or
   *     {@code maildir:/var/vmail}
   * @param account the account on this side (of a Maildir store: the account written to)
   * @param passwords the login password (for {@link Auth#XOAUTH2}: the access token); never shown
   * @param auth how to log in; {@link Auth#LOGIN} for Maildir. Not part of the URI: storage-tools'
   *     {@code ImapLocation} has no parameter for the SASL mechanism yet, so the engine has to
   *     apply it ({@code mail.imap[s].auth.mechanisms}, {@code auth.xoauth2.disable=false})
   *     until it does
   */
  public record Endpoint(String uri, AccountId account, PasswordSource passwords, Auth auth) {

    public Endpoint {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(passwords, "passwords");
      Objects.requireNonNull(auth, "auth");
    }

    /** True for a {@code maildir:} store, false for IMAP. */
    public boolean isMaildir() {
      return uri.regionMatches(true, 0, "maildir:", 0, 8);
    }

    /** The URI, the account and where the password comes from (never the password). */
    @Override
    public String toString() {
      return uri + " (account " + account + (isMaildir() ? "" : ", auth " + auth.text() + ", "
          + passwords) + ")";
    }
  }

  /** The rules of this account added to {@code builder} (the run's own rules come first). */
  public FolderMap.Builder addFolderRules(FolderMap.Builder builder) {
    exclude.forEach(builder::exclude);
    map.forEach(builder::map);
    return builder;
  }

  /**
   * A one-off migration, {@code mailops migrate run --source imap://... --target
   * imap://...|maildir:/...}. A password comes from its file (first line) if one is given, else
   * from {@code MAILOPS_SOURCE_PASSWORD} / {@code MAILOPS_TARGET_PASSWORD} in {@code env}; if
   * there is neither, logging in fails saying how to give one. A Maildir target writes to its
   * {@code account=} parameter, else to the source account.
   *
   * @param sourcePasswordFile may be null
   * @param targetPasswordFile may be null; must be null for a Maildir target
   * @throws MailStoreException naming the option and the fix
   */
  public static MigrationAccount oneOff(String sourceUri, String targetUri,
      Path sourcePasswordFile, Path targetPasswordFile, Map<String, String> env)
      throws MailStoreException {
    return oneOff(sourceUri, targetUri, sourcePasswordFile, targetPasswordFile, null, null, env);
  }

  /**
   * As {@link #oneOff(String, String, Path, Path, Map)}; a side with an OAuth2 token file
   * ({@code --source-oauth2-token-file}, {@code --target-oauth2-token-file}: the access token on
   * its first line, read again at each login) logs in with XOAUTH2 instead of a password.
   *
   * @param sourceTokenFile may be null
   * @param targetTokenFile may be null
   */
  public static MigrationAccount oneOff(String sourceUri, String targetUri,
      Path sourcePasswordFile, Path targetPasswordFile, Path sourceTokenFile,
      Path targetTokenFile, Map<String, String> env) throws MailStoreException {
    MigrationAccount a = oneOffWithPasswords(sourceUri, targetUri,
        sourceTokenFile != null ? null : sourcePasswordFile,
        targetTokenFile != null ? null : targetPasswordFile, env);
    if (sourceTokenFile != null && sourcePasswordFile != null) {
      throw new MailStoreException("--source-password-file and --source-oauth2-token-file are"
          + " both given; keep one");
    }
    if (targetTokenFile != null && targetPasswordFile != null) {
      throw new MailStoreException("--target-password-file and --target-oauth2-token-file are"
          + " both given; keep one");
    }
    Endpoint source = a.source();
    Endpoint target = a.target();
    if (sourceTokenFile != null) {
      source = new Endpoint(source.uri(), source.account(), token("--source-oauth2-token-file",
          sourceTokenFile), Auth.XOAUTH2);
    }
    if (targetTokenFile != null) {
      if (target.isMaildir()) {
        throw new MailStoreException("--target-oauth2-token-file " + targetTokenFile
            + " is for IMAP targets; a Maildir target needs no login, leave it out");
      }
      target = new Endpoint(target.uri(), target.account(), token("--target-oauth2-token-file",
          targetTokenFile), Auth.XOAUTH2);
    }
    return new MigrationAccount(0, source, target);
  }

  private static PasswordSource token(String option, Path file) throws MailStoreException {
    if (!Files.isRegularFile(file)) {
      throw new MailStoreException(option + " " + file + " does not exist or is not a file;"
          + " check the path");
    }
    return PasswordSources.firstLineOf(file, option);
  }

  private static MigrationAccount oneOffWithPasswords(String sourceUri, String targetUri,
      Path sourcePasswordFile, Path targetPasswordFile, Map<String, String> env)
      throws MailStoreException {
    Objects.requireNonNull(env, "env");
    ImapLocation from = imap("--source", sourceUri);
    Endpoint source = new Endpoint(sourceUri.trim(), from.account(),
        password("--source", sourcePasswordFile, env, SOURCE_PASSWORD_ENV, from.account()),
        Auth.LOGIN);
    URI to = parse("--target", targetUri);
    String scheme = to.getScheme().toLowerCase(Locale.ROOT);
    Endpoint target;
    if (scheme.equals("maildir")) {
      if (targetPasswordFile != null) {
        throw new MailStoreException("--target-password-file " + targetPasswordFile
            + " is for IMAP targets; a Maildir target needs no password, leave it out");
      }
      StoreUri u;
      AccountId account;
      try {
        u = StoreUri.of(to, Set.of("layout", "domain", "account"));
        account = u.account().orElse(from.account());
      } catch (MailStoreException e) {
        throw new MailStoreException("--target: " + e.getMessage(), e);
      }
      String text = targetUri.trim();
      target = new Endpoint(text.startsWith("/") || text.startsWith(".") ? "maildir:" + text : text,
          account, PasswordSource.NONE, Auth.LOGIN);
    } else {
      ImapLocation loc = imap("--target", targetUri);
      target = new Endpoint(targetUri.trim(), loc.account(),
          password("--target", targetPasswordFile, env, TARGET_PASSWORD_ENV, loc.account()),
          Auth.LOGIN);
    }
    return new MigrationAccount(0, source, target);
  }

  private static URI parse(String option, String uri) throws MailStoreException {
    try {
      return MailStores.parse(uri);
    } catch (MailStoreException e) {
      throw new MailStoreException(redact(option + ": " + e.getMessage()), e);
    }
  }

  /** {@code imap://user:secret@host} as {@code imap://user:***@host} in messages. */
  static String redact(String message) {
    return message.replaceAll("([A-Za-z][A-Za-z0-9+.-]*://[^/@:\\s']*):[^/@\\s']*@", "$1:***@");
  }

  private static ImapLocation imap(String option, String uri) throws MailStoreException {
    URI parsed = parse(option, uri);
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("imap") && !scheme.equals("imaps")) {
      throw new MailStoreException(redact(option + " '" + uri + "' is not an IMAP account: write "
          + "imaps://user@host:993 or imap://user@host:143?starttls=true"
          + (option.equals("--target") ? ", or maildir:/var/vmail" : "")));
    }
    try {
      return ImapLocation.parse(parsed);
    } catch (MailStoreException e) {
      throw new MailStoreException(option + ": " + e.getMessage(), e);
    }
  }

  private static PasswordSource password(String option, Path file, Map<String, String> env,
      String variable, AccountId account) throws MailStoreException {
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new MailStoreException(option + "-password-file " + file
            + " does not exist or is not a file; check the path");
      }
      return PasswordSources.firstLineOf(file, option + "-password-file");
    }
    String value = env.get(variable);
    if (value != null && !value.isEmpty()) {
      return PasswordSources.inline(value, "environment variable " + variable);
    }
    return PasswordSources.missing("no password for " + option.substring(2) + " account "
        + account + ": give " + option + "-password-file FILE or set " + variable);
  }
}
