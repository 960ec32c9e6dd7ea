package io.mailops.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.jobs.MailOpsCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup to FTP that the server refuses part-way fails naming the file; {@code mailops jobs
 * restart} or a plain re-run completes the same set without uploading finished folders again.
 */
class BackupRestartTest {

  @TempDir
  Path home;

  RefusingFtpServer ftp;
  Map<String, String> env = new HashMap<>();
  Path pw;

  @BeforeEach
  void setUp() throws Exception {
    ftp = new RefusingFtpServer(home);
    env.put("MAILOPS_HOME", home.toString());
    env.put("HOME", home.toString());
    pw = Files.writeString(home.resolve("ftp.pw"), RefusingFtpServer.PASSWORD + "\n");
    StringWriter out = new StringWriter();
    assertThat(MailOpsCli.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), env,
        false, "storage", "sample", "--domains", "2", "--accounts", "2", "--messages", "20")).isZero();
  }

  @AfterEach
  void tearDown() {
    ftp.close();
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }

  CliResult backup() {
    return run("backup", "run", "--to", ftp.uri("/sets"), "--password-file", pw.toString());
  }

  @Test
  void refusedUploadFailsNamingTheFileAndJobsRestartFinishesWithoutReuploading() throws Exception {
    ftp.refuse = "example.org/";
    CliResult failed = backup();
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.err()).startsWith("mailops: backup of all to " + ftp.uri("/sets") + " failed: ")
        .contains("example.org/").contains("mailops jobs restart ");
    Map<String, Integer> before = ftp.uploadsEndingIn("messages.tar.zst");
    assertThat(before).isNotEmpty().allSatisfy((k, v) -> assertThat(k).contains("/example.com/"));
    Matcher id = Pattern.compile("mailops jobs restart (\\d+)").matcher(failed.err());
    assertThat(id.find()).isTrue();
    CliResult history = run("jobs", "history", "backup");
    assertThat(history.out()).containsPattern(id.group(1) + "\\s+backup\\s+FAILED");

    ftp.refuse = null;
    CliResult restart = run("jobs", "restart", id.group(1));
    assertThat(restart.code()).as(restart.out() + restart.err()).isZero();
    assertThat(restart.out()).contains("backup: COMPLETED");

    Map<String, Integer> after = ftp.uploadsEndingIn("messages.tar.zst");
    assertThat(after).containsAllEntriesOf(before).allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
    assertThat(after.keySet()).anySatisfy(k -> assertThat(k).contains("/example.org/"));
    assertThat(run("backup", "verify", "--deep", "--to", ftp.uri("/sets"), "--password-file",
        pw.toString()).code()).isZero();
    try (var s = Files.list(ftp.home().resolve("sets"))) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).hasSize(1)
          .allSatisfy(n -> assertThat(n).matches("\\d{8}T\\d{6}Z-full-all"));
    }
  }

  @Test
  void theFtpPasswordComesFromNetrcWhenNoFileIsGiven() throws Exception {
    Path netrc = Files.writeString(home.resolve(".netrc"),
        "machine 127.0.0.1 login backup password " + RefusingFtpServer.PASSWORD + "\n");
    Files.setPosixFilePermissions(netrc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    CliResult open = run("backup", "list", "--to", ftp.uri("/sets"));
    assertThat(open.code()).isEqualTo(1);
    assertThat(open.err()).contains(".netrc").contains("chmod 600");

    Files.setPosixFilePermissions(netrc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    CliResult ok = run("backup", "list", "--to", ftp.uri("/sets"));
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("No complete backup sets on " + ftp.uri("/sets"));

    Files.delete(netrc);
    CliResult none = run("backup", "list", "--to", ftp.uri("/sets"));
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("no FTP password for backup@127.0.0.1: give --password-file FILE,"
        + " set MAILOPS_FTP_PASSWORD, or add 'machine 127.0.0.1 login backup password …' to ~/.netrc");
  }

  @Test
  void aPlainReRunContinuesTheInterruptedSet() throws Exception {
    ftp.refuse = "example.org/";
    assertThat(backup().code()).isEqualTo(1);
    ftp.refuse = null;

    CliResult again = backup();

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("continuing the interrupted set ");
    assertThat(ftp.uploadsEndingIn("messages.tar.zst")).allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
    CliResult history = run("jobs", "history", "backup");
    assertThat(history.out()).containsPattern("backup\\s+COMPLETED").containsPattern("backup\\s+FAILED");
  }
}
