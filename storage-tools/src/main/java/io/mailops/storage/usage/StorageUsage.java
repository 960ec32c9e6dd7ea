package io.mailops.storage.usage;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.Skip;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Counts messages and bytes per folder and account of a store, from the stores' metadata
 * (Maildir {@code S=} sizes or file sizes; no message is read). Problems with single folders
 * and files are collected as skips, never dropped.
 */
public final class StorageUsage {

  /** Totals of one folder. */
  public record FolderUsage(FolderPath folder, long messages, long bytes, long unseen) {}

  /** Totals of one account, with its folders. */
  public record AccountUsage(AccountId account, List<FolderUsage> folders) {

    public long messages() {
      return folders.stream().mapToLong(FolderUsage::messages).sum();
    }

    public long bytes() {
      return folders.stream().mapToLong(FolderUsage::bytes).sum();
    }
  }

  /** The whole report: accounts in store order, and what was skipped. */
  public record Report(List<AccountUsage> accounts, List<Skip> skipped) {

    public long messages() {
      return accounts.stream().mapToLong(AccountUsage::messages).sum();
    }

    public long bytes() {
      return accounts.stream().mapToLong(AccountUsage::bytes).sum();
    }

    public long domains() {
      return accounts.stream().map(a -> a.account().domain()).distinct().count();
    }
  }

  /** Observes progress, one call per account (for a progress bar). */
  @FunctionalInterface
  public interface Listener {
    void accountDone(AccountUsage usage, int index, int total);
  }

  private StorageUsage() {}

  /** Measures the accounts of {@code store} that {@code scope} accepts. */
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
        long unseen = scan.messages().stream()
            .filter(m -> !m.flags().has(io.mailops.storage.model.Flag.SEEN)).count();
        folders.add(new FolderUsage(f, scan.messages().size(), scan.totalSize(), unseen));
        skips.addAll(scan.skipped());
      }
      AccountUsage u = new AccountUsage(a, List.copyOf(folders));
      out.add(u);
      listener.accountDone(u, ++i, accounts.size());
    }
    return new Report(List.copyOf(out), List.copyOf(skips));
  }
}
