package io.mailops.backup;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.util.List;
import java.util.Locale;

/**
 * What a backup or restore covers: everything ({@code all}), a domain ({@code example.com}), an
 * account ({@code alice@example.com}) or a folder ({@code alice@example.com/Projekte/Übersicht});
 * a restore may narrow it to one message by base name or by Message-ID ({@code <id@host>}).
 * Unset parts are {@code null}.
 */
public record Scope(String domain, AccountId account, FolderPath folder, String message) {

  public static final Scope ALL = new Scope(null, null, null, null);

  public Scope {
    if (account != null) {
      if (domain != null && !domain.equalsIgnoreCase(account.domain())) {
        throw new IllegalArgumentException("scope account " + account + " is not in domain " + domain);
      }
      domain = account.domain();
    }
    if (folder != null && account == null) {
      throw new IllegalArgumentException("scope folder " + folder + " needs an account, e.g. alice@example.com/" + folder);
    }
    if (message != null && (message.isBlank() || folder == null)) {
      throw new IllegalArgumentException("scope message '" + message
          + "' needs a folder, e.g. alice@example.com/INBOX, and a base name or <Message-ID>");
    }
    if (domain != null) {
      domain = domain.toLowerCase(Locale.ROOT);
      if (domain.isEmpty() || domain.contains("/") || domain.contains("@")) {
        throw new IllegalArgumentException("invalid scope domain '" + domain + "': expected e.g. example.com");
      }
    }
  }

  /**
   * Parses {@code all}, {@code example.com}, {@code alice@example.com} or
   * {@code alice@example.com/FOLDER/PATH}.
   */
  public static Scope parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty scope: expected all, example.com, alice@example.com"
          + " or alice@example.com/INBOX");
    }
    if (text.equals("all")) {
      return ALL;
    }
    int slash = text.indexOf('/');
    String head = slash < 0 ? text : text.substring(0, slash);
    if (!head.contains("@")) {
      if (slash >= 0) {
        throw new IllegalArgumentException("invalid scope '" + text + "': a folder needs an account, e.g. alice@example.com/INBOX");
      }
      return new Scope(head, null, null, null);
    }
    AccountId a = AccountId.of(head);
    return new Scope(null, a, slash < 0 ? null : FolderPath.of(text.substring(slash + 1)), null);
  }

  /** This scope narrowed to one message (base name or {@code <Message-ID>}). */
  public Scope withMessage(String baseNameOrMessageId) {
    return new Scope(domain, account, folder, baseNameOrMessageId);
  }

  /** Whether some folder of account {@code a} may lie inside this scope (domain and account match). */
  public boolean coversAccount(AccountId a) {
    return (domain == null || domain.equals(a.domain())) && (account == null || account.equals(a));
  }

  /** Whether the folder of {@code a} lies inside this scope. */
  public boolean covers(AccountId a, FolderPath f) {
    return coversAccount(a) && (folder == null || folder.equals(f));
  }

  /** Whether a message with this base name and Message-ID is selected. */
  public boolean selects(String base, String messageId) {
    if (message == null) {
      return true;
    }
    return message.startsWith("<") ? message.equals(messageId) : message.equals(base);
  }

  /** The accounts of {@code all} that this scope covers. */
  List<AccountId> filter(List<AccountId> all) {
    return all.stream().filter(a -> (domain == null || domain.equals(a.domain()))
        && (account == null || account.equals(a))).toList();
  }

  @Override
  public String toString() {
    if (account == null) {
      return domain == null ? "all" : domain;
    }
    return account + (folder == null ? "" : "/" + folder);
  }
}
