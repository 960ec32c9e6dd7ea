package io.mailops.storage.usage;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a usage report at the level the caller asked for: a domain, an account, a folder
 * of an account, or the total of the store. {@code domain} is empty only for the total;
 * {@code account} is set for account and folder rows, {@code folder} for folder rows;
 * {@code quota} only for account rows of stores that keep a Maildir++ quota. {@code children}
 * counts the accounts of a domain, the folders of an account, 0 otherwise.
 */
public record UsageRow(Level level, String domain, Optional<AccountId> account,
    Optional<FolderPath> folder, int children, Counts counts, Optional<Quota> quota) {

  /** What a row stands for. */
  public enum Level {
    DOMAIN, ACCOUNT, FOLDER, TOTAL
  }

  public UsageRow {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(counts, "counts");
    boolean ok = switch (level) {
      case TOTAL -> domain.isEmpty() && account.isEmpty() && folder.isEmpty() && quota.isEmpty();
      case DOMAIN -> !domain.isEmpty() && account.isEmpty() && folder.isEmpty() && quota.isEmpty();
      case ACCOUNT -> account.isPresent() && folder.isEmpty();
      case FOLDER -> account.isPresent() && folder.isPresent() && quota.isEmpty();
    };
    if (!ok || children < 0) {
      throw new IllegalArgumentException("inconsistent " + level + " row: domain '" + domain + "', account "
          + account + ", folder " + folder + ", quota " + quota + ", children " + children);
    }
  }
}
