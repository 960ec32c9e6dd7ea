package io.mailops.jobs.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code mailops migrate run --preserve-uids | --delete-source-after-verify |
 * --max-connections-per-host | --bytes-per-second} from GreenMail accounts, through the CLI.
 */
class MigrateRunOptionsTest extends MigrateCliFixture {

  @Test
  void preserveUidsIntoAMaildirWritesTheSourceUidsIntoDovecotUidlist() throws Exception {
    AccountId src = user("uids");
    populate(src, 6);
    Path vmail = Files.createDirectories(home.resolve("vmail"));
    String target = "maildir:" + vmail + "?account=uids@new.example";

    CliResult r = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", target, "--preserve-uids", "--max-connections-per-host", "2",
        "--bytes-per-second", "1000000");

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("6 copied").contains(", verified");
    AccountId dst = AccountId.of("uids@new.example");
    try (MailStore from = imap(src);
        MailStore to = MailStores.open("maildir:" + vmail, PasswordSource.NONE)) {
      for (FolderPath f : List.of(FolderPath.INBOX, FolderPath.of("Projekte/Übersicht"))) {
        Map<Long, String> want = new TreeMap<>();
        for (MessageRef m : from.scan(src, f).messages()) {
          want.put(m.uid().getAsLong(), new String(from.open(src, m).readAllBytes()));
        }
        Map<String, Long> uids = ((io.mailops.storage.maildir.MaildirStore) to)
            .uidsByBase(dst, f);
        Map<Long, String> got = new TreeMap<>();
        for (MessageRef m : to.scan(dst, f).messages()) {
          got.put(uids.get(m.key().value()), new String(to.open(dst, m).readAllBytes()));
        }
        assertThat(got).as(f.toString()).isEqualTo(want).isNotEmpty();
      }
    }
  }

  @Test
  void preserveUidsIntoImapIsRefusedWithOneLineAndExit1() throws Exception {
    AccountId src = user("uidimap");
    AccountId dst = user("uidimapdst");
    populate(src, 2);

    CliResult r = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", imapUri(dst), "--target-password-file", pw.toString(),
        "--preserve-uids");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines().filter(l -> l.contains("--preserve-uids")).toList()).hasSize(1)
        .allMatch(l -> l.contains(src + " -> " + dst)
            && l.contains("keeps UIDs only in a Maildir target"));
  }

  @Test
  void oneConnectionPerHostIsTooFewForSourceAndTargetOnTheSameServer() throws Exception {
    AccountId src = user("conn");
    AccountId dst = user("conndst");
    populate(src, 2);

    CliResult r = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", imapUri(dst), "--target-password-file", pw.toString(),
        "--max-connections-per-host", "1");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("needs 2 connections to 127.0.0.1 at once (source and target)"
        + " but --max-connections-per-host is 1; use 2 or more");
  }

  @Test
  void deleteSourceAfterVerifyEmptiesTheSourceFoldersOnlyWhenAsked() throws Exception {
    AccountId src = user("move");
    populate(src, 5);
    Path vmail = Files.createDirectories(home.resolve("vmail"));
    String target = "maildir:" + vmail + "?account=move@new.example";

    CliResult keep = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", target);
    assertThat(keep.code()).as(keep.out() + keep.err()).isZero();
    try (MailStore from = imap(src)) {
      assertThat(content(from, src)).hasSize(5);
    }

    CliResult dry = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", target, "--delete-source-after-verify", "--dry-run");
    assertThat(dry.code()).isNotZero();
    assertThat(dry.err()).contains("--delete-source-after-verify with --dry-run");

    CliResult move = run("migrate", "run", "--source", imapUri(src), "--source-password-file",
        pw.toString(), "--target", target, "--delete-source-after-verify");
    assertThat(move.code()).as(move.out() + move.err()).isZero();
    assertThat(move.out()).contains(src + ": 5 message(s) verified on the target and deleted"
        + " from the source");
    try (MailStore from = imap(src);
        MailStore to = MailStores.open("maildir:" + vmail, PasswordSource.NONE)) {
      assertThat(content(from, src)).isEmpty();
      assertThat(content(to, AccountId.of("move@new.example"))).hasSize(5);
    }
  }

  @Test
  void xoauth2TokenFilesLogInToSourceAndTargetWithAuthenticateXoauth2() throws Exception {
    AccountId src = user("oauth");
    AccountId dst = user("oauthdst");
    populate(src, 4);
    // GreenMail checks an XOAUTH2 token against the user's password
    Path token = Files.writeString(home.resolve("token"), SECRET + "\n");
    Path expired = Files.writeString(home.resolve("expired"), "ya29.expired\n");

    CliResult r = run("migrate", "run", "--source", imapUri(src), "--source-oauth2-token-file",
        token.toString(), "--target", imapUri(dst), "--target-oauth2-token-file",
        token.toString());

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("4 copied").contains(", verified");
    try (MailStore from = imap(src); MailStore to = imap(dst)) {
      assertThat(content(to, dst)).isEqualTo(content(from, src)).hasSize(4);
    }
    CliResult refused = run("migrate", "run", "--source", imapUri(src),
        "--source-oauth2-token-file", expired.toString(), "--target", imapUri(dst),
        "--target-oauth2-token-file", token.toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("as " + src + " with XOAUTH2: the server said")
        .contains("renew the access token in the token file");
    CliResult both = run("migrate", "run", "--source", imapUri(src), "--source-oauth2-token-file",
        token.toString(), "--source-password-file", pw.toString(), "--target", imapUri(dst),
        "--target-password-file", pw.toString());
    assertThat(both.code()).isNotZero();
    assertThat(both.err()).contains("--source-password-file and --source-oauth2-token-file are"
        + " both given; keep one");
  }

  @Test
  void threeAccountsInParallelOnOneServerWithTwoConnectionsAllowedRunOneAfterAnother()
      throws Exception {
    int port = GREENMAIL.getImap().getPort();
    StringBuilder csv = new StringBuilder("source_host,source_port,source_security,source_user,"
        + "source_password_file,target_host,target_port,target_security,target_user,"
        + "target_password\n");
    List<AccountId[]> pairs = new java.util.ArrayList<>();
    for (String name : List.of("lim-a", "lim-b", "lim-c")) {
      AccountId from = user(name);
      AccountId to = user(name + "-new");
      populate(from, 3);
      pairs.add(new AccountId[] {from, to});
      csv.append("127.0.0.1,").append(port).append(",none,").append(from).append(",pw,127.0.0.1,")
          .append(port).append(",none,").append(to).append(',').append(SECRET).append('\n');
    }
    Path file = Files.writeString(home.resolve("accounts.csv"), csv);

    CliResult r = run("migrate", "run", "--accounts", file.toString(), "--parallel", "3",
        "--max-connections-per-host", "2");

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("Migration done: 3 account(s), 0 failed");
    for (AccountId[] p : pairs) {
      try (MailStore from = imap(p[0]); MailStore to = imap(p[1])) {
        assertThat(content(to, p[1])).isEqualTo(content(from, p[0])).hasSize(3);
      }
    }
  }
}
