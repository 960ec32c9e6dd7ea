package io.mailops.backup.ftp;

import io.mailops.backup.BackupTestStores;
import static io.mailops.backup.BackupTestStores.maildir;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.interop.InteropEnv;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FtpTarget} against the real vsftpd of {@code scripts/interop/vsftpd.sh start DIR} (plain
 * FTP and explicit FTPS). Every test writes below its own fresh directory in the FTP home.
 *
 * <p>The harness certificate has CN=127.0.0.1 and SAN IP:127.0.0.1, DNS:localhost, so hostname
 * verification stays on. The harness leaves vsftpd at TLS 1.2 and 1.3 unless VSFTPD_TLS_MAX is
 * set; FtpTarget asks for TLSv1.2 by default, which is what runs here.
 */
class VsftpdTargetIT {

  @TempDir Path tmp;

  Map<String, String> env;
  String runDir;

  @BeforeEach
  void readEnv() throws IOException {
    env = InteropEnv.read("vsftpd", "FTP_HOST", "FTP_PORT", "FTP_USER", "FTP_PASSWORD",
        "FTP_ROOT", "FTP_CERT");
    runDir = "it-" + UUID.randomUUID();
  }

  FtpSettings settings(String scheme) {
    return FtpSettings.parse(scheme + "://" + env.get("FTP_USER") + "@" + env.get("FTP_HOST")
            + ":" + env.get("FTP_PORT") + "/" + runDir)
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30))
        .withRetries(3, Duration.ofMillis(200));
  }

  FtpSettings ftps() {
    return settings("ftps").withCaFile(Path.of(env.get("FTP_CERT")));
  }

  FtpTarget.Password password() {
    return () -> env.get("FTP_PASSWORD").toCharArray();
  }

  Path payload(String name, int size, long seed) throws IOException {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Files.write(tmp.resolve(name), b);
  }

  static byte[] read(FtpTarget t, String name, long offset, long length) throws IOException {
    try (InputStream in = t.open(name, offset, length)) {
      return in.readAllBytes();
    }
  }

  void putListSizeAndRangedOpen(FtpSettings settings) throws IOException {
    putListSizeAndRangedOpen(new FtpTarget(settings, password()));
  }

  void putListSizeAndRangedOpen(FtpTarget target) throws IOException {
    byte[] big = Files.readAllBytes(payload("big.bin", 3 * 1024 * 1024, 3));
    byte[] small = Files.readAllBytes(payload("small.bin", 1234, 5));
    try (FtpTarget t = target) {
      t.put("set-1/example.com/alice/INBOX/messages.tar.zst", tmp.resolve("big.bin"));
      t.put("set-1/example.com/alice/INBOX/index.json", tmp.resolve("small.bin"));

      assertThat(t.list("")).containsExactly("set-1");
      assertThat(t.list("set-1")).containsExactly("example.com");
      assertThat(t.list("set-1/example.com/alice/INBOX"))
          .containsExactly("index.json", "messages.tar.zst");
      assertThat(t.list("set-1/no-such-dir")).isEmpty();
      assertThat(t.size("set-1/example.com/alice/INBOX/messages.tar.zst")).hasValue(big.length);
      assertThat(t.size("set-1/example.com/alice/INBOX/index.json")).hasValue(small.length);
      assertThat(t.size("set-1/missing.json")).isEmpty();
      assertThat(read(t, "set-1/example.com/alice/INBOX/messages.tar.zst", 1_000_000, 700_000))
          .isEqualTo(Arrays.copyOfRange(big, 1_000_000, 1_700_000));
      assertThat(read(t, "set-1/example.com/alice/INBOX/index.json", 0, -1)).isEqualTo(small);
    }
    Path onDisk = Path.of(env.get("FTP_ROOT"), runDir);
    assertThat(onDisk.resolve("set-1/example.com/alice/INBOX/messages.tar.zst"))
        .hasBinaryContent(big);
    assertThat(onDisk.resolve("set-1/example.com/alice/INBOX/index.json")).hasBinaryContent(small);
    try (var files = Files.walk(onDisk)) {
      assertThat(files.map(Path::toString)).noneMatch(p -> p.endsWith(".part"));
    }
  }

  @Test
  void explicitFtpsWithTheCaFileShouldRoundTripBigAndSmallFilesAndLeaveNoPartFile()
      throws Exception {
    putListSizeAndRangedOpen(ftps());
  }

  @Test
  void explicitFtpsWithChaCha20FirstShouldNegotiateItResumeOnDataConnectionsAndRoundTrip()
      throws Exception {
    FtpConnector chacha = new FtpConnector(ftps(), password(), true);
    org.apache.commons.net.ftp.FTPClient c = chacha.connect();
    try {
      // vsftpd (OpenSSL, ssl_ciphers=HIGH) takes the client's order
      assertThat(((SessionReusingFtpsClient) c).controlCipherSuite())
          .isEqualTo("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    } finally {
      FtpConnector.close(c);
    }
    // require_ssl_reuse=YES: every data connection resumes the session with its one suite
    putListSizeAndRangedOpen(new FtpTarget(ftps(), chacha));
    try (FtpTarget t = new FtpTarget(ftps(), password())) {
      t.delete("set-1"); // the round trip below wants an empty base directory
    }
    MaildirStore store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(1, 2, 15, 7),
        SampleGenerator.Listener.NONE);
    try (FtpTarget target = new FtpTarget(ftps(), new FtpConnector(ftps(), password(), true))) {
      BackupTestStores.assertFullRoundTrip(store, target, tmp);
    }
  }

  @Test
  void plainFtpShouldRoundTripBigAndSmallFilesAndLeaveNoPartFile() throws Exception {
    putListSizeAndRangedOpen(settings("ftp"));
  }

  @Test
  void fullBackupOverFtpsRestoredIntoAnEmptyRootShouldGiveIdenticalMessagesAndVerifyDeep()
      throws Exception {
    MaildirStore store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(1, 2, 15, 7),
        SampleGenerator.Listener.NONE);
    try (FtpTarget target = new FtpTarget(ftps(), password())) {
      BackupTestStores.assertFullRoundTrip(store, target, tmp);
    }
    try (var files = Files.walk(Path.of(env.get("FTP_ROOT"), runDir))) {
      assertThat(files.map(Path::toString)).noneMatch(p -> p.endsWith(".part"));
    }
  }
}
