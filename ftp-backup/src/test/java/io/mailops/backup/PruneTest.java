package io.mailops.backup;

import static io.mailops.backup.BackupTestStores.maildir;
import static io.mailops.backup.BackupTestStores.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.backup.local.LocalDirectoryTarget;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneTest {

  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  @TempDir Path tmp;
  Path root;
  LocalDirectoryTarget target;

  @BeforeEach
  void target() throws IOException {
    root = Files.createDirectories(tmp.resolve("backups"));
    target = new LocalDirectoryTarget(root);
  }

  /** Id of a set taken at {@code time} ("2026-11-21T04:00:00Z" or "2026-11-21" for 04:00). */
  static String id(String time, String kind, String label) {
    Instant t = time.length() == 10 ? Instant.parse(time + "T04:00:00Z") : Instant.parse(time);
    return new SetId(t, SetId.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), label)
        .toString();
  }

  /** A complete set: a minimal valid set manifest and one folder file. */
  String complete(String time, String kind, String label, String parent) throws IOException {
    String id = id(time, kind, label);
    Path dir = Files.createDirectories(root.resolve(id).resolve("example.com/alice/INBOX"));
    Files.writeString(dir.resolve(BackupSets.TAR), "tar bytes");
    SetManifest m = new SetManifest(SetManifest.FORMAT, id, kind, label,
        SetId.parse(id).time().toString(), parent, List.of(), List.of());
    Files.write(root.resolve(id).resolve(BackupSets.MANIFEST), ManifestCodec.write(m));
    return id;
  }

  /** A set directory without a set manifest, as an interrupted backup leaves it. */
  String incomplete(String time, String kind, String label) throws IOException {
    String id = id(time, kind, label);
    Path dir = Files.createDirectories(root.resolve(id).resolve("example.com/alice/INBOX"));
    Files.writeString(dir.resolve(BackupSets.TAR + ".part"), "half a tar");
    return id;
  }

  /** Full sets each day at 04:00 from {@code first} to {@code last}, scope label "all". */
  List<String> dailyFulls(String first, String last) throws IOException {
    List<String> ids = new ArrayList<>();
    for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last));
        d = d.plusDays(1)) {
      ids.add(complete(d.toString(), "full", "all", null));
    }
    return ids;
  }

  /** Full on the first day, then an incremental each day on the previous one. */
  List<String> chain(String first, String last, String label) throws IOException {
    List<String> ids = new ArrayList<>();
    String parent = null;
    for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last));
        d = d.plusDays(1)) {
      parent = complete(d.toString(), parent == null ? "full" : "incremental", label, parent);
      ids.add(parent);
    }
    return ids;
  }

  PruneResult prune(int daily, int weekly, int monthly, boolean dryRun) throws IOException {
    return new Prune(target, Clock.fixed(NOW, ZoneOffset.UTC))
        .run(new PrunePolicy(daily, weekly, monthly), dryRun);
  }

  @Test
  void dailyWeeklyAndMonthlyShouldKeepTheNewestSetOfEachOfTheLastPeriodsThatHaveASet()
      throws IOException {
    List<String> all = dailyFulls("2026-08-01", "2026-11-22");
    String lateOn21 = complete("2026-11-21T23:30:00Z", "full", "all", null);
    all.add(lateOn21);

    PruneResult r = prune(3, 2, 3, false);

    assertThat(r.kept()).containsExactly(id("2026-09-30", "full", "all"),
        id("2026-10-31", "full", "all"), id("2026-11-15", "full", "all"),
        id("2026-11-20", "full", "all"), lateOn21, id("2026-11-22", "full", "all"));
    assertThat(r.reasons()).containsEntry(id("2026-11-22", "full", "all"),
        "latest, daily 2026-11-22, weekly 2026-W47, monthly 2026-11");
    assertThat(r.reasons()).containsEntry(lateOn21, "daily 2026-11-21");
    assertThat(r.reasons()).containsEntry(id("2026-11-15", "full", "all"), "weekly 2026-W46");
    assertThat(r.reasons()).containsEntry(id("2026-10-31", "full", "all"), "monthly 2026-10");
    assertThat(r.reasons()).containsEntry(id("2026-09-30", "full", "all"), "monthly 2026-09");
    assertThat(r.removed()).hasSize(all.size() - 6)
        .contains(id("2026-11-21", "full", "all"), id("2026-08-01", "full", "all"));
    assertThat(r.reasons().get(id("2026-08-01", "full", "all"))).contains("not selected");
    assertThat(target.list("")).containsExactlyElementsOf(r.kept());
  }

  @Test
  void aKeptIncrementalShouldKeepItsWholeParentChainDownToItsFull() throws IOException {
    List<String> first = chain("2026-10-31", "2026-11-07", "all");
    List<String> second = chain("2026-11-08", "2026-11-14", "all");

    PruneResult r = prune(2, 3, 0, false);

    // daily: 11-14, 11-13; weekly: W46 11-14, W45 11-08 (full), W44 11-01 (incremental)
    assertThat(r.reasons()).containsEntry(first.get(1), "weekly 2026-W44")
        .containsEntry(first.get(0), "needed by " + first.get(1))
        .containsEntry(second.get(0), "weekly 2026-W45")
        .containsEntry(second.get(4), "needed by " + second.get(5))
        .containsEntry(second.get(1), "needed by " + second.get(5));
    List<String> kept = new ArrayList<>(first.subList(0, 2));
    kept.addAll(second);
    assertThat(r.kept()).containsExactlyElementsOf(kept);
    assertThat(r.removed()).containsExactlyElementsOf(first.subList(2, first.size()));
    assertThat(target.list("")).containsExactlyElementsOf(kept);
    for (String id : kept) {
      assertThat(new BackupSets(target).manifest(SetId.parse(id)).set()).isEqualTo(id);
    }
  }

  @Test
  void setsOfDifferentScopesShouldNeverAffectEachOther() throws IOException {
    List<String> all = chain("2026-11-01", "2026-11-10", "all");
    String domainOld = complete("2026-10-01", "full", "example.com", null);
    String domainNew = complete("2026-10-02", "full", "example.com", null);
    String folder = complete("2026-09-01", "full", "alice@example.com%2FINBOX", null);

    PruneResult r = prune(2, 0, 0, false);

    assertThat(r.kept()).containsExactlyInAnyOrder(folder, domainOld, domainNew,
        all.get(0), all.get(1), all.get(2), all.get(3), all.get(4), all.get(5), all.get(6),
        all.get(7), all.get(8), all.get(9));
    assertThat(r.reasons()).containsEntry(folder, "latest, daily 2026-09-01")
        .containsEntry(domainOld, "daily 2026-10-01");
    assertThat(r.removed()).isEmpty();

    PruneResult r2 = new Prune(target, Clock.fixed(NOW, ZoneOffset.UTC))
        .run(new PrunePolicy(0, 0, 1), false);
    assertThat(r2.kept()).containsExactlyInAnyOrder(folder, domainNew, all.get(0), all.get(1),
        all.get(2), all.get(3), all.get(4), all.get(5), all.get(6), all.get(7), all.get(8),
        all.get(9));
    assertThat(r2.removed()).containsExactly(domainOld);
  }

  @Test
  void dryRunShouldDeleteNothingAndReportWhatTheRealRunRemoves() throws IOException {
    chain("2026-10-31", "2026-11-07", "all");
    chain("2026-11-08", "2026-11-14", "all");
    incomplete("2026-11-01T05:00:00Z", "incremental", "all");
    List<String> before = target.list("");

    PruneResult dry = prune(2, 0, 0, true);

    assertThat(target.list("")).isEqualTo(before);
    assertThat(dry.removed()).hasSize(9);
    PruneResult real = prune(2, 0, 0, false);
    assertThat(real).isEqualTo(dry);
    assertThat(target.list("")).containsExactlyElementsOf(real.kept());
  }

  @Test
  void incompleteSetsShouldBeRemovedOnlyWhenOlderThanTheNewestCompleteSetAndThan24Hours()
      throws IOException {
    String c20 = complete("2026-11-20", "full", "all", null);
    String c22 = complete("2026-11-22", "incremental", "all", c20);
    String crashedOld = incomplete("2026-11-19", "incremental", "all");
    String crashed32h = incomplete("2026-11-21", "incremental", "all");
    String young = incomplete("2026-11-21T23:00:00Z", "incremental", "all");
    String afterNewest = incomplete("2026-11-22T06:00:00Z", "incremental", "all");
    String domainComplete = complete("2026-11-10", "full", "example.com", null);
    String domainLeftover = incomplete("2026-11-05", "full", "example.com");
    String domainResumable = incomplete("2026-11-15", "full", "example.com");
    String noComplete = incomplete("2026-11-01", "full", "bob@example.com");

    PruneResult r = prune(1, 0, 0, false);

    assertThat(r.removed()).containsExactlyInAnyOrder(crashedOld, crashed32h, domainLeftover);
    assertThat(r.kept()).containsExactlyInAnyOrder(c20, c22, young, afterNewest, domainComplete,
        domainResumable, noComplete);
    assertThat(r.reasons()).containsEntry(c20, "needed by " + c22);
    assertThat(r.reasons().get(young)).contains("younger than 24 h");
    assertThat(r.reasons().get(domainResumable)).contains("resumed");
    assertThat(r.reasons().get(crashedOld)).contains("interrupted backup").contains(c22);
    assertThat(target.list("")).containsExactlyElementsOf(r.kept());
  }

  @Test
  void eachRemovedSetShouldLoseItsManifestFirstAndDependantsBeforeTheirParents()
      throws IOException {
    List<String> old = chain("2026-11-01", "2026-11-03", "all");
    String leftover = incomplete("2026-11-02T05:00:00Z", "incremental", "all");
    complete("2026-11-10", "full", "all", null);
    List<String> deletes = new ArrayList<>();
    BackupTarget recording = new ForwardingBackupTarget(target) {
      @Override
      public void delete(String name) throws IOException {
        deletes.add(name);
        target.delete(name);
      }
    };

    new Prune(recording, Clock.fixed(NOW, ZoneOffset.UTC)).run(new PrunePolicy(1, 0, 0), false);

    assertThat(deletes).containsExactly(old.get(2) + "/manifest.json", old.get(2), leftover,
        old.get(1) + "/manifest.json", old.get(1), old.get(0) + "/manifest.json", old.get(0));
  }

  @Test
  void aPolicyThatKeepsNothingShouldBeRefused() {
    assertThatThrownBy(() -> new PrunePolicy(0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("give at least one --keep-* above 0");
    assertThatThrownBy(() -> new PrunePolicy(-1, 2, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
  }

  @Test
  void aDamagedManifestOfAKeptSetShouldStopThePruneBeforeAnythingIsRemoved() throws IOException {
    List<String> ids = chain("2026-11-01", "2026-11-05", "all");
    Files.writeString(root.resolve(ids.get(4)).resolve(BackupSets.MANIFEST), "{ not json");

    assertThatThrownBy(() -> prune(1, 0, 0, false)).isInstanceOf(BackupException.class)
        .hasMessageContaining("prune removed nothing").hasMessageContaining(ids.get(4));
    assertThat(target.list("")).containsExactlyElementsOf(ids);
  }

  @Test
  void realBackupsPrunedShouldLeaveTheLatestSetRestorableAndDeepVerified() throws IOException {
    MaildirStore store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(1, 2, 5, 42),
        SampleGenerator.Listener.NONE);
    Path work = Files.createDirectories(tmp.resolve("work"));
    AccountId account = store.accounts().get(0);
    Instant day0 = Instant.parse("2026-11-10T03:00:00Z");
    List<String> ids = new ArrayList<>();
    for (int day = 0; day < 8; day++) {
      if (day == 6) {
        store.append(account, FolderPath.INBOX, new ByteArrayInputStream(
            "Subject: day 6\r\n\r\nnew on day 6\r\n".getBytes(StandardCharsets.US_ASCII)),
            Flags.NONE, day0.plusSeconds(86400L * day));
      }
      Clock clock = Clock.fixed(day0.plusSeconds(86400L * day), ZoneOffset.UTC);
      SetId.Kind kind = day == 0 || day == 5 ? SetId.Kind.FULL : SetId.Kind.INCREMENTAL;
      ids.add(new Backup(store, target, clock, work)
          .run(Scope.ALL, kind, null, Backup.Listener.NONE).set().toString());
    }

    PruneResult r = new Prune(target, Clock.fixed(day0.plusSeconds(86400L * 8), ZoneOffset.UTC))
        .run(new PrunePolicy(2, 0, 0), false);

    assertThat(r.kept()).containsExactlyElementsOf(ids.subList(5, 8));
    assertThat(r.reasons()).containsEntry(ids.get(5), "needed by " + ids.get(6));
    assertThat(r.removed()).containsExactlyElementsOf(ids.subList(0, 5));
    assertThat(target.list("")).containsExactlyElementsOf(ids.subList(5, 8));
    assertThat(new Verify(target).run("latest", true).problems()).isEmpty();
    MaildirStore restored = maildir(Files.createDirectories(tmp.resolve("restored")));
    new Restore(target, restored, work).run("latest", Scope.ALL);
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
  }
}
