package io.mailops.storage.model;

import java.util.Locale;

/**
 * A mail account, {@code user@domain}. The domain is kept in lower case (domains are
 * case-insensitive); the local part is kept as given.
 */
public record AccountId(String user, String domain) implements Comparable<AccountId> {

  public AccountId {
    if (user == null || user.isEmpty() || user.contains("@") || user.contains("/")
        || user.startsWith(".") || hasControl(user)) {
      throw new IllegalArgumentException(
          "invalid account user part: expected a local part without '@', '/' or a leading '.', got '"
              + user + "'");
    }
    if (domain == null || domain.isEmpty() || domain.contains("@") || domain.contains("/")
        || domain.startsWith(".") || hasControl(domain)) {
      throw new IllegalArgumentException(
          "invalid account domain: expected a domain name such as example.com, got '" + domain + "'");
    }
    domain = domain.toLowerCase(Locale.ROOT);
  }

  /** Parses {@code user@domain}; the last {@code @} separates the parts. */
  public static AccountId of(String address) {
    if (address == null) {
      throw new IllegalArgumentException("invalid account: expected user@domain, got null");
    }
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      throw new IllegalArgumentException("invalid account: expected user@domain, got '" + address + "'");
    }
    return new AccountId(address.substring(0, at), address.substring(at + 1));
  }

  static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int compareTo(AccountId o) {
    int c = domain.compareTo(o.domain);
    return c != 0 ? c : user.compareTo(o.user);
  }

  /**
   * The record's equality, written out: javac compiles a record's own {@code equals} and
   * {@code hashCode} to an {@code ObjectMethods} bootstrap whose method handles are spun at run
   * time on first use (~10 ms of a short command's CPU; not kept by the class-data archives,
   * ADR 0037).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof AccountId a && user.equals(a.user) && domain.equals(a.domain);
  }

  @Override
  public int hashCode() {
    return 31 * user.hashCode() + domain.hashCode();
  }

  @Override
  public String toString() {
    return user + "@" + domain;
  }
}
