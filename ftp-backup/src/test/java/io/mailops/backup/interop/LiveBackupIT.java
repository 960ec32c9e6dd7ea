package io.mailops.backup.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.backup.Backup;
import io.mailops.backup.BackupResult;
import io.mailops.backup.BackupSets;
import io.mailops.backup.FolderEntry;
import io.mailops.backup.FolderManifest;
import io.mailops.backup.MessageEntry;
import io.mailops.backup.Restore;
import io.mailops.backup.RestoreResult;
import io.mailops.backup.Scope;
import io.mailops.backup.SetId;
import io.mailops.backup.SetManifest;
import io.mailops.backup.ftp.FtpTarget;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.interop.ImapTestClient;
import io.mailops.storage.interop.TestMessages;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full backup (to the real vsftpd over explicit FTPS) of a Dovecot user's Maildir while a
 * second thread changes it through Dovecot's IMAP at about 20 operations a second: flag and
 * keyword changes (Dovecot renames the file), deliveries (APPEND) and expunges. Every message
 * that existed from before the backup started until after it ended, and was never expunged,
 * must be in the set exactly once with the right bytes (checked by restoring the set into an
 * empty Dovecot user and fetching over IMAP); messages delivered or expunged during the run may
 * be missing, but nothing may be in the set twice, and the source mailbox must hold exactly what
 * the IMAP thread left in it.
 *
 * <p>Uses the dedicated users {@code live-src} and {@code live-dst} of the harness
 * ({@code BACKUP_USERS} in {@code dovecot.env}); both are wiped first.
 */
class LiveBackupIT {

  static final List<String> FOLDERS = List.of("INBOX", "Archiv", "Sent", "Projekte/Übersicht",
      "Listen/dev", "Listen/ops");
  static final List<String> TOGGLES = List.of("\\Seen", "\\Flagged", "\\Answered", "$Label1",
      "wichtig", "\\Seen $Label3");
  static final long OP_INTERVAL_MS = 50; // 20 ops/s

  @TempDir Path tmp;

  /** What the IMAP thread did, keyed by X-Test-Id. */
  static final class Ledger {
    final Map<String, byte[]> sent = new ConcurrentHashMap<>();
    final Map<String, String> folderOf = new ConcurrentHashMap<>();
    /** nanoTime when APPEND completed. */
    final Map<String, Long> appendedAt = new ConcurrentHashMap<>();
    /** nanoTime before the STORE \Deleted + UID EXPUNGE was sent. */
    final Map<String, Long> expungedAt = new ConcurrentHashMap<>();
    /** Only touched by the thread that appends/expunges (first setup, then the mutator). */
    final Map<String, Map<Long, String>> alive = new LinkedHashMap<>();
    final AtomicInteger ops = new AtomicInteger();
    final AtomicInteger flagOps = new AtomicInteger();
  }

  @Test
  @Timeout(600)
  void everyMessageThatLivedThroughTheBackupIsInTheSetOnceWithItsBytes() throws Exception {
    InteropServers s = InteropServers.load();
    AccountId src = s.user("live-src@example.net");
    AccountId dst = s.user("live-dst@example.net");
    s.wipe(src);
    s.wipe(dst);
    long logStart = s.logOffset();
    String run = "live-" + UUID.randomUUID();
    Random rnd = new Random(4711);
    Ledger ledger = new Ledger();
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      imap.select("INBOX");
    }
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      for (String f : FOLDERS) {
        ledger.alive.put(f, new TreeMap<>());
        if (!f.equals("INBOX")) {
          imap.create(f);
        }
      }
      for (int i = 0; i < 900; i++) {
        append(imap, ledger, FOLDERS.get(rnd.nextInt(FOLDERS.size())), run + "-" + i,
            i == 3 ? 1_100_000 : TestMessages.size(rnd), rnd);
      }
    }

    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger stop = new AtomicInteger();
    Thread mutator = new Thread(() -> {
      Random r = new Random(815);
      int n = 0;
      try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
        long next = System.nanoTime();
        while (stop.get() == 0) {
          mutate(imap, ledger, r, run + "-during-" + (n++));
          ledger.ops.incrementAndGet();
          next += OP_INTERVAL_MS * 1_000_000;
          long sleep = (next - System.nanoTime()) / 1_000_000;
          if (sleep > 0) {
            Thread.sleep(sleep);
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "imap-mutator");

    String ftpDir = "it-" + run;
    Path work = Files.createDirectories(tmp.resolve("work"));
    Scope scope = Scope.parse(src.toString());
    BackupResult full;
    long backupStart;
    long backupEnd;
    int opsBefore;
    int opsAfter;
    try (FtpTarget target = s.ftpTarget(ftpDir)) {
      mutator.start();
      try {
        awaitOps(ledger, 20, failure);
        opsBefore = ledger.ops.get();
        backupStart = System.nanoTime();
        full = new Backup(s.vmailStore(), target, Clock.systemUTC(), work)
            .run(scope, SetId.Kind.FULL, null, progress -> awaitMoreOps(ledger, failure));
        backupEnd = System.nanoTime();
        opsAfter = ledger.ops.get();
        awaitOps(ledger, opsAfter + 20, failure);
      } finally {
        stop.set(1);
        mutator.join(60_000);
      }
      assertThat(failure.get()).as("the IMAP thread failed").isNull();
      assertThat(mutator.isAlive()).as("the IMAP thread did not stop").isFalse();
      System.out.printf("LiveBackupIT: backup of %d messages took %d ms with %d IMAP operations"
              + " meanwhile (%d of %d in all were flag changes); skipped: %s%n", full.messages(),
          (backupEnd - backupStart) / 1_000_000, opsAfter - opsBefore, ledger.flagOps.get(),
          ledger.ops.get(), full.skipped());
      assertThat(opsAfter - opsBefore).as("IMAP operations while the backup ran (else this test"
          + " checks nothing live)").isGreaterThanOrEqualTo(10);

      // the messages that lived through the whole backup
      Set<String> mustSurvive = new TreeSet<>();
      for (Map.Entry<String, Long> e : ledger.appendedAt.entrySet()) {
        Long gone = ledger.expungedAt.get(e.getKey());
        if (e.getValue() < backupStart && gone == null) {
          mustSurvive.add(e.getKey());
        }
      }
      assertThat(mustSurvive).hasSizeGreaterThan(800);

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(full.skipped()).as("only messages expunged during the run may be skipped")
          .allMatch(x -> x.contains("vanished during the backup"));

      // 1. the set itself: each message at most once, every survivor in its folder
      BackupSets sets = new BackupSets(target);
      SetManifest manifest = sets.manifest(full.set());
      Map<String, List<String>> inSet = new HashMap<>(); // test id -> folders
      int entries = 0;
      for (FolderEntry fe : manifest.folders()) {
        FolderManifest fm = sets.folder(full.set().toString(), fe);
        for (Map.Entry<String, MessageEntry> m : fm.messages().entrySet()) {
          entries++;
          String mid = m.getValue().messageId();
          String id = mid == null ? null : mid.replaceAll("^<|@mailops\\.test>$", "");
          softly.assertThat(ledger.sent).as("message %s (%s) of %s in the set", m.getKey(), mid, fm.folder())
              .containsKey(id);
          inSet.computeIfAbsent(id, k -> new ArrayList<>()).add(fm.folder());
        }
      }
      softly.assertThat(entries).isEqualTo(full.messages());
      Map<String, List<String>> twice = new TreeMap<>();
      inSet.forEach((id, fs) -> {
        if (fs.size() > 1) {
          twice.put(id, fs);
        }
      });
      softly.assertThat(twice).as("messages in the set more than once (id -> folders)").isEmpty();
      Map<String, String> missing = new TreeMap<>();
      for (String id : mustSurvive) {
        List<String> fs = inSet.get(id);
        if (fs == null || !fs.contains(ledger.folderOf.get(id))) {
          missing.put(id, ledger.folderOf.get(id) + " (in set: " + fs + ")");
        }
      }
      softly.assertThat(missing).as("messages that existed for the whole backup but are not in the set"
          + " under their folder").isEmpty();

      // 2. their bytes: restore into the empty user and fetch over IMAP
      RestoreResult restored = new Restore(target, s.storeAs(dst, src), work).run(full.set().toString(), scope);
      softly.assertThat(restored.restored()).as("messages restored").isEqualTo(full.messages());
      Map<String, Integer> seen = new TreeMap<>();
      Map<String, String> wrong = new TreeMap<>();
      try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
        for (String f : imap.folders()) {
          for (ImapTestClient.Fetched x : imap.fetchAll(f)) {
            String id = x.testId();
            seen.merge(id, 1, Integer::sum);
            byte[] sent = ledger.sent.get(id);
            if (sent == null || !ImapTestClient.sha(sent).equals(x.sha256())) {
              wrong.put(id + " in " + f, sent == null ? "never sent" : "other bytes than sent");
            } else if (!f.equals(ledger.folderOf.get(id))) {
              wrong.put(id + " in " + f, "sent to " + ledger.folderOf.get(id));
            }
          }
        }
      }
      softly.assertThat(wrong).as("restored messages with other bytes or in another folder").isEmpty();
      softly.assertThat(seen).as("restored test ids").allSatisfy((id, count) -> assertThat(count)
          .as("copies of %s", id).isEqualTo(1));
      softly.assertThat(seen.keySet()).as("restored test ids").containsAll(mustSurvive);

      // 3. the source holds exactly what the IMAP thread left in it
      Map<String, Set<String>> expected = new TreeMap<>();
      ledger.alive.forEach((f, m) -> expected.put(f, new TreeSet<>(m.values())));
      Map<String, Set<String>> actual = new TreeMap<>();
      Map<String, Integer> sourceCopies = new TreeMap<>();
      try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
        for (String f : imap.folders()) {
          Set<String> ids = new TreeSet<>();
          for (ImapTestClient.Fetched x : imap.fetchAll(f)) {
            ids.add(x.testId());
            sourceCopies.merge(x.testId(), 1, Integer::sum);
          }
          actual.put(f, ids);
        }
      }
      softly.assertThat(actual).as("messages of the source after the run, per folder").isEqualTo(expected);
      softly.assertThat(sourceCopies.values()).as("copies per message in the source").allMatch(c -> c == 1);
      softly.assertThat(s.problemsSince(logStart)).as("errors and warnings in the Dovecot log %s", s.log())
          .isEmpty();
      softly.assertAll();
    }
  }

  static void append(ImapTestClient imap, Ledger ledger, String folder, String id, int size, Random rnd)
      throws Exception {
    java.time.Instant date = TestMessages.date(rnd);
    byte[] msg = TestMessages.message(id, "Live " + id, size, date, rnd);
    ledger.sent.put(id, msg);
    ledger.folderOf.put(id, folder);
    long uid = imap.append(folder, msg, TestMessages.flags(rnd).replace("\\Deleted", "").replaceAll(" +", " ").trim(), date,
        TestMessages.ZONES.get(rnd.nextInt(TestMessages.ZONES.size())));
    ledger.appendedAt.put(id, System.nanoTime());
    ledger.alive.get(folder).put(uid, id);
  }

  /** One operation: 45 % a flag change, 30 % a delivery, 25 % an expunge. */
  static void mutate(ImapTestClient imap, Ledger ledger, Random r, String newId) throws Exception {
    String folder = FOLDERS.get(r.nextInt(FOLDERS.size()));
    Map<Long, String> alive = ledger.alive.get(folder);
    double p = r.nextDouble();
    if (p >= 0.45 && p < 0.75 || alive.isEmpty()) {
      append(imap, ledger, folder, newId, 300 + r.nextInt(20_000), r);
      return;
    }
    List<Long> uids = new ArrayList<>(alive.keySet());
    long uid = uids.get(r.nextInt(uids.size()));
    imap.select(folder);
    if (p < 0.45) {
      String flag = TOGGLES.get(r.nextInt(TOGGLES.size()));
      imap.command("UID STORE " + uid + (r.nextBoolean() ? " +" : " -") + "FLAGS.SILENT (" + flag + ")");
      ledger.flagOps.incrementAndGet();
    } else {
      String id = alive.remove(uid);
      ledger.expungedAt.put(id, System.nanoTime());
      imap.command("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)");
      imap.command("UID EXPUNGE " + uid);
    }
  }

  /**
   * Called as each folder of the backup is done: lets the IMAP thread finish two more operations
   * before the backup goes on, so the run overlaps at least two per folder however fast it is
   * (a 0.5 s backup at 20 ops/s was a coin toss around the ten this test asks for).
   */
  static void awaitMoreOps(Ledger ledger, AtomicReference<Throwable> failure)
      throws IOException {
    try {
      awaitOps(ledger, ledger.ops.get() + 2, failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the IMAP thread worked");
    }
  }

  static void awaitOps(Ledger ledger, int ops, AtomicReference<Throwable> failure)
      throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (ledger.ops.get() < ops && failure.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(failure.get()).as("the IMAP thread failed").isNull();
    assertThat(ledger.ops.get()).as("IMAP operations done within 60 s").isGreaterThanOrEqualTo(ops);
  }
}
