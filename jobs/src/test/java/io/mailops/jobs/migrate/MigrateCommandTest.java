package io.mailops.jobs.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailops.jobs.CliResult;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailops migrate run|status|report|verify} from GreenMail IMAP accounts into Maildir and IMAP. */
class MigrateCommandTest {

  static final String SECRET = "s3cret";
  static final AtomicInteger N = new AtomicInteger();

  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort()).withPerMethodLifecycle(false);

  @TempDir
  Path home;

  Map<String, String> env = new HashMap<>();
  Path pw;
  int n;

  @BeforeEach
  void setUp() throws Exception {
    env.put("MAILOPS_HOME", home.toString());
    pw = Files.writeString(home.resolve("pw"), SECRET + "\n");
    n = N.incrementAndGet();
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }

  String imapUri(AccountId a) {
    return "imap://" + a.toString().replace("@", "%40") + "@127.0.0.1:" + GREENMAIL.getImap().getPort()
        + "?starttls=false";
  }

  AccountId user(String name) {
    AccountId a = AccountId.of(name + n + "@old.example");
    GREENMAIL.setUser(a.toString(), a.toString(), SECRET);
    return a;
  }

  MailStore imap(AccountId a) throws Exception {
    return MailStores.open(imapUri(a), (u, h) -> SECRET.toCharArray());
  }

  void populate(AccountId a, int messages) throws Exception {
    try (MailStore s = imap(a)) {
      FolderPath projects = FolderPath.of("Projekte/Übersicht");
      s.createFolder(a, projects);
      for (int i = 0; i < messages; i++) {
        String msg = "Message-ID: <m" + i + "-" + a + ">\r\nFrom: x@example.org\r\nSubject: number " + i
            + "\r\nDate: Mon, 6 May 2024 07:08:09 +0000\r\n\r\nbody " + i + "\r\n";
        s.append(a, i % 3 == 0 ? projects : FolderPath.INBOX,
            new ByteArrayInputStream(msg.getBytes(StandardCharsets.UTF_8)),
            i % 2 == 0 ? Flags.of(Flag.SEEN) : new Flags(java.util.EnumSet.of(Flag.FLAGGED), new TreeSet<>(Set.of("$Label1"))),
            Instant.parse("2024-05-06T07:08:09Z").plusSeconds(3600L * i));
      }
    }
  }

  /** "folder|flags|keywords|date|subject" of every message of the account. */
  static List<String> content(MailStore s, AccountId a) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (FolderPath f : s.folders(a)) {
      for (MessageRef m : s.scan(a, f).messages()) {
        String text = new String(s.open(a, m).readAllBytes(), StandardCharsets.UTF_8);
        out.add(f + "|" + m.flags().system() + "|" + m.flags().keywords() + "|" + m.internalDate() + "|"
            + text.substring(text.indexOf("Subject:"), text.indexOf("\r\n", text.indexOf("Subject:"))));
      }
    }
    out.sort(null);
    return out;
  }

  @Test
  void oneAccountIntoAMaildirIsCopiedVerifiedAndNotCopiedTwice() throws Exception {
    AccountId src = user("alice");
    populate(src, 12);
    Path vmail = Files.createDirectories(home.resolve("vmail"));
    String target = "maildir:" + vmail + "?account=alice@new.example";

    CliResult first = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", target);

    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains(src + " -> alice@new.example: 3 folders, 12 copied")
        .contains(", verified").contains("Migration done: 1 account(s), 0 failed");
    try (MailStore from = imap(src);
        MailStore to = MailStores.open("maildir:" + vmail, PasswordSource.NONE)) {
      List<String> want = content(from, src);
      assertThat(content(to, AccountId.of("alice@new.example"))).isEqualTo(want).hasSize(12);
    }

    CliResult again = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", target);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("0 copied, 12 skipped");

    CliResult status = run("migrate", "status");
    assertThat(status.out()).containsPattern(src + "\\s+alice@new.example\\s+COMPLETED\\s+3\\s+0\\s+12\\s+0\\s+ok");
    CliResult report = run("migrate", "report", "--format", "csv");
    assertThat(report.out()).startsWith("source_account,target_account,source_folder,target_folder,")
        .contains(src + ",alice@new.example,INBOX,INBOX,8,8,0,0,8,0,0,0,true,");
    CliResult verify = run("migrate", "verify", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", target);
    assertThat(verify.code()).isZero();
    assertThat(verify.out()).contains(src + " -> alice@new.example: OK (3 folders)");
  }

  @Test
  void anAccountsFileMigratesSeveralAccountsInParallelAndADryRunWritesNothing() throws Exception {
    AccountId a = user("anna");
    AccountId b = user("bert");
    AccountId a2 = user("anna-new");
    AccountId b2 = user("bert-new");
    populate(a, 5);
    populate(b, 7);
    int port = GREENMAIL.getImap().getPort();
    Path csv = Files.writeString(home.resolve("accounts.csv"),
        "source_host,source_port,source_security,source_user,source_password_file,target_host,target_port,target_security,target_user,target_password\n"
            + "127.0.0.1," + port + ",none," + a + ",pw,127.0.0.1," + port + ",none," + a2 + "," + SECRET + "\n"
            + "127.0.0.1," + port + ",none," + b + ",pw,127.0.0.1," + port + ",none," + b2 + "," + SECRET + "\n");

    CliResult dry = run("migrate", "run", "--accounts", csv.toString(), "--dry-run");
    assertThat(dry.code()).as(dry.out() + dry.err()).isZero();
    assertThat(dry.out()).contains(a + " -> " + a2 + ": 3 folders, 5 to copy")
        .contains(b + " -> " + b2 + ": 3 folders, 7 to copy");
    try (MailStore s = imap(a2)) {
      assertThat(s.scan(a2, FolderPath.INBOX).messages()).isEmpty();
    }

    CliResult r = run("migrate", "run", "--accounts", csv.toString(), "--parallel", "2");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("Migration done: 2 account(s), 0 failed");
    try (MailStore from = imap(b); MailStore to = imap(b2)) {
      assertThat(content(to, b2)).isEqualTo(content(from, b));
    }
  }

  @Test
  void aWrongPasswordFailsThatAccountWithOneLineAndTheRunCanBeRestarted() throws Exception {
    AccountId src = user("carl");
    populate(src, 3);
    Path wrong = Files.writeString(home.resolve("wrong"), "nope\n");
    Path vmail = Files.createDirectories(home.resolve("vmail"));
    CliResult r = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        wrong.toString(), "--target", "maildir:" + vmail + "?account=carl@new.example");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("mailops: " + src + " -> carl@new.example (line 0): ")
        .contains("mailops jobs restart ");
    CliResult bad = run("migrate", "run", "--source", imapUri(src));
    assertThat(bad.code()).isEqualTo(2);
  }

  @Test
  void insecureShouldWarnAndShareItsStateWithARunWithoutIt() throws Exception {
    AccountId src = user("dora");
    populate(src, 4);
    Path vmail = Files.createDirectories(home.resolve("vmail"));
    String target = "maildir:" + vmail + "?account=dora@new.example";

    CliResult first = run("migrate", "run", "--insecure", "--source", imapUri(src),
        "--source-password-file", pw.toString(), "--target", target);

    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.err()).contains("mailops: warning: --insecure: TLS certificates");
    assertThat(first.out()).contains("4 copied");
    CliResult again = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", target);
    assertThat(again.out()).as(again.err()).contains("0 copied, 4 skipped");
    assertThat(again.err()).doesNotContain("--insecure");
  }
}
