package io.mailops.storage.maildir;

import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStoreProvider;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code maildir:/root?layout={domain}/{user}/Maildir&domain=localhost&account=user@domain}.
 * {@code layout=} empty or {@code .} makes the root one Maildir (of {@code account}).
 */
public final class MaildirStoreProvider implements MailStoreProvider {

  @Override
  public boolean supports(String scheme) {
    return scheme.equals("maildir");
  }

  @Override
  public MailStore open(URI uri, PasswordSource passwords) throws MailStoreException {
    Map<String, String> q = query(uri);
    try {
      MaildirLayout layout = new MaildirLayout(
          q.getOrDefault("layout", MaildirLayout.DEFAULT_TEMPLATE),
          q.getOrDefault("domain", "localhost"),
          AccountId.of(q.getOrDefault("account", "mail@localhost")));
      return new MaildirStore(Path.of(uri.getPath()), layout, MaildirStore.Settings.defaults());
    } catch (IllegalArgumentException e) {
      throw new MailStoreException("invalid store '" + uri + "': " + e.getMessage(), e);
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }
}
