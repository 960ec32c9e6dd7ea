package io.mailops.storage.eml;

import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStoreProvider;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens {@code eml:/dir} and {@code eml:/dir?account=user@domain} (a flat store of one account)
 * as an {@link EmlDirectoryStore}. Registered for {@link java.util.ServiceLoader}.
 */
public final class EmlDirectoryStoreProvider implements MailStoreProvider {

  @Override
  public boolean supports(String scheme) {
    return "eml".equals(scheme);
  }

  @Override
  public MailStore open(URI uri, PasswordSource passwords) throws IOException {
    if (uri.getPath() == null || uri.getPath().isEmpty()) {
      throw new MailStoreException("invalid store '" + uri + "': expected eml:/path/to/dir");
    }
    Optional<AccountId> account = Optional.empty();
    String query = uri.getQuery();
    if (query != null && !query.isEmpty()) {
      for (String param : query.split("&")) {
        if (!param.startsWith("account=")) {
          throw new MailStoreException("unknown parameter '" + param + "' in store '" + uri
              + "': eml stores take only account=user@domain");
        }
        try {
          account = Optional.of(AccountId.of(param.substring("account=".length())));
        } catch (IllegalArgumentException e) {
          throw new MailStoreException("invalid store '" + uri + "': " + e.getMessage(), e);
        }
      }
    }
    return new EmlDirectoryStore(Path.of(uri.getPath()), account);
  }
}
