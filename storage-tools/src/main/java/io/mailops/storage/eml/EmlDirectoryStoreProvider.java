package io.mailops.storage.eml;

import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreProvider;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.StoreUri;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

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
    StoreUri u = StoreUri.of(uri, Set.of("account"));
    return new EmlDirectoryStore(Path.of(u.path("eml:/path/to/dir")), u.account());
  }
}
