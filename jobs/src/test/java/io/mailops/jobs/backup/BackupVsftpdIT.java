package io.mailops.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.storage.interop.InteropEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin's night, from the {@code mailops} command against the harness's real vsftpd over
 * explicit FTPS (TLS 1.2, the harness CA, hostname verification on): full, incremental, list,
 * deep verify, restore of a domain into an empty Maildir root, a second restore adding nothing.
 */
class BackupVsftpdIT {

  @TempDir
  Path home;

  Map<String, String> ftp;
  Map<String, String> env = new HashMap<>();
  String target;

  @BeforeEach
  void setUp() throws Exception {
    ftp = InteropEnv.read("vsftpd", "FTP_HOST", "FTP_PORT", "FTP_USER", "FTP_PASSWORD", "FTP_CERT");
    env.put("MAILOPS_HOME", home.toString());
    env.put("HOME", home.toString());
    env.put("MAILOPS_FTP_PASSWORD", ftp.get("FTP_PASSWORD"));
    target = "ftps://" + ftp.get("FTP_USER") + "@" + ftp.get("FTP_HOST") + ":" + ftp.get("FTP_PORT")
        + "/cli-" + UUID.randomUUID();
    assertThat(run("storage", "sample", "--domains", "2", "--accounts", "2", "--messages", "40").code()).isZero();
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }

  CliResult backup(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--to";
    all[args.length + 1] = target;
    all[args.length + 2] = "--ca-file";
    all[args.length + 3] = ftp.get("FTP_CERT");
    return run(all);
  }

  @Test
  void fullIncrementalVerifyAndRestoreOverFtps() throws Exception {
    CliResult full = backup("backup", "run");
    assertThat(full.code()).as(full.err()).isZero();
    assertThat(full.out()).contains("-full-all on " + target);
    Path inbox = home.resolve("sample/example.com/alice/Maildir/new");
    Files.createDirectories(inbox);
    Files.writeString(inbox.resolve("1763790000.M1P1.it,S=61"),
        "Message-ID: <it-1@example.com>\r\nSubject: late\r\n\r\nhello ftps\r\n");
    Thread.sleep(1100);
    CliResult inc = backup("backup", "run");
    assertThat(inc.code()).as(inc.err()).isZero();
    assertThat(inc.out()).contains("-incremental-all").contains("(1 new in this set");

    CliResult list = backup("backup", "list");
    assertThat(list.out()).containsPattern("-full-all .* full ").containsPattern("-incremental-all .* incremental ");
    CliResult verify = backup("backup", "verify", "--deep");
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();

    Path other = home.resolve("restored");
    CliResult restore = backup("backup", "restore", "--scope", "example.com", "--into", "maildir:" + other);
    assertThat(restore.code()).as(restore.err()).isZero();
    assertThat(StoreSnapshot.of(other, a -> true))
        .isEqualTo(StoreSnapshot.of(home.resolve("sample"), a -> a.domain().equals("example.com")));
    CliResult again = backup("backup", "restore", "--scope", "example.com", "--into", "maildir:" + other);
    assertThat(again.out()).startsWith("Restored 0 message(s)");

    CliResult one = backup("backup", "restore", "--scope", "alice@example.com/INBOX", "--message-id",
        "it-1@example.com", "--into", "maildir:" + home.resolve("one"));
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(StoreSnapshot.of(home.resolve("one"), a -> true)).hasSize(1);
  }
}
