package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.backup.ftp.FtpSettings;
import io.mailops.backup.ftp.FtpTarget;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data training's FTPS server must serve what a real restore reads, over TLS checked
 * the way a user's is (CA file, host name): otherwise the restore archive silently lacks the TLS
 * and FTP classes it is made for.
 */
class TrainingFtpsServerTest {

  @TempDir Path tmp;

  @Test
  void ftpTargetWithTheCaFileAndHostnameVerificationShouldListSizeAndReadRanges() throws Exception {
    byte[] bytes = new byte[100_000];
    new Random(7).nextBytes(bytes);
    Path set = Files.createDirectories(tmp.resolve("root/backups/20261122T000000Z-full-all"));
    Files.write(set.resolve("manifest.json"), bytes);
    Path ca = tmp.resolve("ca.pem");
    try (TrainingFtpsServer server = new TrainingFtpsServer(tmp.resolve("root"), ca)) {
      FtpSettings s = FtpSettings.parse("ftps://training@127.0.0.1:" + server.port() + "/backups")
          .withCaFile(ca);
      assertThat(s.verifyHostname()).isTrue();
      try (FtpTarget t = new FtpTarget(s, "pw"::toCharArray)) {
        assertThat(t.list("")).containsExactly("20261122T000000Z-full-all");
        assertThat(t.size("20261122T000000Z-full-all/manifest.json")).hasValue(bytes.length);
        assertThat(t.size("20261122T000000Z-full-all/missing.json")).isEmpty();
        try (InputStream in = t.open("20261122T000000Z-full-all/manifest.json", 0, -1)) {
          assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (InputStream in = t.open("20261122T000000Z-full-all/manifest.json", 5000, 300)) {
          assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 5000, 5300));
        }
      }
    }
  }
}
