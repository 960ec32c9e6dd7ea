package io.mailops.storage;

import io.mailops.storage.model.AccountId;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The query parameters of a store URI ({@code maildir:/var/vmail?layout=...}), parsed once. */
public record StoreUri(URI uri, Map<String, String> parameters) {

  /**
   * Parses the query of {@code uri}, accepting only {@code allowed} keys.
   *
   * @throws MailStoreException naming the unknown parameter and the ones the store takes
   */
  public static StoreUri of(URI uri, Set<String> allowed) throws MailStoreException {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null && !raw.isEmpty()) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
        if (!allowed.contains(k)) {
          throw new MailStoreException("unknown parameter '" + k + "' in store '" + uri
              + "': this store takes " + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
        out.put(k, eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return new StoreUri(uri, Map.copyOf(out));
  }

  /** The value of a parameter, or {@code fallback}. */
  public String get(String key, String fallback) {
    return parameters.getOrDefault(key, fallback);
  }

  /** The {@code account=user@domain} parameter, if given. */
  public Optional<AccountId> account() throws MailStoreException {
    String a = parameters.get("account");
    if (a == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(AccountId.of(a));
    } catch (IllegalArgumentException e) {
      throw new MailStoreException("invalid store '" + uri + "': " + e.getMessage(), e);
    }
  }

  /** The path of a local store; fails naming the expected form if there is none. */
  public String path(String expected) throws MailStoreException {
    if (uri.getPath() == null || uri.getPath().isEmpty()) {
      throw new MailStoreException("invalid store '" + uri + "': expected " + expected);
    }
    return uri.getPath();
  }
}
