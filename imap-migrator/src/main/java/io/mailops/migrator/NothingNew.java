package io.mailops.migrator;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, from one look at both sides of an account ({@link Side}: the folder list and every
 * folder's {@code STATUS}) and the folders the last verification found complete
 * ({@link MigrationState#verified}), whether a {@link Migrator} run followed by a
 * {@link MigrationVerify} run would copy nothing and compare nothing — and if so, gives the two
 * reports they would give. It applies the same rule as they do (ADR 0008, "unchanged folders"):
 * a source folder is done when its kept {@link VerifiedFolder} names the same target folder and
 * rules and both statuses (with HIGHESTMODSEQ) are unchanged.
 *
 * <p>The answer is empty — run normally — at the least doubt: a dry run, {@code --preserve-uids}
 * (refused for IMAP targets by the migrator), {@code --subscribed-only} (the look does not ask
 * for the subscriptions), nothing verified before, a source folder that maps
 * to a target folder the target does not list, a folder without a kept verification (new, or
 * not complete last time) or whose status on either side changed (a message added or removed,
 * a flag changed, a new UIDVALIDITY), a folder the status was not given for, or a kept folder
 * the source no longer lists (renamed or deleted). Stateless and thread-safe (ADR 0026).
 */
public final class NothingNew {

  private NothingNew() {}

  /**
   * One side of an account as one look saw it.
   *
   * @param folders the folders, as the store lists them for the migration
   * @param status the {@code STATUS} of each folder that answered one
   * @param specialUse the special-use attribute of each folder the listing gave one
   */
  public record Side(List<FolderPath> folders, Map<FolderPath, FolderStatus> status,
      Map<FolderPath, String> specialUse) {

    public Side {
      folders = List.copyOf(folders);
      status = Map.copyOf(status);
      specialUse = Map.copyOf(specialUse);
    }

    /** A side that gave no special-use attributes. */
    public Side(List<FolderPath> folders, Map<FolderPath, FolderStatus> status) {
      this(folders, status, Map.of());
    }
  }

  /** What the migration and its verification would report for an account with nothing new. */
  public record Reports(AccountReport migration, VerifyReport verify) {

    public Reports {
      Objects.requireNonNull(migration, "migration");
      Objects.requireNonNull(verify, "verify");
    }
  }

  /**
   * The reports of a run with nothing to do for the account {@code sourceAccount} →
   * {@code targetAccount}, or empty when the account must be migrated and verified normally.
   *
   * @param namer the folder rules of the run
   * @param options the run's options
   * @param verified the folders the last verification found complete
   * @param source the source's folders and statuses now
   * @param target the target's folders and statuses now
   */
  public static Optional<Reports> of(AccountId sourceAccount, AccountId targetAccount,
      FolderNamer namer, Migrator.Options options, Map<FolderPath, VerifiedFolder> verified,
      Side source, Side target) {
    if (options.dryRun() || options.preserveUids() || options.subscribedOnly()
        || verified.isEmpty()) {
      return Optional.empty();
    }
    String rules = VerifiedFolder.rules(options);
    List<FolderPath> targetFolders = List.copyOf(target.folders());
    SpecialUses uses = new SpecialUses(source.specialUse(), target.specialUse());
    List<FolderReport> folders = new ArrayList<>();
    List<VerifyReport.Folder> verify = new ArrayList<>();
    List<FolderPath> excluded = new ArrayList<>();
    Set<FolderPath> seen = new HashSet<>();
    for (FolderPath from : new TreeSet<>(source.folders())) {
      SourceFolder folder = new SourceFolder(from, true);
      FolderPath to = namer.targetFolder(folder, targetFolders, uses).orElse(null);
      if (to == null) {
        excluded.add(from);
        continue;
      }
      VerifiedFolder v = verified.get(from);
      FolderStatus st = source.status().get(from);
      FolderStatus tt = target.status().get(to);
      if (!targetFolders.contains(to) || v == null || st == null || tt == null
          || !v.unchanged(to, rules, st, tt)) {
        return Optional.empty();
      }
      seen.add(from);
      int n = (int) st.messages();
      folders.add(new FolderReport(from, to, n, (int) tt.messages(), 0, 0, n, 0, 0, List.of(), 0));
      verify.add(VerifyReport.Folder.unchanged(from, to, n, (int) tt.messages()));
    }
    if (!seen.equals(verified.keySet())) {
      return Optional.empty(); // a verified folder is gone from the source: let the run see it
    }
    return Optional.of(new Reports(new AccountReport(sourceAccount, targetAccount, false, folders,
        excluded, List.of()), new VerifyReport(verify)));
  }
}
