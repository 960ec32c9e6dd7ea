package io.mailops.storage;

/** A message listed by a scan was expunged before it could be read. */
public class MessageGoneException extends MailStoreException {

  public MessageGoneException(String message) {
    super(message);
  }
}
