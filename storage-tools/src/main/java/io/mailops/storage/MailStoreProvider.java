package io.mailops.storage;

import java.io.IOException;
import java.net.URI;

/**
 * Opens stores of one URI scheme ({@code maildir}, {@code eml}, {@code mbox}, {@code imap},
 * {@code imaps}). Found through {@link java.util.ServiceLoader}; see {@link MailStores}.
 */
public interface MailStoreProvider {

  /** True if this provider opens URIs of {@code scheme} (lower case). */
  boolean supports(String scheme);

  /** Opens the store; the caller closes it. */
  MailStore open(URI uri, PasswordSource passwords) throws IOException;
}
