package io.mailops.storage.maildir;

import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStoreProvider;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.StoreUri;
import io.mailops.storage.model.AccountId;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

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
    StoreUri u = StoreUri.of(uri, Set.of("layout", "domain", "account"));
    try {
      MaildirLayout layout = new MaildirLayout(u.get("layout", MaildirLayout.DEFAULT_TEMPLATE),
          u.get("domain", "localhost"), u.account().orElse(AccountId.of("mail@localhost")));
      return new MaildirStore(Path.of(u.path("maildir:/path")), layout, MaildirStore.Settings.defaults());
    } catch (IllegalArgumentException e) {
      throw new MailStoreException("invalid store '" + uri + "': " + e.getMessage(), e);
    }
  }
}
