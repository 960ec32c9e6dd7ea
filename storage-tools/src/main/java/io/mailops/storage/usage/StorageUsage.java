package io.mailops.storage.usage;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.Skip;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Counts messages, bytes and unseen messages, and the oldest and newest internal date, per
 * folder and account of a store, from the stores' metadata (Maildir {@code S=} sizes or file
 * sizes; no message is read); for Maildir stores also the quota that Dovecot's
 * {@code maildirsize} states. Problems with single folders, files and quota files are collected
 * as skips, never dropped.
 */
public final class StorageUsage {

  /** Totals of one folder. */
  public record FolderUsage(FolderPath folder, Counts counts) {

    public FolderUsage {
      Objects.requireNonNull(folder, "folder");
      Objects.requireNonNull(counts, "counts");
    }

    public long messages() {
      return counts.messages();
    }

    public long bytes() {
      return counts.bytes();
    }

    public long unseen() {
      return counts.unseen();
    }
  }

  /** Totals of one account, with its folders and, when it has one, its Maildir++ quota. */
  public record AccountUsage(AccountId account, List<FolderUsage> folders, Optional<Quota> quota) {

    public AccountUsage {
      Objects.requireNonNull(account, "account");
      folders = List.copyOf(folders);
      Objects.requireNonNull(quota, "quota");
    }

    /** The sum over the folders. */
    public Counts counts() {
      Counts c = Counts.NONE;
      for (FolderUsage f : folders) {
        c = c.plus(f.counts());
      }
      return c;
    }

    public long messages() {
      return counts().messages();
    }

    public long bytes() {
      return counts().bytes();
    }
  }

  /** What a report has one row per. */
  public enum By {
    DOMAIN, ACCOUNT, FOLDER
  }

  /** The whole report: accounts in store order, and what was skipped. */
  public record Report(List<AccountUsage> accounts, List<Skip> skipped) {

    public Report {
      accounts = List.copyOf(accounts);
      skipped = List.copyOf(skipped);
    }

    /** The sum over all accounts. */
    public Counts total() {
      Counts c = Counts.NONE;
      for (AccountUsage a : accounts) {
        c = c.plus(a.counts());
      }
      return c;
    }

    public long messages() {
      return total().messages();
    }

    public long bytes() {
      return total().bytes();
    }

    public long domains() {
      return accounts.stream().map(a -> a.account().domain()).distinct().count();
    }

    /**
     * One row per domain, account or folder (in store order; domains in the order their first
     * account comes), then one {@link UsageRow.Level#TOTAL} row.
     */
    public List<UsageRow> rows(By by) {
      List<UsageRow> out = new ArrayList<>();
      switch (by) {
        case DOMAIN -> {
          Map<String, List<AccountUsage>> byDomain = new LinkedHashMap<>();
          for (AccountUsage a : accounts) {
            byDomain.computeIfAbsent(a.account().domain(), d -> new ArrayList<>()).add(a);
          }
          byDomain.forEach((domain, list) -> {
            Counts c = Counts.NONE;
            for (AccountUsage a : list) {
              c = c.plus(a.counts());
            }
            out.add(new UsageRow(UsageRow.Level.DOMAIN, domain, Optional.empty(), Optional.empty(),
                list.size(), c, Optional.empty()));
          });
        }
        case ACCOUNT -> {
          for (AccountUsage a : accounts) {
            out.add(accountRow(a));
          }
        }
        case FOLDER -> {
          for (AccountUsage a : accounts) {
            for (FolderUsage f : a.folders()) {
              out.add(new UsageRow(UsageRow.Level.FOLDER, a.account().domain(), Optional.of(a.account()),
                  Optional.of(f.folder()), 0, f.counts(), Optional.empty()));
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown level " + by);
      }
      out.add(new UsageRow(UsageRow.Level.TOTAL, "", Optional.empty(), Optional.empty(), 0, total(),
          Optional.empty()));
      return out;
    }
  }

  /** The row of one account: its totals, folder count and quota. */
  public static UsageRow accountRow(AccountUsage a) {
    return new UsageRow(UsageRow.Level.ACCOUNT, a.account().domain(), Optional.of(a.account()),
        Optional.empty(), a.folders().size(), a.counts(), a.quota());
  }

  /** Observes progress, one call per account (for a progress bar). */
  @FunctionalInterface
  public interface Listener {
    void accountDone(AccountUsage usage, int index, int total);
  }

  private StorageUsage() {}

  /**
   * Measures the accounts of {@code store} that {@code scope} accepts. The quota comes from
   * {@code maildirsize} in the Maildir root for {@link MaildirStore}s and is empty for other
   * stores and for accounts without the file; a broken or unreadable one is a skip.
   */
  public static Report measure(MailStore store, Predicate<AccountId> scope, Listener listener)
      throws IOException {
    List<AccountId> accounts = store.accounts().stream().filter(scope).toList();
    List<AccountUsage> out = new ArrayList<>();
    List<Skip> skips = new ArrayList<>();
    int i = 0;
    for (AccountId a : accounts) {
      List<FolderUsage> folders = new ArrayList<>();
      skips.addAll(store.folderProblems(a));
      for (FolderPath f : store.folders(a)) {
        FolderScan scan = store.scan(a, f);
        folders.add(new FolderUsage(f, Counts.of(scan)));
        skips.addAll(scan.skipped());
      }
      Optional<Quota> quota = Optional.empty();
      if (store instanceof MaildirStore maildir) {
        try {
          quota = Quota.read(maildir.maildir(a));
        } catch (MailStoreException e) {
          skips.add(new Skip(maildir.maildir(a).resolve(Quota.FILE).toString(),
              "quota of " + a + " left out: " + e.getMessage()));
        }
      }
      AccountUsage u = new AccountUsage(a, folders, quota);
      out.add(u);
      listener.accountDone(u, ++i, accounts.size());
    }
    return new Report(out, skips);
  }
}
