package io.mailops.storage;

import java.io.IOException;

/**
 * Where a store gets a password for a remote account (a file, an environment variable, a
 * terminal prompt). Passwords never have to appear on a command line.
 */
@FunctionalInterface
public interface PasswordSource {

  /** No passwords available: remote stores fail with a message saying how to supply one. */
  PasswordSource NONE = (user, host) -> {
    throw new MailStoreException("no password for " + user + "@" + host
        + ": give one with --password-file FILE or the MAILOPS_PASSWORD environment variable");
  };

  /** The password of {@code user} on {@code host}. */
  char[] password(String user, String host) throws IOException;
}
