package io.mailops.storage.mbox;

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
 * Opens {@code mbox:/path/file} (one folder, INBOX) and {@code mbox:/path/dir} (one folder per
 * mbox file), optionally with {@code ?account=user@domain}, as an {@link MboxStore}.
 * Registered for {@link java.util.ServiceLoader}.
 */
public final class MboxStoreProvider implements MailStoreProvider {

  @Override
  public boolean supports(String scheme) {
    return "mbox".equals(scheme);
  }

  @Override
  public MailStore open(URI uri, PasswordSource passwords) throws IOException {
    if (uri.getPath() == null || uri.getPath().isEmpty()) {
      throw new MailStoreException("invalid store '" + uri + "': expected mbox:/path/file or mbox:/path/dir");
    }
    Optional<AccountId> account = Optional.empty();
    String query = uri.getQuery();
    if (query != null && !query.isEmpty()) {
      for (String param : query.split("&")) {
        if (!param.startsWith("account=")) {
          throw new MailStoreException("unknown parameter '" + param + "' in store '" + uri
              + "': mbox stores take only account=user@domain");
        }
        try {
          account = Optional.of(AccountId.of(param.substring("account=".length())));
        } catch (IllegalArgumentException e) {
          throw new MailStoreException("invalid store '" + uri + "': " + e.getMessage(), e);
        }
      }
    }
    return new MboxStore(Path.of(uri.getPath()), account);
  }
}
