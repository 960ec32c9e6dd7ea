package io.mailops.storage.queue.postfix;

import io.mailops.storage.MailStoreException;

/**
 * A Postfix queue could not be read or changed. The message names the queue directory, file or
 * queue ID and the next action, e.g. "cannot read the Postfix queue /var/spool/postfix: permission
 * denied; run as root or postfix".
 */
public class QueueException extends MailStoreException {

  public QueueException(String message) {
    super(message);
  }

  public QueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
