package io.mailops.storage.interop;

import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The private Dovecot started by {@code scripts/interop/dovecot.sh start DIR}, found through
 * {@code MAILOPS_INTEROP_DIR}: its {@code DIR/dovecot.env}, {@code doveadm} against its config,
 * and its log file.
 */
record DovecotEnv(String imapHost, int imapPort, Path vmail, Path conf, Path log,
    List<String> users, String password, int mailUid, int mailGid) {


  /** Output of a finished {@code doveadm} run. */
  record Doveadm(String stdout, String stderr) {}

  /** Reads {@code $MAILOPS_INTEROP_DIR/dovecot.env}; fails with a one-line how-to if it is missing. */
  static DovecotEnv load() throws IOException {
    Map<String, String> kv = InteropEnv.read("dovecot", "IMAP_HOST", "IMAP_PORT", "VMAIL", "DOVECOT_CONF",
        "DOVECOT_LOG", "USERS", "PASSWORD", "MAIL_UID", "MAIL_GID");
    return new DovecotEnv(kv.get("IMAP_HOST"), Integer.parseInt(kv.get("IMAP_PORT")),
        Path.of(kv.get("VMAIL")), Path.of(kv.get("DOVECOT_CONF")), Path.of(kv.get("DOVECOT_LOG")),
        List.of(kv.get("USERS").split(",")), kv.get("PASSWORD"),
        Integer.parseInt(kv.get("MAIL_UID")), Integer.parseInt(kv.get("MAIL_GID")));
  }

  /** Where Dovecot keeps the Maildir of an account ({@code mail_location}). */
  Path maildir(AccountId account) {
    return DovecotServer.maildir(vmail, account);
  }

  /** Runs {@code doveadm -c CONF args...}, feeding {@code stdin}; fails unless it exits 0. */
  Doveadm doveadm(byte[] stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("doveadm", "-c", conf.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      in.write(stdin);
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("doveadm " + String.join(" ", args) + " did not finish in 30 s");
    }
    Doveadm result = new Doveadm(new String(out.join(), StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
    if (p.exitValue() != 0) {
      throw new IOException("doveadm " + String.join(" ", args) + " exited " + p.exitValue() + ": "
          + result.stderr().strip());
    }
    return result;
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return ("(unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The current end of Dovecot's log, to read only what a test adds after it. */
  long logOffset() throws IOException {
    return Files.size(log);
  }

  /** The log lines written after {@code offset}. */
  List<String> logSince(long offset) throws IOException {
    return DovecotServer.linesSince(log, offset);
  }

  /**
   * Waits (at most {@code max}) until the log shows an IMAP logout of {@code user} after
   * {@code offset} and then stays unchanged for 200 ms (Dovecot's log process writes
   * asynchronously), and returns the lines added since {@code offset}.
   */
  List<String> logAfterLogout(long offset, String user, Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long size = -1;
    while (true) {
      List<String> lines = logSince(offset);
      boolean loggedOut = lines.stream()
          .anyMatch(l -> l.contains("imap(" + user + ")") && l.contains("Disconnected"));
      long now = Files.size(log);
      if ((loggedOut && now == size) || System.nanoTime() > deadline) {
        return lines;
      }
      size = now;
      Thread.sleep(200);
    }
  }
}
