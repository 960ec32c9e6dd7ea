package io.mailops.jobs.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.interop.DovecotServer;
import io.mailops.storage.interop.ImapTestClient;
import io.mailops.storage.interop.TestMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailops migrate run|verify|report} (in-process CLI) against the real Dovecot of the
 * interop harness: one account into another over IMAP, one account into a Maildir that Dovecot
 * then serves, and an accounts CSV with two accounts in parallel. Every check compares per
 * folder over Dovecot IMAP the multiset of (SHA-256 of {@code BODY.PEEK[]}, flags, keywords,
 * INTERNALDATE to the second) of source and target.
 *
 * <p>The sources are filled through Dovecot's own IMAP APPEND (exact bytes, {@code \Seen
 * \Answered \Flagged \Draft}, {@code $Label1} and custom keywords, INTERNALDATEs in several
 * zones, INBOX, Sent, nested and non-ASCII folders, a message over 1 MB, messages without a
 * Message-ID). Uses only the dedicated users {@code MIGRATE_USERS} of {@code dovecot.env}; all of
 * them are wiped first.
 */
class MigrateDovecotIT {

  static final List<String> FOLDERS = List.of("INBOX", "Sent", "Projekte", "Projekte/Übersicht",
      "Privat", "Privat/Ärger & Co", "Leer");
  static final List<String> FOLDERS2 = List.of("INBOX", "Privat", "Privat/Ärger & Co");
  /** Appended at random; then two more: an exact duplicate and a copy in a second folder. */
  static final int APPENDED = 220;
  static final int MESSAGES = APPENDED + 2;
  static final int MESSAGES2 = 40;
  static final List<String> SYSTEM = List.of("\\Seen", "\\Answered", "\\Flagged", "\\Draft");
  static final List<String> KEYWORDS = List.of("$Label1", "$Forwarded", "Projekt_Alpha", "wichtig");

  static DovecotServer s;
  static AccountId src;
  static AccountId src2;
  static Map<String, Map<String, Integer>> srcSnapshot;
  static Map<String, Map<String, Integer>> src2Snapshot;

  @TempDir Path home;

  Map<String, String> env = new HashMap<>();
  Path pw;

  @BeforeAll
  static void fillSources() throws Exception {
    s = DovecotServer.load("MIGRATE_USERS");
    for (String u : s.users()) {
      s.wipe(s.user(u));
    }
    src = s.user("mig-src@example.net");
    src2 = s.user("mig-src2@example.net");
    Random rnd = new Random(20261122L);
    int withoutId = fill(src, FOLDERS, APPENDED, "a", rnd);
    fill(src2, FOLDERS2, MESSAGES2, "b", rnd);
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      // the same bytes, flags and date twice in a folder, and a message without Message-ID also
      // in a second folder with other flags: both copies of each have to arrive
      ImapTestClient.Fetched first = imap.fetchAll("INBOX").get(0);
      imap.append("INBOX", first.body(),
          "\\Seen \\Answered \\Flagged \\Draft $Label1 Projekt_Alpha", first.internalDate(),
          java.time.ZoneOffset.UTC);
      ImapTestClient.Fetched noId = imap.fetchAll("INBOX").stream()
          .filter(m -> !new String(m.body(), StandardCharsets.ISO_8859_1).contains("Message-ID:"))
          .findFirst().orElseThrow();
      imap.append("Sent", noId.body(), "\\Seen $Label1", noId.internalDate(),
          java.time.ZoneOffset.UTC);
    }
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      srcSnapshot = imap.snapshot();
    }
    try (ImapTestClient imap = ImapTestClient.login(s, src2.toString())) {
      src2Snapshot = imap.snapshot();
    }
    assertThat(srcSnapshot.keySet()).containsExactlyInAnyOrderElementsOf(FOLDERS);
    assertThat(count(srcSnapshot)).isEqualTo(MESSAGES);
    assertThat(srcSnapshot.get("INBOX")).containsValue(2);
    assertThat(srcSnapshot.get("Leer")).isEmpty();
    assertThat(String.join("\n", srcSnapshot.get("INBOX").keySet()))
        .contains("[SEEN, ANSWERED, FLAGGED, DRAFT] | [$Label1, Projekt_Alpha]")
        .contains("wichtig").contains("$Forwarded");
    assertThat(withoutId).isGreaterThan(2);
    assertThat(src2Snapshot.keySet()).containsExactlyInAnyOrderElementsOf(FOLDERS2);
    assertThat(count(src2Snapshot)).isEqualTo(MESSAGES2);
  }

  /** Appends {@code n} messages over {@code folders}; returns how many lack a Message-ID. */
  static int fill(AccountId account, List<String> folders, int n, String tag, Random rnd)
      throws Exception {
    int withoutId = 0;
    try (ImapTestClient imap = ImapTestClient.login(s, account.toString())) {
      for (String f : folders) {
        if (!f.equals("INBOX")) {
          imap.create(f);
        }
      }
      for (int i = 0; i < n; i++) {
        List<String> filled = folders.stream().filter(f -> !f.equals("Leer")).toList();
        String folder = filled.get(i < n / 3 ? 0 : rnd.nextInt(filled.size()));
        String id = "mig-" + tag + "-" + i;
        Instant date = TestMessages.date(rnd);
        // one over 1 MB, one over the migration's 8 MiB in-memory limit (spooled to a file)
        int size = i == 5 ? 1_500_000 : i == 6 && tag.equals("a") ? 9_500_000
            : TestMessages.size(rnd);
        byte[] msg = TestMessages.message(id, "Test " + id
            + (rnd.nextInt(5) == 0 ? " =?utf-8?q?Gr=C3=BC=C3=9Fe?=" : ""), size, date, rnd);
        if (i % 40 == 3) {
          // no Message-ID: the migration has to identify it by its content
          String text = new String(msg, StandardCharsets.ISO_8859_1);
          msg = text.replace("Message-ID: <" + id + "@mailops.test>\r\n", "")
              .getBytes(StandardCharsets.ISO_8859_1);
          withoutId++;
        }
        String flags = i == 0 ? "\\Seen \\Answered \\Flagged \\Draft $Label1 Projekt_Alpha"
            : i == 1 ? "" : flags(rnd);
        imap.append(folder, msg, flags, date,
            TestMessages.ZONES.get(rnd.nextInt(TestMessages.ZONES.size())));
      }
    }
    return withoutId;
  }

  /** Random system flags (no {@code \Deleted}: the migration drops it by default) and keywords. */
  static String flags(Random rnd) {
    List<String> out = new ArrayList<>();
    for (String f : SYSTEM) {
      double p = f.equals("\\Seen") ? 0.6 : f.equals("\\Draft") ? 0.08 : 0.2;
      if (rnd.nextDouble() < p) {
        out.add(f);
      }
    }
    for (String k : KEYWORDS) {
      if (rnd.nextDouble() < 0.15) {
        out.add(k);
      }
    }
    return String.join(" ", out);
  }

  @BeforeEach
  void setUp() throws Exception {
    env.put("MAILOPS_HOME", home.toString());
    pw = Files.writeString(home.resolve("pw"), s.password() + "\n");
  }

  /** {@code migrate run} from {@code from} to {@code to} on the harness Dovecot, then {@code extra}. */
  String[] imapToImap(AccountId from, AccountId to, String... extra) {
    List<String> args = new ArrayList<>(List.of("migrate", "run", "--source", s.imapUri(from),
        "--source-password-file", pw.toString(), "--target", s.imapUri(to),
        "--target-password-file", pw.toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }

  /** A run with a new, empty MAILOPS_HOME: no migration state, as after a lost state directory. */
  CliResult runWithoutState(String... args) throws Exception {
    Path fresh = Files.createTempDirectory(home, "fresh-home");
    return CliResult.run(Map.of("MAILOPS_HOME", fresh.toString()), args);
  }

  @Test
  @Timeout(600)
  void oneAccountIntoAnotherOverImapKeepsBytesFlagsKeywordsAndDatesAndIsNotCopiedTwice()
      throws Exception {
    AccountId dst = s.user("mig-imap-dst@example.net");
    s.wipe(dst);
    long logStart = s.logOffset();
    String[] args = imapToImap(src, dst);

    CliResult first = run(args);
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).as(first.out() + first.err())
        .contains(src + " -> " + dst + ": " + FOLDERS.size() + " folders, " + MESSAGES + " copied")
        .contains(", verified").contains("Migration done: 1 account(s), 0 failed");

    SoftAssertions softly = new SoftAssertions();
    compare(softly, srcSnapshot, snapshot(dst), dst + " after the first run");
    softly.assertThat(order(dst)).as("the messages of each folder of %s in the source's order",
        dst).isEqualTo(order(src));

    CliResult again = run(args);
    softly.assertThat(again.code()).as(again.out() + again.err()).isZero();
    softly.assertThat(again.out()).as("second run").contains("0 copied, " + MESSAGES + " skipped");
    compare(softly, srcSnapshot, snapshot(dst), dst + " after the second run");

    CliResult stateless = runWithoutState(args);
    softly.assertThat(stateless.code()).as(stateless.out() + stateless.err()).isZero();
    softly.assertThat(stateless.out()).as("a run without state finds every message by fingerprint")
        .contains("0 copied, " + MESSAGES + " skipped (" + MESSAGES + " duplicates");
    compare(softly, srcSnapshot, snapshot(dst), dst + " after a run without state");

    CliResult verify = run("migrate", "verify", "--source", s.imapUri(src),
        "--source-password-file", pw.toString(), "--target", s.imapUri(dst),
        "--target-password-file", pw.toString());
    softly.assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    softly.assertThat(verify.out()).contains(src + " -> " + dst + ": OK (" + FOLDERS.size()
        + " folders)");
    compare(softly, srcSnapshot, snapshot(src), src + " (the source must stay unchanged)");
    softly.assertThat(s.problemsSince(logStart)).as("errors and warnings in the Dovecot log %s",
        s.log()).isEmpty();
    softly.assertAll();
  }

  @Test
  @Timeout(600)
  void subscribedOnlyCopiesInboxAndTheFoldersSubscribedOnTheSource() throws Exception {
    AccountId from = s.user("mig-subs-src@example.net");
    AccountId dst = s.user("mig-subs-dst@example.net");
    s.wipe(from);
    s.wipe(dst);
    fill(from, FOLDERS2, 30, "c", new Random(7));
    s.doveadm("mailbox", "unsubscribe", "-u", from.toString(), "Privat", "Privat/Ärger & Co");
    s.doveadm("mailbox", "subscribe", "-u", from.toString(), "Privat/Ärger & Co");
    Map<String, Map<String, Integer>> before = snapshot(from);
    // Privat is not copied; the target gets it empty, as the parent of the subscribed child
    assertThat(before.get("Privat")).isNotEmpty();
    Map<String, Map<String, Integer>> expected = new TreeMap<>(before);
    expected.put("Privat", Map.of());

    copiesThenCopiesNothing(imapToImap(from, dst, "--subscribed-only"), expected, dst);
  }

  @Test
  @Timeout(600)
  void aFolderDovecotMarksSentUnderAnUnknownNameGoesToSentByItsAttribute() throws Exception {
    AccountId from = s.user("mig-subs-src@example.net");
    AccountId dst = s.user("mig-subs-dst@example.net");
    s.wipe(from);
    s.wipe(dst);
    // the harness marks "Elementos enviados" \Sent (scripts/interop/dovecot.sh); no name rule
    // knows that name, so only the attribute can send it to the target's Sent
    fill(from, List.of("INBOX", "Elementos enviados"), 24, "d", new Random(11));
    Map<String, Map<String, Integer>> before = snapshot(from);
    assertThat(before.get("Elementos enviados")).isNotEmpty();
    Map<String, Map<String, Integer>> expected = new TreeMap<>(before);
    expected.put("Sent", expected.remove("Elementos enviados"));

    // the second run is answered by the no-op look (LIST RETURN (SPECIAL-USE ...)): same mapping
    copiesThenCopiesNothing(imapToImap(from, dst), expected, dst);
  }

  /**
   * Runs {@code args} twice: both exit 0 and verify, the second copies nothing, and {@code dst}
   * holds {@code expected} (folder → message states) after each.
   */
  void copiesThenCopiesNothing(String[] args, Map<String, Map<String, Integer>> expected,
      AccountId dst) throws Exception {
    CliResult first = run(args);
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(first.out()).contains(", verified");
    compare(softly, expected, snapshot(dst), dst + " after the first run");
    CliResult again = run(args);
    softly.assertThat(again.code()).as(again.out() + again.err()).isZero();
    softly.assertThat(again.out()).contains("0 copied").contains(", verified");
    compare(softly, expected, snapshot(dst), dst + " after the second run");
    softly.assertAll();
  }

  @Test
  @Timeout(600)
  void oneAccountIntoTheMaildirOfAnEmptyDovecotUserIsServedByDovecotUnchanged() throws Exception {
    AccountId dst = s.user("mig-maildir-dst@example.net");
    s.wipe(dst);
    long logStart = s.logOffset();
    // mail_location = maildir:VMAIL/%d/%n/Maildir: the default layout {domain}/{user}/Maildir
    String target = "maildir:" + s.vmail() + "?account=" + dst;
    String[] args = {"migrate", "run", "--source", s.imapUri(src), "--source-password-file",
        pw.toString(), "--target", target};

    CliResult first = run(args);
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).as(first.out() + first.err())
        .contains(src + " -> " + dst + ": " + FOLDERS.size() + " folders, " + MESSAGES + " copied")
        .contains(", verified");
    assertThat(s.maildir(dst)).isDirectory();

    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(s.notOwnedByMail(dst)).as("files and directories of the migrated Maildir %s"
        + " not owned by the mail user %s:%s, which Dovecot runs as", s.maildir(dst), s.mailUid(),
        s.mailGid()).isEmpty();
    compare(softly, srcSnapshot, snapshot(dst), dst + " (Maildir) after the first run");
    softly.assertThat(order(dst)).as("the messages of each folder of %s (Maildir) in the"
        + " source's order", dst).isEqualTo(order(src));
    softly.assertThat(sizeMismatches(dst)).as("messages of %s whose RFC822.SIZE (the W= of the"
        + " file name) is not the length of BODY[]", dst).isEmpty();
    try {
      softly.assertThat(status(dst, "messages vsize")).as("doveadm mailbox status messages vsize"
          + " of %s vs %s", dst, src).isEqualTo(status(src, "messages vsize"));
    } catch (java.io.IOException e) {
      softly.fail("doveadm mailbox status of the migrated " + dst + " failed: " + e.getMessage());
    }
    // the folders the run made are subscribed, as an IMAP client's CREATE + SUBSCRIBE leaves them
    softly.assertThat(subscribed(dst)).as("doveadm mailbox list -s -u %s", dst)
        .containsExactlyInAnyOrderElementsOf(FOLDERS.subList(1, FOLDERS.size()));

    CliResult again = run(args);
    softly.assertThat(again.code()).as(again.out() + again.err()).isZero();
    softly.assertThat(again.out()).as("second run").contains("0 copied, " + MESSAGES + " skipped");
    compare(softly, srcSnapshot, snapshot(dst), dst + " (Maildir) after the second run");

    CliResult verify = run("migrate", "verify", "--source", s.imapUri(src),
        "--source-password-file", pw.toString(), "--target", target);
    softly.assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    softly.assertThat(verify.out()).contains(src + " -> " + dst + ": OK (" + FOLDERS.size()
        + " folders)");

    // Dovecot has indexed the Maildir now; expunge two messages with keywords over IMAP and run
    // without state: exactly those two are copied again, into folders Dovecot already keeps
    // dovecot-uidlist, dovecot-keywords and indexes for
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      for (String f : List.of("INBOX", "Projekte/Übersicht")) {
        ImapTestClient.Fetched m = imap.fetchAll(f).stream().filter(x -> !x.flags().keywords().isEmpty())
            .findFirst().orElseThrow();
        imap.command("UID STORE " + m.uid() + " +FLAGS.SILENT (\\Deleted)");
        imap.command("UID EXPUNGE " + m.uid());
      }
    }
    // meanwhile a client has INBOX selected: it sees the new message on its next NOOP
    try (ImapTestClient watcher = ImapTestClient.login(s, dst.toString())) {
      watcher.select("INBOX");
      CliResult stateless = runWithoutState(args);
      softly.assertThat(stateless.code()).as(stateless.out() + stateless.err()).isZero();
      softly.assertThat(stateless.out()).as("a run without state after two expunges")
          .contains("2 copied, " + (MESSAGES - 2) + " skipped (" + (MESSAGES - 2) + " duplicates");
      Map<String, Integer> seen = new TreeMap<>();
      watcher.fetchAll("INBOX").forEach(m -> seen.merge(m.state(), 1, Integer::sum));
      softly.assertThat(seen).as("INBOX of %s as a session that had it selected during the run"
          + " sees it", dst).isEqualTo(srcSnapshot.get("INBOX"));
    }
    compare(softly, srcSnapshot, snapshot(dst), dst + " (Maildir) after a run without state");
    softly.assertThat(s.notOwnedByMail(dst)).as("not owned by the mail user after Dovecot served"
        + " the Maildir and the later runs").isEmpty();
    compare(softly, srcSnapshot, snapshot(src), src + " (the source must stay unchanged)");
    softly.assertThat(s.problemsSince(logStart)).as("errors and warnings in the Dovecot log %s",
        s.log()).isEmpty();
    softly.assertAll();
  }

  @Test
  @Timeout(600)
  void anAccountsCsvMigratesTwoAccountsInParallelAndTheReportHasEveryFolder() throws Exception {
    AccountId dst1 = s.user("mig-csv-dst1@example.net");
    AccountId dst2 = s.user("mig-csv-dst2@example.net");
    s.wipe(dst1);
    s.wipe(dst2);
    long logStart = s.logOffset();
    String h = s.imapHost();
    int p = s.imapPort();
    Path csv = Files.writeString(home.resolve("accounts.csv"),
        "source_host,source_port,source_security,source_user,source_password_file,target_host,"
            + "target_port,target_security,target_user,target_password,source_auth,target_auth\n"
            + h + "," + p + ",none," + src + "," + pw + "," + h + "," + p + ",none," + dst1 + ","
            + s.password() + ",plain,plain\n"
            + h + "," + p + ",none," + src2 + "," + pw + "," + h + "," + p + ",none," + dst2 + ","
            + s.password() + ",login,\n");

    CliResult r = run("migrate", "run", "--accounts", csv.toString(), "--parallel", "2");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).as(r.out() + r.err())
        .contains(src + " -> " + dst1 + ": " + FOLDERS.size() + " folders, " + MESSAGES + " copied")
        .contains(src2 + " -> " + dst2 + ": " + FOLDERS2.size() + " folders, " + MESSAGES2
            + " copied")
        .contains("Migration done: 2 account(s), 0 failed");

    SoftAssertions softly = new SoftAssertions();
    compare(softly, srcSnapshot, snapshot(dst1), dst1.toString());
    compare(softly, src2Snapshot, snapshot(dst2), dst2.toString());

    CliResult report = run("migrate", "report", "--format", "csv");
    softly.assertThat(report.code()).as(report.out() + report.err()).isZero();
    List<String> lines = report.out().lines().toList();
    List<String> header = List.of(lines.get(0).split(",", -1));
    int sa = header.indexOf("source_account");
    int ta = header.indexOf("target_account");
    int sf = header.indexOf("source_folder");
    int sc = header.indexOf("source_count");
    int tc = header.indexOf("target_count");
    assertThat(List.of(sa, ta, sf, sc, tc)).as("report header %s", header).doesNotContain(-1);
    Map<String, Map<String, List<Integer>>> rows = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> c = csvFields(line);
      rows.computeIfAbsent(c.get(sa) + " -> " + c.get(ta), k -> new TreeMap<>())
          .put(c.get(sf), List.of(Integer.parseInt(c.get(sc)), Integer.parseInt(c.get(tc))));
    }
    softly.assertThat(rows).as("report rows per account and folder:\n%s", report.out())
        .isEqualTo(Map.of(src + " -> " + dst1, expectedRows(srcSnapshot),
            src2 + " -> " + dst2, expectedRows(src2Snapshot)));

    // new mail on one source, one of it in a new folder: the next run copies just that
    Random rnd = new Random(7L);
    try (ImapTestClient imap = ImapTestClient.login(s, src2.toString())) {
      imap.create("Neu");
      for (String f : List.of("INBOX", "Neu")) {
        Instant date = TestMessages.date(rnd);
        imap.append(f, TestMessages.message("mig-b-new-" + f, "Neu in " + f, 2_000, date, rnd),
            "\\Flagged wichtig", date, TestMessages.ZONES.get(1));
      }
    }
    Map<String, Map<String, Integer>> src2Now = snapshot(src2);
    CliResult again = run("migrate", "run", "--accounts", csv.toString(), "--parallel", "2");
    softly.assertThat(again.code()).as(again.out() + again.err()).isZero();
    softly.assertThat(again.out()).as("run after new mail")
        .contains(src + " -> " + dst1 + ": " + FOLDERS.size() + " folders, 0 copied, " + MESSAGES
            + " skipped")
        .contains(src2 + " -> " + dst2 + ": " + (FOLDERS2.size() + 1) + " folders, 2 copied, "
            + MESSAGES2 + " skipped");
    compare(softly, src2Now, snapshot(dst2), dst2 + " after new mail");
    compare(softly, srcSnapshot, snapshot(src), src + " (the source must stay unchanged)");
    softly.assertThat(s.problemsSince(logStart)).as("errors and warnings in the Dovecot log %s",
        s.log()).isEmpty();
    softly.assertAll();
  }

  @Test
  @Timeout(600)
  void intoAMaildirDovecotAlreadyServesWithItsOwnKeywordsAndOneOfTheMessages() throws Exception {
    AccountId dst = s.user("mig-maildir-used@example.net");
    s.wipe(dst);
    // the target is in use: Dovecot created its Maildir, folders, dovecot-keywords (its own
    // keywords get the first letters) and indexes; it already holds one of the source messages
    Random rnd = new Random(11L);
    Map<String, Map<String, Integer>> local;
    try (ImapTestClient from = ImapTestClient.login(s, src.toString()); ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      ImapTestClient.Fetched known = from.fetchAll("INBOX").get(1);
      assertThat(known.flags().system()).isEmpty();
      imap.create("Sent");
      imap.create("Projekte");
      imap.create("Lokal");
      imap.append("INBOX", known.body(), "", known.internalDate(), java.time.ZoneOffset.UTC);
      for (String f : List.of("INBOX", "Sent", "Projekte", "Lokal")) {
        Instant date = TestMessages.date(rnd);
        imap.append(f, TestMessages.message("local-" + f, "Lokal " + f, 3_000, date, rnd),
            "\\Seen Lokal_Stichwort $Label1 zzz", date, TestMessages.ZONES.get(2));
      }
      local = imap.snapshot();
    }
    long logStart = s.logOffset();
    String target = "maildir:" + s.vmail() + "?account=" + dst;
    CliResult r = run("migrate", "run", "--source", s.imapUri(src), "--source-password-file",
        pw.toString(), "--target", target);
    // the target's own messages are merged with the source's: listed by verify, no difference
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).as(r.out() + r.err())
        .contains(src + " -> " + dst + ": " + FOLDERS.size() + " folders, " + (MESSAGES - 1)
            + " copied, 1 skipped (1 duplicates").contains(", verified")
        .doesNotContain("missing on target");

    // expected: the source's messages plus the local ones (the shared one once)
    Map<String, Map<String, Integer>> want = new TreeMap<>();
    srcSnapshot.forEach((f, m) -> want.put(f, new TreeMap<>(m)));
    local.forEach((f, m) -> m.forEach((state, n) -> {
      Map<String, Integer> w = want.computeIfAbsent(f, k -> new TreeMap<>());
      if (!(f.equals("INBOX") && w.containsKey(state) && !state.contains("Lokal_Stichwort"))) {
        w.merge(state, n, Integer::sum);
      }
    }));
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(s.notOwnedByMail(dst)).as("files and directories of the migrated Maildir %s"
        + " not owned by the mail user %s:%s", s.maildir(dst), s.mailUid(), s.mailGid()).isEmpty();
    compare(softly, want, snapshot(dst), dst + " (Maildir in use)");
    softly.assertThat(sizeMismatches(dst)).as("messages of %s whose RFC822.SIZE is not the length"
        + " of BODY[]", dst).isEmpty();
    try {
      Map<String, Long> status = messagesPerFolder(dst);
      Map<String, Long> wantStatus = new TreeMap<>();
      want.forEach((f, m) -> wantStatus.put(f, (long) m.values().stream().mapToInt(x -> x).sum()));
      softly.assertThat(status).as("doveadm mailbox status messages of %s", dst)
          .isEqualTo(wantStatus);
    } catch (java.io.IOException e) {
      softly.fail("doveadm mailbox status of " + dst + " failed: " + e.getMessage());
    }
    CliResult verify = run("migrate", "verify", "--source", s.imapUri(src),
        "--source-password-file", pw.toString(), "--target", target);
    softly.assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    softly.assertThat(verify.out()).as(verify.out()).doesNotContain("missing on target");
    softly.assertThat(verify.out().lines().filter(l -> l.contains("extra on target")).count())
        .as(verify.out()).isEqualTo(3);
    compare(softly, srcSnapshot, snapshot(src), src + " (the source must stay unchanged)");
    softly.assertThat(s.problemsSince(logStart)).as("errors and warnings in the Dovecot log %s",
        s.log()).isEmpty();
    softly.assertAll();
  }

  /** folder → [source_count, target_count] as the report should have it. */
  static Map<String, List<Integer>> expectedRows(Map<String, Map<String, Integer>> snapshot) {
    Map<String, List<Integer>> m = new TreeMap<>();
    snapshot.forEach((f, msgs) -> {
      int n = msgs.values().stream().mapToInt(x -> x).sum();
      m.put(f, List.of(n, n));
    });
    return m;
  }

  /** The fields of one CSV line (RFC 4180 quoting). */
  static List<String> csvFields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          b.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          b.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(b.toString());
        b.setLength(0);
      } else {
        b.append(ch);
      }
    }
    out.add(b.toString());
    return out;
  }

  static int count(Map<String, Map<String, Integer>> snapshot) {
    return snapshot.values().stream().flatMap(m -> m.values().stream()).mapToInt(x -> x).sum();
  }

  /** {@link ImapTestClient#order}: folder → the messages' SHA-256 in UID order. */
  static Map<String, List<String>> order(AccountId account) throws Exception {
    try (ImapTestClient imap = ImapTestClient.login(s, account.toString())) {
      return imap.order();
    }
  }

  static Map<String, Map<String, Integer>> snapshot(AccountId account) throws Exception {
    try (ImapTestClient imap = ImapTestClient.login(s, account.toString())) {
      return imap.snapshot();
    }
  }

  /** {@code doveadm mailbox list -s -u USER}: the subscribed folders Dovecot lists. */
  static List<String> subscribed(AccountId account) throws Exception {
    return s.doveadm("mailbox", "list", "-s", "-u", account.toString()).lines()
        .filter(l -> !l.isBlank()).toList();
  }

  /** {@code doveadm mailbox status -u USER messages '*'}: folder → messages. */
  static Map<String, Long> messagesPerFolder(AccountId account) throws Exception {
    Map<String, Long> m = new TreeMap<>();
    status(account, "messages").forEach((f, v) -> m.put(f, v.get(0)));
    return m;
  }

  /** {@code doveadm mailbox status -u USER FIELDS '*'}: folder → values. */
  static Map<String, List<Long>> status(AccountId account, String fields) throws Exception {
    String out = s.doveadm("-f", "tab", "mailbox", "status", "-u", account.toString(), fields, "*");
    Map<String, List<Long>> m = new TreeMap<>();
    List<String> lines = out.lines().toList();
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split("\t");
      List<Long> v = new ArrayList<>();
      for (int i = 1; i < c.length; i++) {
        v.add(Long.parseLong(c[i]));
      }
      m.put(c[0], v);
    }
    return m;
  }

  /** "folder uid: RFC822.SIZE n, BODY[] m" of each message where the two differ. */
  static List<String> sizeMismatches(AccountId account) throws Exception {
    List<String> out = new ArrayList<>();
    try (ImapTestClient imap = ImapTestClient.login(s, account.toString())) {
      for (String f : imap.folders()) {
        for (ImapTestClient.Fetched m : imap.fetchAll(f)) {
          if (m.rfc822Size() != m.body().length) {
            out.add(f + " " + m.uid() + ": RFC822.SIZE " + m.rfc822Size() + ", BODY[] "
                + m.body().length);
          }
        }
      }
    }
    return out;
  }

  static void compare(SoftAssertions softly, Map<String, Map<String, Integer>> source,
      Map<String, Map<String, Integer>> target, String what) {
    softly.assertThat(target.keySet()).as("folders of %s", what)
        .isEqualTo(new TreeSet<>(source.keySet()));
    for (Map.Entry<String, Map<String, Integer>> e : source.entrySet()) {
      softly.assertThat(target.get(e.getKey()))
          .as("folder %s of %s: SHA-256 of BODY.PEEK[] | flags | keywords | INTERNALDATE -> count",
              e.getKey(), what)
          .isEqualTo(e.getValue());
    }
  }
}
