package io.mailops.storage.crypto;

import io.mailops.storage.MailStoreException;

/**
 * Encrypted data that does not decrypt: a segment does not authenticate (damaged bytes, a wrong
 * key or password, the wrong file) or the data ends inside a segment. The message names the data
 * and the segment; callers add the next action for their own format.
 */
public class DecryptionException extends MailStoreException {

  public DecryptionException(String message) {
    super(message);
  }
}
