package io.mailops.archiver;

import java.util.ArrayList;
import java.util.List;

/**
 * The archive password rule: at least {@code minLength} characters with an upper-case letter, a
 * lower-case letter and a digit. Immutable.
 *
 * @param minLength the least number of characters, at least 1
 */
public record PasswordPolicy(int minLength) {

  /** At least 12 characters with upper case, lower case and a digit. */
  public static final PasswordPolicy DEFAULT = new PasswordPolicy(12);

  public PasswordPolicy {
    if (minLength < 1) {
      throw new IllegalArgumentException("invalid minimum password length " + minLength
          + ": must be at least 1");
    }
  }

  /**
   * What {@code password} lacks, e.g. "at least 12 characters (got 9), an upper-case letter";
   * empty when it passes.
   */
  public List<String> missing(char[] password) {
    List<String> missing = new ArrayList<>();
    if (password.length < minLength) {
      missing.add("at least " + minLength + " characters (got " + password.length + ")");
    }
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (char c : password) {
      upper |= Character.isUpperCase(c);
      lower |= Character.isLowerCase(c);
      digit |= Character.isDigit(c);
    }
    if (!upper) {
      missing.add("an upper-case letter");
    }
    if (!lower) {
      missing.add("a lower-case letter");
    }
    if (!digit) {
      missing.add("a digit");
    }
    return missing;
  }

  /**
   * Checks {@code password}.
   *
   * @throws ArchiveException saying everything that is missing
   */
  public void check(char[] password) throws ArchiveException {
    List<String> missing = missing(password);
    if (!missing.isEmpty()) {
      throw new ArchiveException("the archive password is too weak: it needs "
          + String.join(", ", missing) + "; choose a longer password with upper case, lower case"
          + " and digits");
    }
  }
}
