package io.mailops.storage.imap;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an {@link ImapStore} connects, parsed once from its URI
 * {@code imap[s]://user@host[:port][?starttls=true|false&trust=all&account=user@domain]}.
 *
 * @param secure true for {@code imaps} (TLS from the first byte)
 * @param user the login name, percent-decoded ({@code alice%40example.com} is
 *     {@code alice@example.com})
 * @param starttls {@code null} to upgrade to TLS when the server offers it, {@code TRUE} to require
 *     STARTTLS, {@code FALSE} never to use it
 * @param trustAll accept any server certificate (self-signed test servers only)
 * @param account the account this login stands for
 */
public record ImapLocation(boolean secure, String user, String host, int port, Boolean starttls,
    boolean trustAll, AccountId account) {

  public ImapLocation {
    if (user == null || user.isEmpty() || hasControl(user)) {
      throw new IllegalArgumentException("invalid IMAP login: expected a user name, got '" + user + "'");
    }
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("invalid IMAP host: expected a host name, got '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid IMAP port " + port + ": expected 1 to 65535");
    }
    Objects.requireNonNull(account, "account");
  }

  /** The protocol name Jakarta Mail uses: {@code imap} or {@code imaps}. */
  public String protocol() {
    return secure ? "imaps" : "imap";
  }

  /** Parses a store URI; the message of a failure names the URI and the fix. */
  public static ImapLocation parse(URI uri) throws MailStoreException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("imap") && !scheme.equals("imaps")) {
      throw new MailStoreException("invalid store '" + uri + "': expected imap://user@host or imaps://user@host");
    }
    boolean secure = scheme.equals("imaps");
    String host = uri.getHost();
    String rawUser = uri.getRawUserInfo();
    if (host == null || rawUser == null || rawUser.isEmpty()) {
      throw new MailStoreException("invalid store '" + uri + "': expected " + scheme
          + "://user@host:port (write an @ in the user name as %40)");
    }
    if (rawUser.indexOf(':') >= 0) {
      throw new MailStoreException("invalid store '" + redacted(uri) + "': passwords do not belong"
          + " in the store URI; give them with --password-file FILE");
    }
    String user = URLDecoder.decode(rawUser.replace("+", "%2B"), StandardCharsets.UTF_8);
    int port = uri.getPort() > 0 ? uri.getPort() : secure ? 993 : 143;
    Boolean starttls = null;
    boolean trustAll = false;
    String accountText = null;
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String param : query.split("&")) {
        int eq = param.indexOf('=');
        String name = eq < 0 ? param : param.substring(0, eq);
        String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
        switch (name) {
          case "starttls" -> starttls = bool(uri, name, value);
          case "trust" -> {
            if (!value.equals("all")) {
              throw new MailStoreException("invalid store '" + uri + "': trust takes only 'all'"
                  + " (accept any certificate); leave it out to check certificates");
            }
            trustAll = true;
          }
          case "account" -> accountText = value;
          default -> throw new MailStoreException("unknown parameter '" + name + "' in store '" + uri
              + "': imap stores take starttls=true|false, trust=all and account=user@domain");
        }
      }
    }
    if (secure && Boolean.TRUE.equals(starttls)) {
      throw new MailStoreException("invalid store '" + uri + "': imaps is TLS already;"
          + " use imap://...?starttls=true or imaps:// without starttls");
    }
    try {
      AccountId account = accountText != null ? AccountId.of(accountText)
          : user.indexOf('@') > 0 ? AccountId.of(user)
          : new AccountId(user, host);
      return new ImapLocation(secure, user, host, port, starttls, trustAll, account);
    } catch (IllegalArgumentException e) {
      throw new MailStoreException("invalid store '" + uri + "': " + e.getMessage(), e);
    }
  }

  private static Boolean bool(URI uri, String name, String value) throws MailStoreException {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.valueOf(value);
    }
    throw new MailStoreException("invalid store '" + uri + "': " + name
        + " must be true or false, got '" + value + "'");
  }

  private static String redacted(URI uri) {
    return uri.getScheme() + "://***@" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }

  /** {@code imap://user@host:port} with the login as typed, for messages. */
  @Override
  public String toString() {
    return protocol() + "://" + user + "@" + (host.indexOf(':') >= 0 && !host.startsWith("[")
        ? "[" + host + "]" : host) + ":" + port;
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }
}
