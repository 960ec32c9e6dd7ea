package io.mailops.jobs.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code mailops migrate run|status|report|verify} from GreenMail IMAP accounts into Maildir and IMAP. */
class MigrateCommandTest extends MigrateCliFixture {

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
