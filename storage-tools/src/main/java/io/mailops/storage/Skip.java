package io.mailops.storage;

/**
 * An item left out of an operation, recorded so it shows in reports and in exit code 3:
 * {@code subject} names it (a file, folder or account), {@code reason} says why and what to do.
 */
public record Skip(String subject, String reason) {

  public Skip {
    if (subject == null || subject.isBlank() || reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a skip needs a subject and a reason, got '" + subject
          + "': '" + reason + "'");
    }
  }

  @Override
  public String toString() {
    return subject + ": " + reason;
  }
}
