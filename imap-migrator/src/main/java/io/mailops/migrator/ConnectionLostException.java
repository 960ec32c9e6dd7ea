package io.mailops.migrator;

import io.mailops.storage.MailStoreException;

/**
 * The connection to an IMAP server died (closed by the server, reset, no answer in time): the
 * command in flight has an unknown outcome, and a new connection may well succeed. The
 * {@link Migrator} reopens its connections and resumes the folder when it may.
 */
public class ConnectionLostException extends MailStoreException {

  public ConnectionLostException(String message) {
    super(message);
  }

  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
