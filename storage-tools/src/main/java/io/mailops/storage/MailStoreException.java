package io.mailops.storage;

import java.io.IOException;

/**
 * The root of storage-tools' failures. The message names the item (file, folder, account) and
 * the next action, e.g. "cannot read folder /var/vmail/example.com/alice/Maildir/.Sent (account
 * alice@example.com): permission denied; run as the mail user or add it to group vmail".
 */
public class MailStoreException extends IOException {

  public MailStoreException(String message) {
    super(message);
  }

  public MailStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
