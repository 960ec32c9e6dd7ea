package io.mailops.jobs.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.storage.interop.DovecotServer;
import io.mailops.storage.interop.ImapTestClient;
import io.mailops.storage.interop.TestMessages;
import io.mailops.storage.model.AccountId;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailops migrate run --preserve-uids} against the real Dovecot of the interop harness:
 * a Dovecot account whose UIDs have gaps (messages expunged) into the Maildir of an empty
 * Dovecot user, which Dovecot then serves; over IMAP, {@code UID FETCH 1:* (UID)} and
 * {@code STATUS (UIDVALIDITY UIDNEXT)} of every folder must be the same on both sides, and each
 * UID must carry the same bytes, flags and INTERNALDATE. Also {@code --sync-flags} over IMAP
 * (CONDSTORE) and {@code --delete-source-after-verify} (UIDPLUS) on Dovecot. Uses two of the {@code MIGRATE_USERS}
 * ({@code mig-csv-dst1} as source, {@code mig-csv-dst2} as target; MigrateDovecotIT wipes them
 * before using them as its own targets).
 */
class MigrateDovecotUidsIT {

  static final List<String> FOLDERS = List.of("INBOX", "Sent", "Projekte/Übersicht");

  static DovecotServer s;
  static AccountId src;
  static AccountId dst;

  @TempDir Path home;

  Map<String, String> env = new HashMap<>();
  Path pw;

  @BeforeAll
  static void fillSource() throws Exception {
    s = DovecotServer.load("MIGRATE_USERS");
    src = s.user("mig-csv-dst1@example.net");
    dst = s.user("mig-csv-dst2@example.net");
    s.wipe(src);
    Random rnd = new Random(5L);
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      imap.create("Sent");
      imap.create("Projekte/Übersicht");
      for (String f : FOLDERS) {
        for (int i = 0; i < 12; i++) {
          Instant date = TestMessages.date(rnd);
          String id = "uids-" + f.hashCode() + "-" + i;
          imap.append(f, TestMessages.message(id, "UIDs " + i, TestMessages.size(rnd), date, rnd),
              i % 3 == 0 ? "\\Seen $Label1" : i % 3 == 1 ? "\\Flagged" : "", date,
              ZoneOffset.ofHours(2));
        }
      }
      // gaps, and the highest UIDs gone too (UIDNEXT above the last UID)
      for (String f : FOLDERS) {
        imap.select(f);
        imap.command("UID STORE 2,5:6,11:12 +FLAGS.SILENT (\\Deleted)");
        imap.command("EXPUNGE");
      }
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    env.put("MAILOPS_HOME", home.toString());
    pw = Files.writeString(home.resolve("pw"), s.password() + "\n");
  }

  /** Per folder: "UIDVALIDITY UIDNEXT" and UID → "sha | flags | keywords | date". */
  static Map<String, Object> uidView(AccountId account) throws Exception {
    Map<String, Object> out = new TreeMap<>();
    Properties props = new Properties();
    Store store = Session.getInstance(props).getStore("imap");
    store.connect(s.imapHost(), s.imapPort(), account.toString(), s.password());
    try (store; ImapTestClient imap = ImapTestClient.login(s, account.toString())) {
      for (String f : FOLDERS) {
        UIDFolder folder = (UIDFolder) store.getFolder(f);
        // a closed folder: Angus Mail asks STATUS (UIDVALIDITY) and STATUS (UIDNEXT)
        out.put(f + " status", folder.getUIDValidity() + " " + folder.getUIDNext());
        Map<Long, String> byUid = new TreeMap<>();
        for (ImapTestClient.Fetched m : imap.fetchAll(f)) {
          byUid.put(m.uid(), m.state());
        }
        out.put(f + " uids", byUid);
      }
    }
    return out;
  }

  @Test
  @Timeout(600)
  void intoAnEmptyDovecotUserDovecotServesTheSourcesUidValidityUidsAndUidNext() throws Exception {
    s.wipe(dst);
    long logStart = s.logOffset();
    Map<String, Object> before = uidView(src);
    assertThat(before.get("INBOX uids").toString()).startsWith("{1=").contains("3=").contains("10=")
        .doesNotContain("2=").doesNotContain("11=");
    assertThat(before.get("INBOX status").toString()).endsWith(" 13");
    String[] args = {"migrate", "run", "--source", s.imapUri(src), "--source-password-file",
        pw.toString(), "--target", "maildir:" + s.vmail() + "?account=" + dst, "--preserve-uids"};

    CliResult first = CliResult.run(env, args);
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains(src + " -> " + dst + ": 3 folders, 21 copied")
        .contains(", verified");
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(s.notOwnedByMail(dst)).as("files not owned by the mail user").isEmpty();
    softly.assertThat(uidView(dst)).as("UIDs and STATUS of %s served by Dovecot", dst)
        .isEqualTo(before);

    // new mail on the source: the next run adds it under its source UID
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      Instant date = Instant.parse("2026-01-02T03:04:05Z");
      imap.append("Sent", TestMessages.message("uids-late", "late", 3000, date, new Random(1)),
          "\\Seen", date, ZoneOffset.UTC);
    }
    Map<String, Object> later = uidView(src);
    CliResult again = CliResult.run(env, args);
    softly.assertThat(again.code()).as(again.out() + again.err()).isZero();
    softly.assertThat(again.out()).contains("1 copied");
    softly.assertThat(uidView(dst)).as("after a second run with one new message").isEqualTo(later);
    softly.assertThat(s.problemsSince(logStart)).as("errors and warnings in the Dovecot log %s",
        s.log()).isEmpty();
    softly.assertAll();
  }

  @Test
  @Timeout(600)
  void intoADovecotUserWithMailAlreadyItRefusesWithOneLineAndExit1() throws Exception {
    s.wipe(dst);
    // no pause: Dovecot gives a new folder the current second as its UIDVALIDITY, so when this
    // test runs first the target's INBOX may carry the source's; the refusal must hold then too
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      Instant date = Instant.parse("2026-01-02T03:04:05Z");
      imap.append("INBOX", TestMessages.message("uids-mine", "mine", 2000, date, new Random(2)),
          "", date, ZoneOffset.UTC);
    }
    Map<String, Object> mine = new TreeMap<>();
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      mine.putAll(imap.snapshot());
    }

    CliResult r = CliResult.run(env, "migrate", "run", "--source", s.imapUri(src),
        "--source-password-file", pw.toString(), "--target",
        "maildir:" + s.vmail() + "?account=" + dst, "--preserve-uids");

    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    List<String> lines = new ArrayList<>(r.err().lines().filter(l -> l.contains("not empty"))
        .toList());
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains(src + " -> " + dst)
        .contains("folder 'INBOX' of account " + dst + " is not empty")
        .contains("without --preserve-uids");
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      assertThat(new TreeMap<String, Object>(imap.snapshot())).isEqualTo(mine);
    }
  }

  @Test
  @Timeout(600)
  void syncFlagsAppliesFlagChangesOfTheSourceOverImapWithCondstoreAndOnlyWhenAsked()
      throws Exception {
    s.wipe(dst);
    long logStart = s.logOffset();
    String[] args = {"migrate", "run", "--source", s.imapUri(src), "--source-password-file",
        pw.toString(), "--target", s.imapUri(dst), "--target-password-file", pw.toString()};
    CliResult first = CliResult.run(env, args);
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains(", verified");
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      imap.select("INBOX");
      imap.command("UID STORE 1 -FLAGS.SILENT (\\Seen $Label1)");
      imap.command("UID STORE 3 +FLAGS.SILENT (\\Answered Projekt_Beta)");
      imap.select("Sent");
      imap.command("UID STORE 4 +FLAGS.SILENT (\\Flagged)");
    }
    Map<String, Map<String, Integer>> want;
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      want = imap.snapshot();
    }
    Map<String, Map<String, Integer>> copied;
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      copied = imap.snapshot();
    }
    assertThat(copied).isNotEqualTo(want);

    CliResult without = CliResult.run(env, args);
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(without.out()).contains("0 copied").doesNotContain("flags updated");
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      softly.assertThat(imap.snapshot()).as("without --sync-flags").isEqualTo(copied);
    }

    String[] sync = java.util.Arrays.copyOf(args, args.length + 1);
    sync[args.length] = "--sync-flags";
    CliResult with = CliResult.run(env, sync);
    softly.assertThat(with.code()).as(with.out() + with.err()).isZero();
    softly.assertThat(with.out()).contains("0 copied").contains("flags updated on 3")
        .contains(", verified");
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      Map<String, Map<String, Integer>> got = new TreeMap<>(imap.snapshot());
      // the parent of Projekte/Übersicht: \NoSelect on the source, a folder on the target
      softly.assertThat(got.remove("Projekte")).isEmpty();
      softly.assertThat(got).as("with --sync-flags").isEqualTo(want);
    }
    CliResult again = CliResult.run(env, sync);
    softly.assertThat(again.out()).as(again.out()).doesNotContain("flags updated");
    softly.assertThat(s.problemsSince(logStart)).isEmpty();
    softly.assertAll();
  }

  @Test
  @Timeout(600)
  void deleteSourceAfterVerifyExpungesOnDovecotExactlyTheMessagesVerifiedOnTheTarget()
      throws Exception {
    // the source here is the second user, filled afresh; the target a Maildir outside Dovecot
    s.wipe(dst);
    Random rnd = new Random(9L);
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      imap.create("Kunden");
      for (int i = 0; i < 6; i++) {
        Instant date = TestMessages.date(rnd);
        imap.append(i < 4 ? "INBOX" : "Kunden", TestMessages.message("del-" + i, "Delete " + i,
            TestMessages.size(rnd), date, rnd), i == 0 ? "\\Seen" : "", date, ZoneOffset.UTC);
      }
    }
    long logStart = s.logOffset();
    Path vmail = Files.createDirectories(home.resolve("vmail"));
    String[] args = {"migrate", "run", "--source", s.imapUri(dst), "--source-password-file",
        pw.toString(), "--target", "maildir:" + vmail + "?account=moved@example.net"};
    CliResult first = CliResult.run(env, args);
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    Map<String, Map<String, Integer>> before;
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      before = imap.snapshot();
    }
    assertThat(before.get("INBOX").values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(4);
    // one copy lost on the target: its source message must survive
    try (io.mailops.storage.MailStore md = io.mailops.storage.MailStores.open("maildir:" + vmail,
        io.mailops.storage.PasswordSource.NONE)) {
      AccountId moved = AccountId.of("moved@example.net");
      io.mailops.storage.model.FolderPath kunden = io.mailops.storage.model.FolderPath.of("Kunden");
      io.mailops.storage.model.MessageRef ref = md.scan(moved, kunden).messages().get(0);
      Files.delete(((io.mailops.storage.maildir.MaildirStore) md).folderDir(moved, kunden)
          .resolve(ref.location()));
    }

    String[] delete = java.util.Arrays.copyOf(args, args.length + 1);
    delete[args.length] = "--delete-source-after-verify";
    CliResult r = CliResult.run(env, delete);

    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3); // verify: one message missing
    assertThat(r.out()).contains(dst + ": 5 message(s) verified on the target and deleted from"
        + " the source");
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      Map<String, Map<String, Integer>> after = imap.snapshot();
      assertThat(after.get("INBOX")).isEmpty();
      assertThat(after.get("Kunden").values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(1);
      assertThat(before.get("Kunden")).containsAllEntriesOf(after.get("Kunden"));
    }
    assertThat(s.problemsSince(logStart)).isEmpty();
  }
}
