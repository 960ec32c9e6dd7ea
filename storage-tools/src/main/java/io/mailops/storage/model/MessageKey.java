package io.mailops.storage.model;

/**
 * The stable key of a message inside its folder: a Maildir base name (the unique part before
 * {@code :}), {@code UIDVALIDITY:UID} on IMAP, or a store-specific stable name. It does not change
 * when flags change or the server moves the message from {@code new/} to {@code cur/}.
 */
public record MessageKey(String value) implements Comparable<MessageKey> {

  public MessageKey {
    if (value == null || value.isEmpty() || value.indexOf('/') >= 0 || AccountId.hasControl(value)) {
      throw new IllegalArgumentException(
          "invalid message key: expected a non-empty name without '/' or control characters, got '"
              + value + "'");
    }
  }

  public static MessageKey of(String value) {
    return new MessageKey(value);
  }

  @Override
  public int compareTo(MessageKey o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
