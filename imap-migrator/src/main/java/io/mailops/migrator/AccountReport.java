package io.mailops.migrator;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a migration did with one account: a report per migrated folder (source order, INBOX
 * first), the source folders left out by the {@link FolderNamer}, and the source folders the
 * store could not list as folders ({@code folderProblems}, one line each: not migrated).
 */
public record AccountReport(AccountId sourceAccount, AccountId targetAccount, boolean dryRun,
    List<FolderReport> folders, List<FolderPath> excluded, List<String> folderProblems) {

  public AccountReport {
    folders = List.copyOf(folders);
    excluded = List.copyOf(excluded);
    folderProblems = List.copyOf(folderProblems);
  }

  /** Messages copied in all folders. */
  public int copied() {
    return folders.stream().mapToInt(FolderReport::copied).sum();
  }

  /** Copies whose flags were set to the source's ({@code --sync-flags}), in all folders. */
  public int flagsUpdated() {
    return folders.stream().mapToInt(FolderReport::flagsUpdated).sum();
  }

  /** Messages found on the target already, in all folders. */
  public int duplicates() {
    return folders.stream().mapToInt(FolderReport::duplicates).sum();
  }

  /** Messages an earlier run copied, in all folders. */
  public int alreadyDone() {
    return folders.stream().mapToInt(FolderReport::alreadyDone).sum();
  }

  /** Messages expunged on the source during the run, in all folders. */
  public int vanished() {
    return folders.stream().mapToInt(FolderReport::vanished).sum();
  }

  /** Messages that failed, in all folders. */
  public int failed() {
    return folders.stream().mapToInt(FolderReport::failed).sum();
  }

  /** Bytes copied in all folders. */
  public long bytes() {
    return folders.stream().mapToLong(FolderReport::bytes).sum();
  }

  /** Every folder problem, then every failure line of every folder. */
  public List<String> failures() {
    return Stream.concat(folderProblems.stream(),
        folders.stream().flatMap(f -> f.failures().stream())).toList();
  }

  /**
   * True when anything failed (a message, a folder that could not be listed, a target message
   * that could not be read for dedupe): the account is not completely migrated (exit code 3).
   */
  public boolean partial() {
    return !folderProblems.isEmpty()
        || folders.stream().anyMatch(f -> f.failed() > 0 || !f.failures().isEmpty());
  }
}
