package io.mailops.storage.mbox;

import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreProvider;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.StoreUri;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

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
    StoreUri u = StoreUri.of(uri, Set.of("account"));
    return new MboxStore(Path.of(u.path("mbox:/path/file or mbox:/path/dir")), u.account());
  }
}
