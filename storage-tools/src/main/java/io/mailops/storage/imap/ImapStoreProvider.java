package io.mailops.storage.imap;

import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreProvider;
import io.mailops.storage.PasswordSource;
import java.io.IOException;
import java.net.URI;

/**
 * Opens {@code imap://user@host:port} and {@code imaps://user@host:port} (see
 * {@link ImapLocation} for the parameters) as a connected {@link ImapStore}. Registered for
 * {@link java.util.ServiceLoader}.
 */
public final class ImapStoreProvider implements MailStoreProvider {

  @Override
  public boolean supports(String scheme) {
    return "imap".equals(scheme) || "imaps".equals(scheme);
  }

  @Override
  public MailStore open(URI uri, PasswordSource passwords) throws IOException {
    return new ImapStore(ImapLocation.parse(uri), passwords);
  }
}
