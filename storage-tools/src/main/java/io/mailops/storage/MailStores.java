package io.mailops.storage;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Opens a {@link MailStore} by URI: {@code maildir:/var/vmail} (query {@code layout=} for the
 * account template, default {@code {domain}/{user}/Maildir}), {@code eml:/dir},
 * {@code mbox:/file}, {@code imap://user@host:143}, {@code imaps://user@host:993}.
 */
public final class MailStores {

  private MailStores() {}

  /** Opens the store named by {@code uri}; a plain path is taken as {@code maildir:PATH}. */
  public static MailStore open(String uri, PasswordSource passwords) throws IOException {
    URI parsed = parse(uri);
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    for (MailStoreProvider p : ServiceLoader.load(MailStoreProvider.class,
        MailStores.class.getClassLoader())) {
      if (p.supports(scheme)) {
        return p.open(parsed, passwords);
      }
    }
    throw new MailStoreException("unknown store '" + uri
        + "': use maildir:/path, eml:/dir, mbox:/file, imap://user@host or imaps://user@host");
  }

  /**
   * Parses a store URI. Paths may contain spaces and non-ASCII characters as typed
   * ({@code maildir:/srv/mail boxes}); they are percent-encoded here.
   */
  public static URI parse(String uri) throws MailStoreException {
    if (uri == null || uri.isBlank()) {
      throw new MailStoreException("no store given: pass --storage maildir:/path or set mailops.storage");
    }
    String s = uri.trim();
    if (s.startsWith("/") || s.startsWith(".")) {
      s = "maildir:" + s;
    }
    int colon = s.indexOf(':');
    if (colon <= 0) {
      throw new MailStoreException("invalid store '" + uri
          + "': expected SCHEME:PATH such as maildir:/var/vmail or imaps://user@host");
    }
    String scheme = s.substring(0, colon);
    String rest = s.substring(colon + 1);
    try {
      if (rest.startsWith("//")) {
        return new URI(s);
      }
      int q = rest.indexOf('?');
      String path = q < 0 ? rest : rest.substring(0, q);
      String query = q < 0 ? null : rest.substring(q + 1);
      if (!path.startsWith("/")) {
        path = java.nio.file.Path.of(path).toAbsolutePath().normalize().toString();
      }
      return new URI(scheme, null, path, query, null);
    } catch (URISyntaxException | java.nio.file.InvalidPathException e) {
      throw new MailStoreException("invalid store '" + uri + "': " + e.getMessage(), e);
    }
  }
}
