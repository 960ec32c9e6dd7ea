package io.mailops.backup;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Removes the backup sets a {@link PrunePolicy} does not keep ({@code backup prune}).
 *
 * <p>Per scope label (sets of different scopes never affect each other) the complete sets are
 * selected restic-{@code forget}-style: the newest set of each of the last N days, ISO weeks and
 * months (UTC) that have a set, plus always the newest set. Every set a kept set depends on (its
 * {@code parent}, transitively) is kept too. Set directories without {@code manifest.json}
 * (interrupted runs) are removed when they are older than the newest complete set of their scope
 * and older than 24 hours; younger ones may still be written by a running backup, newer ones can
 * still be resumed.
 *
 * <p>Everything is decided before anything is deleted; sets are then deleted newest first, each
 * by deleting its {@code manifest.json} first, so an interrupted prune leaves incomplete sets
 * (removed by the next prune) and never a complete set whose parent is gone. Used by one thread
 * at a time; do not run it concurrently with a backup older than 24 hours on the same target.
 */
public final class Prune {

  /** Incomplete set directories younger than this may belong to a running backup. */
  public static final Duration INCOMPLETE_GRACE = Duration.ofHours(24);

  private final BackupTarget target;
  private final Clock clock;

  /** A prune of {@code target} using the system clock (UTC). */
  public Prune(BackupTarget target) {
    this(target, Clock.systemUTC());
  }

  /** A prune of {@code target} that takes "now" from {@code clock} (for the 24-hour rule). */
  public Prune(BackupTarget target, Clock clock) {
    this.target = Objects.requireNonNull(target, "target");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Selects the sets to keep and removes the others, or with {@code dryRun} only reports what
   * would be removed.
   *
   * @throws BackupException if the manifest of a set to keep cannot be read (nothing is removed
   *     then) or the target refuses a delete (the sets deleted so far stay deleted; run it again)
   */
  public PruneResult run(PrunePolicy policy, boolean dryRun) throws IOException {
    Objects.requireNonNull(policy, "policy");
    BackupSets sets = new BackupSets(target);
    List<SetId> complete = sets.list();
    Set<SetId> isComplete = new HashSet<>(complete);
    Map<String, List<SetId>> byScope = new TreeMap<>();
    for (SetId id : complete) {
      byScope.computeIfAbsent(id.scopeLabel(), k -> new ArrayList<>()).add(id);
    }

    Map<SetId, List<String>> keep = new TreeMap<>();
    for (List<SetId> scopeSets : byScope.values()) {
      select(scopeSets, policy, keep);
    }
    keepDependencies(sets, isComplete, keep);

    Map<String, String> reasons = new HashMap<>();
    List<SetId> removeComplete = new ArrayList<>();
    for (SetId id : complete) {
      if (keep.containsKey(id)) {
        reasons.put(id.toString(), String.join(", ", keep.get(id)));
      } else {
        removeComplete.add(id);
        reasons.put(id.toString(), "not selected by " + policy);
      }
    }
    List<SetId> removeIncomplete = new ArrayList<>();
    List<String> keptIncomplete = new ArrayList<>();
    incomplete(isComplete, byScope, reasons, removeIncomplete, keptIncomplete);

    if (!dryRun) {
      List<SetId> all = new ArrayList<>(removeComplete);
      all.addAll(removeIncomplete);
      all.sort(Comparator.comparing(SetId::time).thenComparing(Comparator.naturalOrder())
          .reversed());
      for (SetId id : all) {
        if (isComplete.contains(id)) {
          target.delete(id + "/" + BackupSets.MANIFEST);
        }
        target.delete(id.toString());
      }
    }

    List<String> kept = new ArrayList<>(keptIncomplete);
    keep.keySet().forEach(id -> kept.add(id.toString()));
    List<String> removed = new ArrayList<>();
    removeComplete.forEach(id -> removed.add(id.toString()));
    removeIncomplete.forEach(id -> removed.add(id.toString()));
    kept.sort(null);
    removed.sort(null);
    return new PruneResult(kept, removed, reasons);
  }

  /** Marks the sets of one scope that the policy keeps, with restic's bucket rule. */
  private static void select(List<SetId> scopeSets, PrunePolicy policy,
      Map<SetId, List<String>> keep) {
    List<SetId> newestFirst = new ArrayList<>(scopeSets);
    newestFirst.sort(Comparator.comparing(SetId::time).thenComparing(Comparator.naturalOrder())
        .reversed());
    keep.computeIfAbsent(newestFirst.get(0), k -> new ArrayList<>()).add("latest");
    List<Bucket> buckets = List.of(
        new Bucket("daily", policy.keepDaily(), t -> day(t).toString()),
        new Bucket("weekly", policy.keepWeekly(), t -> {
          LocalDate d = day(t);
          return String.format("%04d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR),
              d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        }),
        new Bucket("monthly", policy.keepMonthly(), t -> YearMonth.from(day(t)).toString()));
    for (SetId id : newestFirst) {
      for (Bucket b : buckets) {
        if (b.left == 0) {
          continue;
        }
        String period = b.period.apply(id.time());
        if (!period.equals(b.last)) {
          b.last = period;
          b.left--;
          keep.computeIfAbsent(id, k -> new ArrayList<>()).add(b.name + " " + period);
        }
      }
    }
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }

  /** One period of the policy: how many are left to keep and the period of the last kept set. */
  private static final class Bucket {
    final String name;
    final Function<Instant, String> period;
    int left;
    String last;

    Bucket(String name, int count, Function<Instant, String> period) {
      this.name = name;
      this.left = count;
      this.period = period;
    }
  }

  /**
   * Adds the parent chain of every kept set. Sets are walked oldest first, and a walk stops at
   * a set already kept: a kept set's own chain is walked in its turn, a needed set's chain was
   * walked when it was marked.
   */
  private static void keepDependencies(BackupSets sets, Set<SetId> isComplete,
      Map<SetId, List<String>> keep) throws IOException {
    for (SetId kept : new ArrayList<>(keep.keySet())) {
      SetId cur = kept;
      while (true) {
        String parent = manifest(sets, cur).parent();
        if (parent == null) {
          break;
        }
        SetId p;
        try {
          p = SetId.parse(parent);
        } catch (IllegalArgumentException e) {
          throw new BackupException("prune removed nothing: set " + cur + " names the parent '"
              + parent + "', which is no set id; run 'backup verify' on " + cur);
        }
        if (!isComplete.contains(p) || keep.containsKey(p)) {
          break; // a missing parent cannot be protected; a kept one is walked on its own
        }
        keep.put(p, new ArrayList<>(List.of("needed by " + kept)));
        cur = p;
      }
    }
  }

  private static SetManifest manifest(BackupSets sets, SetId id) throws IOException {
    try {
      return sets.manifest(id);
    } catch (BackupException e) {
      throw new BackupException("prune removed nothing: " + e.getMessage(), e);
    }
  }

  /** Sorts the set directories without a manifest into kept and removed, with reasons. */
  private void incomplete(Set<SetId> isComplete, Map<String, List<SetId>> byScope,
      Map<String, String> reasons, List<SetId> remove, List<String> kept) throws IOException {
    Instant cutoff = clock.instant().minus(INCOMPLETE_GRACE);
    for (String name : target.list("")) {
      if (!SetId.isSetId(name)) {
        continue;
      }
      SetId id = SetId.parse(name);
      if (isComplete.contains(id)) {
        continue;
      }
      List<SetId> scopeSets = byScope.get(id.scopeLabel());
      SetId newest = scopeSets == null ? null : scopeSets.get(scopeSets.size() - 1);
      if (!id.time().isBefore(cutoff)) {
        kept.add(name);
        reasons.put(name, "incomplete (no " + BackupSets.MANIFEST + "), younger than 24 h: a"
            + " backup may still be writing it");
      } else if (newest == null || !id.time().isBefore(newest.time())) {
        kept.add(name);
        reasons.put(name, "incomplete (no " + BackupSets.MANIFEST + "), no complete set of its"
            + " scope is newer: the interrupted backup can be resumed");
      } else {
        remove.add(id);
        reasons.put(name, "incomplete (no " + BackupSets.MANIFEST + "), older than 24 h and"
            + " than " + newest + ": left over from an interrupted backup");
      }
    }
  }
}
