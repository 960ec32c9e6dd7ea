package io.mailops.jobs.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.jobs.batch.migrate.MigrateNoopRun;
import io.mailops.jobs.batch.migrate.MigrateRequest;
import io.mailops.jobs.batch.migrate.NoopJournal;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.Fingerprint;
import io.mailops.storage.interop.DovecotServer;
import io.mailops.storage.interop.InteropEnv;
import io.mailops.storage.interop.ImapTestClient;
import io.mailops.storage.interop.TestMessages;
import io.mailops.storage.model.AccountId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-op fast path of {@code mailops migrate run} (ADR 0026) against the harness Dovecot,
 * which offers CONDSTORE: a second run with nothing new is answered without the batch job, prints
 * what the job prints and is recorded as a completed execution ({@code migrate status},
 * {@code jobs history}); a message added or a flag changed on the source makes it step aside.
 * Uses {@code mig-src2@example.net} → {@code mig-csv-dst2@example.net} of {@code MIGRATE_USERS},
 * wiped first (MigrateDovecotIT fills them again in its own set-up).
 */
class MigrateNoopDovecotIT {

  @TempDir Path home;

  @Test
  @Timeout(300)
  void secondRunWithNothingNewIsAnsweredWithoutTheJobAndStepsAsideForAnyChange() throws Exception {
    DovecotServer s = DovecotServer.load("MIGRATE_USERS");
    AccountId src = s.user("mig-src2@example.net");
    AccountId dst = s.user("mig-csv-dst2@example.net");
    Random rnd = new Random(26L);
    seed(s, src, dst, rnd);
    Map<String, String> env = new HashMap<>(Map.of("MAILOPS_HOME", home.toString()));
    FirstRun run = firstRun(s, src, dst, env);
    String[] args = run.args();
    MigrateRequest request = run.request();

    // the job itself, fast path off: what a run with nothing new prints
    Map<String, String> off = new HashMap<>(env);
    off.put("MAILOPS_MIGRATE_FASTNOOP", "false");
    CliResult job = CliResult.run(off, args);
    assertThat(job.code()).as(job.out() + job.err()).isZero();
    assertThat(job.out()).contains("execution 2)");

    MigrateNoopRun noop = new MigrateNoopRun(MailOpsSettings.load(env, null), request,
        request.accounts(env), 1);
    assertThat(noop.lastRunCompleted()).isTrue();
    Path repository = home.resolve("jobs/repository.mv.db");
    FileTime before = Files.getLastModifiedTime(repository);
    CliResult fast = CliResult.run(env, args);
    assertThat(fast.code()).as(fast.out() + fast.err()).isZero();
    assertThat(seconds(fast.out())).isEqualTo(seconds(job.out()).replace("execution 2)",
        "nothing new; recorded in the job repository at its next use)"));
    // the embedded repository was not opened (ADR 0054): the run is in the journal
    assertThat(Files.getLastModifiedTime(repository)).isEqualTo(before);
    assertThat(home.resolve("jobs/repository.lock.db")).doesNotExist();
    assertThat(home.resolve("migrate/noop-runs.journal")).isNotEmptyFile();
    assertThat(fast.out()).contains(src + " -> " + dst + ": 2 folders, 0 copied, 30 skipped (0"
        + " duplicates, 30 already done, 0 vanished), 0 failed");
    assertThat(fast.err()).isEmpty();
    // recorded as a completed job execution with its account, as the job records it, by the
    // next command that opens the repository
    CliResult status = CliResult.run(env, "migrate", "status");
    assertThat(home.resolve("migrate/noop-runs.journal")).isEmptyFile();
    assertThat(status.out()).contains("Migration execution 3: COMPLETED")
        .containsPattern(src + "\\s+" + dst + "\\s+COMPLETED\\s+2\\s+0\\s+30\\s+0\\s+ok");
    CliResult history = CliResult.run(env, "jobs", "history", "migrate");
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(history.out()).containsPattern("(?m)^\\s*3\\s.*COMPLETED");
    CliResult report = CliResult.run(env, "migrate", "report", "--format", "csv");
    assertThat(report.out()).contains(src + "," + dst + ",INBOX,INBOX,20,20,0,0,20,0,0,");

    // a message added on the source: no fast path, the job copies it
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      Instant date = TestMessages.date(rnd);
      imap.append("Archiv", TestMessages.message("noop-late", "late", 2000, date, rnd), "",
          date, ZoneOffset.UTC);
    }
    assertThat(noop.run()).isEmpty();
    CliResult added = CliResult.run(env, args);
    assertThat(added.code()).as(added.out() + added.err()).isZero();
    assertThat(added.out()).contains("1 copied, 30 skipped", ", verified");

    // nothing new again: the fast path answers (and records) it
    assertThat(noop.run()).isPresent();

    // a flag changed on the source (HIGHESTMODSEQ moved): no fast path; the job compares again
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      imap.select("INBOX");
      imap.command("STORE 1 +FLAGS.SILENT (\\Flagged)");
    }
    assertThat(noop.run()).isEmpty();
    CliResult flagged = CliResult.run(env, args);
    assertThat(flagged.code()).as(flagged.out()).isEqualTo(3);
    assertThat(flagged.out()).contains("VERIFY FOUND DIFFERENCES", "flags differ");
  }

  /**
   * The repository in the harness PostgreSQL: the fast path reads the last run and records its
   * own execution there (NoopRunRecord's PostgreSQL statements: sequences, table prefix), and
   * Spring Batch reads that execution back in {@code migrate status} and {@code jobs history}.
   */
  @Test
  @Timeout(300)
  void theNoOpRunIsRecordedInPostgresql() throws Exception {
    Properties pg = new Properties();
    pg.putAll(InteropEnv.read("postgresql", "PG_URL", "PG_USER", "PG_PASSWORD"));
    DovecotServer s = DovecotServer.load("MIGRATE_USERS");
    AccountId src = s.user("mig-src2@example.net");
    AccountId dst = s.user("mig-csv-dst2@example.net");
    seed(s, src, dst, new Random(27L));
    Map<String, String> env = new HashMap<>(Map.of("MAILOPS_HOME", home.toString(),
        "SPRING_DATASOURCE_URL", pg.getProperty("PG_URL"),
        "SPRING_DATASOURCE_USERNAME", pg.getProperty("PG_USER"),
        "SPRING_DATASOURCE_PASSWORD", pg.getProperty("PG_PASSWORD")));
    FirstRun run = firstRun(s, src, dst, env);
    String[] args = run.args();
    MigrateRequest request = run.request();
    assertThat(home.resolve("jobs/repository.mv.db")).doesNotExist();

    MigrateNoopRun noop = new MigrateNoopRun(MailOpsSettings.load(env, null), request,
        request.accounts(env), 1);
    assertThat(noop.lastRunCompleted()).isTrue();
    long id = noop.run().orElseThrow().executionId();
    CliResult status = CliResult.run(env, "migrate", "status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("Migration execution " + id + ": COMPLETED")
        .containsPattern(src + "\\s+" + dst + "\\s+COMPLETED\\s+2\\s+0\\s+30\\s+0\\s+ok");
    CliResult history = CliResult.run(env, "jobs", "history", "migrate");
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(history.out()).containsPattern("(?m)^\\s*" + id + "\\s.*COMPLETED");
    // the recorded run is the newest completed one: the next run with nothing new is fast again
    CliResult again = CliResult.run(env, args);
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("0 copied, 30 skipped", "execution " + (id + 1) + ")");
  }

  /**
   * An accounts file: the second run's looks start while the command line is parsed
   * (LookWarmup, docs/adr/0039) and are the ones the fast path uses: Dovecot sees one login per
   * side, each logged out, and the run is answered and recorded as without them.
   */
  @Test
  @Timeout(300)
  void withAnAccountsFileTheLooksStartedAheadAreTheOnesUsed() throws Exception {
    DovecotServer s = DovecotServer.load("MIGRATE_USERS");
    AccountId src = s.user("mig-src2@example.net");
    AccountId dst = s.user("mig-csv-dst2@example.net");
    seed(s, src, dst, new Random(28L));
    Map<String, String> env = new HashMap<>(Map.of("MAILOPS_HOME", home.toString()));
    Path pw = Files.writeString(home.resolve("pw"), s.password() + "\n");
    Path csv = Files.writeString(home.resolve("accounts.csv"), "source_host,source_port,"
        + "source_security,source_user,source_password_file,target_host,target_port,"
        + "target_security,target_user,target_password_file\n" + s.imapHost() + ","
        + s.imapPort() + ",none," + src + "," + pw + "," + s.imapHost() + "," + s.imapPort()
        + ",none," + dst + "," + pw + "\n");
    String[] args = {"migrate", "run", "--accounts", csv.toString(), "--parallel", "2"};
    CliResult first = CliResult.run(env, args);
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("2 folders, 30 copied", ", verified");

    long offset = s.logOffset();
    CliResult fast = CliResult.run(env, args);
    assertThat(fast.code()).as(fast.out() + fast.err()).isZero();
    assertThat(fast.out()).contains(src + " -> " + dst + ": 2 folders, 0 copied, 30 skipped (0"
        + " duplicates, 30 already done, 0 vanished), 0 failed",
        "Migration done: 1 account(s), 0 failed (nothing new; recorded in the job repository"
            + " at its next use)");
    byte[] log = Files.readAllBytes(s.log());
    List<String> added = new String(log, (int) offset, log.length - (int) offset,
        StandardCharsets.UTF_8).lines().toList();
    assertThat(added).filteredOn(l -> l.contains("Login: user=<")).hasSize(2)
        .anyMatch(l -> l.contains("user=<" + src + ">"))
        .anyMatch(l -> l.contains("user=<" + dst + ">"));
    assertThat(added).filteredOn(l -> l.contains("Disconnected")).hasSize(2)
        .allMatch(l -> l.contains("Logged out"));
    CliResult history = CliResult.run(env, "jobs", "history", "migrate");
    assertThat(history.out()).containsPattern("(?m)^\\s*2\\s.*COMPLETED");

    // a full journal: the run opens the repository, writes the journal's runs into it (each
    // once) and records itself with its execution id (ADR 0054)
    assertThat(CliResult.run(env, args).out()).contains("(nothing new; recorded in the job"
        + " repository at its next use)");
    Path journal = home.resolve("migrate/noop-runs.journal");
    byte[] entry = Files.readAllBytes(journal);
    assertThat(entry).isNotEmpty();
    for (long n = entry.length; n < NoopJournal.LIMIT; n += entry.length) {
      Files.write(journal, entry, StandardOpenOption.APPEND); // the same run over and over
    }
    CliResult full = CliResult.run(env, args);
    assertThat(full.code()).as(full.out() + full.err()).isZero();
    assertThat(full.out()).contains("Migration done: 1 account(s), 0 failed (execution 4)");
    assertThat(journal).isEmptyFile();
    assertThat(CliResult.run(env, "jobs", "history", "migrate").out())
        .containsPattern("(?m)^\\s*3\\s.*COMPLETED").containsPattern("(?m)^\\s*4\\s.*COMPLETED")
        .doesNotContainPattern("(?m)^\\s*5\\s");
  }

  /** The one-off command line of the test's migration, and its request. */
  private record FirstRun(String[] args, MigrateRequest request) {}

  /** Runs the migration {@code src} → {@code dst} once with {@code env}: 30 copied, verified. */
  private FirstRun firstRun(DovecotServer s, AccountId src, AccountId dst,
      Map<String, String> env) throws Exception {
    Path pw = Files.writeString(home.resolve("pw"), s.password() + "\n");
    String[] args = {"migrate", "run", "--source", s.imapUri(src), "--source-password-file",
        pw.toString(), "--target", s.imapUri(dst), "--target-password-file", pw.toString()};
    MigrateRequest request = new MigrateRequest(null, s.imapUri(src), s.imapUri(dst), pw, pw,
        List.of(), List.of(), List.of(), false, false, false, Fingerprint.Mode.HEADERS, false);
    CliResult first = CliResult.run(env, args);
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("2 folders, 30 copied", ", verified");
    return new FirstRun(args, request);
  }

  /** Wipes both accounts and puts 30 messages into the source's INBOX and Archiv. */
  private static void seed(DovecotServer s, AccountId src, AccountId dst, Random rnd)
      throws Exception {
    s.wipe(src);
    s.wipe(dst);
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      imap.create("Archiv");
      for (int i = 0; i < 30; i++) {
        String id = "noop-" + i;
        Instant date = TestMessages.date(rnd);
        imap.append(i % 3 == 0 ? "Archiv" : "INBOX", TestMessages.message(id, "Test " + id,
            TestMessages.size(rnd), date, rnd), i % 2 == 0 ? "\\Seen" : "", date, ZoneOffset.UTC);
      }
    }
  }

  /** {@code out} with the seconds of each account line left out. */
  private static String seconds(String out) {
    return out.replaceAll("in \\d+\\.\\d s", "in _ s");
  }
}
