package io.mailops.backup.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.backup.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FtpTargetTest {

  static final FtpTarget.Password PASSWORD = () -> FtpTestServer.PASSWORD.toCharArray();

  @TempDir Path tmp;

  Path payload(int size) throws IOException {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return Files.write(tmp.resolve("payload-" + size + ".bin"), b);
  }

  static FtpSettings fast(FtpSettings s) {
    return s.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .withRetries(3, Duration.ofMillis(50));
  }

  static byte[] read(FtpTarget t, String name, long offset, long length) throws IOException {
    try (InputStream in = t.open(name, offset, length)) {
      return in.readAllBytes();
    }
  }

  void roundTrip(FtpTestServer server, FtpSettings settings) throws IOException {
    roundTrip(server, new FtpTarget(settings, PASSWORD));
  }

  void roundTrip(FtpTestServer server, FtpTarget target) throws IOException {
    Path src = payload(200_000);
    byte[] bytes = Files.readAllBytes(src);
    try (FtpTarget t = target) {
      t.put("set-1/example.com/alice/INBOX/messages.tar.zst", src);
      t.put("set-1/top.json", src);

      assertThat(t.list("")).containsExactly("set-1");
      assertThat(t.list("set-1")).containsExactly("example.com", "top.json");
      assertThat(t.list("set-1/example.com/alice/INBOX")).containsExactly("messages.tar.zst");
      assertThat(t.list("no-such-dir")).isEmpty();
      assertThat(t.size("set-1/top.json")).hasValue(bytes.length);
      assertThat(t.size("set-1/missing.json")).isEmpty();
      assertThat(read(t, "set-1/top.json", 0, -1)).isEqualTo(bytes);
      assertThat(read(t, "set-1/top.json", 1000, 5000))
          .isEqualTo(Arrays.copyOfRange(bytes, 1000, 6000));
      assertThat(read(t, "set-1/top.json", 150_000, -1))
          .isEqualTo(Arrays.copyOfRange(bytes, 150_000, bytes.length));
      assertThat(read(t, "set-1/example.com/alice/INBOX/messages.tar.zst", 7, 1))
          .containsExactly(bytes[7]);
    }
    try (var files = Files.walk(server.home())) {
      assertThat(files.map(Path::toString)).noneMatch(p -> p.endsWith(".part"));
    }
    assertThat(Files.readAllBytes(server.home().resolve("backups/set-1/top.json")))
        .isEqualTo(bytes);
  }

  @Test
  void plainFtpPutListSizeAndRangedOpenShouldRoundTripTheBytesAndLeaveNoPartFile()
      throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1)) {
      roundTrip(server, fast(FtpSettings.parse(server.uri("backup", "/backups"))));
      assertThat(server.count("RNFR")).isEqualTo(2);
      assertThat(server.count("SIZE")).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void explicitFtpsWithTheServersCaFileShouldRoundTripTheBytesWithHostnameVerification()
      throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), true, -1)) {
      FtpSettings s = fast(FtpSettings.parse(server.uri("backup", "/backups")))
          .withCaFile(server.caPem());
      assertThat(s.verifyHostname()).isTrue();
      assertThat(s.tlsProtocols()).containsExactly("TLSv1.2");
      roundTrip(server, s);
      assertThat(server.count("AUTH")).isPositive();
      assertThat(server.count("PROT")).isPositive();
    }
  }

  @Test
  void explicitFtpsWithChaCha20FirstShouldNegotiateItAndRoundTripTheBytes() throws Exception {
    String chacha = "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
    // a server that takes only ChaCha20-Poly1305 (the JDK's server prefers its own order)
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), true, -1, false,
        "ip:127.0.0.1,dns:localhost", new String[] {chacha})) {
      FtpSettings s = fast(FtpSettings.parse(server.uri("backup", "/backups")))
          .withCaFile(server.caPem());
      FtpConnector connector = new FtpConnector(s, PASSWORD, true);
      org.apache.commons.net.ftp.FTPClient c = connector.connect();
      try {
        assertThat(((SessionReusingFtpsClient) c).controlCipherSuite()).isEqualTo(chacha);
      } finally {
        FtpConnector.close(c);
      }
      // data connections in both directions over the lightweight ChaCha20-Poly1305
      roundTrip(server, new FtpTarget(s, connector));
      // without it the JDK's crypto has no ChaCha20 suite for Bouncy Castle's TLS
      try (FtpTarget t = new FtpTarget(s, new FtpConnector(s, PASSWORD, false))) {
        assertThatThrownBy(() -> t.size("x")).isInstanceOf(FtpRefusedException.class)
            .hasMessageContaining("TLS");
      }
    }
  }

  @Test
  void aJvmStoppingAtC1ShouldBeToldFromItsOptionsTheLastOneWinning() {
    assertThat(SessionReusingFtpsClient.c1Only(java.util.List.of("-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "-jar", "mailops.jar", "backup", "run"))).isTrue();
    assertThat(SessionReusingFtpsClient.c1Only(java.util.List.of("-XX:TieredStopAtLevel=1",
        "-XX:TieredStopAtLevel=4", "-jar", "mailops.jar"))).isFalse();
    assertThat(SessionReusingFtpsClient.c1Only(java.util.List.of(
        "-XX:CompilationMode=quick-only", "-cp", "x.jar", "Main"))).isTrue();
    assertThat(SessionReusingFtpsClient.c1Only(java.util.List.of("-jar", "mailops.jar",
        "-XX:TieredStopAtLevel=1"))).isFalse();
    assertThat(SessionReusingFtpsClient.c1Only(java.util.List.of())).isFalse();
  }

  @Test
  void chaChaFirstShouldMoveOnlyTheChaChaSuitesToTheFrontKeepingTheOrder() {
    assertThat(SessionReusingFtpsClient.chachaFirst(new String[] {"A_GCM", "X_CHACHA20_POLY1305_1",
        "B_GCM", "Y_CHACHA20_POLY1305_2"})).containsExactly("X_CHACHA20_POLY1305_1",
        "Y_CHACHA20_POLY1305_2", "A_GCM", "B_GCM");
  }

  @Test
  void explicitFtpsToAServerWhoseCertificateNamesAnotherHostShouldFailUnlessVerificationIsOff()
      throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), true, -1, false,
        "dns:backup.example.invalid")) {
      FtpSettings s = fast(FtpSettings.parse(server.uri("backup", "/backups")))
          .withCaFile(server.caPem());
      try (FtpTarget t = new FtpTarget(s, PASSWORD)) {
        assertThatThrownBy(() -> t.size("x")).isInstanceOf(FtpRefusedException.class)
            .hasMessageContaining("TLS").hasMessageContaining("CA file");
      }
      assertThat(server.count("USER")).isZero();
      roundTrip(server, s.withVerifyHostname(false));
    }
  }

  @Test
  void explicitFtpsWithoutTheCaFileShouldFailAtOnceNamingTheCaFileOption() throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), true, -1);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/b"))),
            PASSWORD)) {
      assertThatThrownBy(() -> t.size("x")).isInstanceOf(FtpRefusedException.class)
          .hasMessageContaining("TLS").hasMessageContaining("CA file");
    }
  }

  @Test
  void uploadRefusedByTheServerShouldFailAtOnceNamingTheRemoteFileAndTheReply() throws Exception {
    Path src = payload(1000);
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("reader", "/backups"))),
            PASSWORD)) {
      assertThatThrownBy(() -> t.put("set-1/top.json", src))
          .isInstanceOf(FtpRefusedException.class)
          .hasMessageContaining("/backups/set-1/top.json.part")
          .hasMessageContaining("550")
          .hasMessageNotContaining("\n");
      assertThat(server.count("STOR")).isEqualTo(1);
    }
  }

  @Test
  void wrongPasswordShouldFailAtOnceNamingTheUser() throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/b"))),
            () -> "wrong".toCharArray())) {
      assertThatThrownBy(() -> t.list("")).isInstanceOf(FtpRefusedException.class)
          .hasMessageContaining("login of backup");
      assertThat(server.count("PASS")).isEqualTo(1);
    }
  }

  @Test
  void aConnectionOpenedAheadShouldServeTheFirstOperationWithOneLogin() throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), true, -1)) {
      Files.createDirectories(server.home().resolve("backups/set-1"));
      Files.writeString(server.home().resolve("backups/set-1/top.json"), "{}");
      FtpSettings s = fast(FtpSettings.parse(server.uri("backup", "/backups")))
          .withCaFile(server.caPem());
      try (FtpTarget t = new FtpTarget(s, PASSWORD)) {
        t.connectAhead();
        t.connectAhead(); // one is under way: no second one
        assertThat(t.list("")).containsExactly("set-1");
        assertThat(read(t, "set-1/top.json", 0, -1)).isEqualTo("{}".getBytes());
      }
      assertThat(server.count("USER")).isEqualTo(1);
      assertThat(server.count("AUTH")).isEqualTo(1);
    }
  }

  @Test
  void aRefusedLoginAheadShouldFailTheFirstOperationAtOnceWithoutASecondLogin() throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/b"))),
            () -> "wrong".toCharArray())) {
      t.connectAhead();
      assertThatThrownBy(() -> t.list("")).isInstanceOf(FtpRefusedException.class)
          .hasMessageContaining("login of backup");
      assertThat(server.count("PASS")).isEqualTo(1);
    }
  }

  @Test
  void dataConnectionDroppedMidUploadShouldBeResumedWithRestAndEndComplete() throws Exception {
    Path src = payload(300_000);
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, 65_536);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/backups"))),
            PASSWORD)) {
      t.put("set-1/big.tar.zst", src);

      assertThat(server.drops.get()).isEqualTo(1);
      assertThat(server.count("REST")).isEqualTo(1);
      assertThat(Files.readAllBytes(server.home().resolve("backups/set-1/big.tar.zst")))
          .isEqualTo(Files.readAllBytes(src));
      assertThat(t.list("set-1")).containsExactly("big.tar.zst");
      assertThat(server.home().resolve("backups/set-1/big.tar.zst.part")).doesNotExist();
    }
  }

  @Test
  void bytesInMemoryDroppedMidUploadShouldBeResumedWithRestFromTheRightOffset() throws Exception {
    byte[] bytes = Files.readAllBytes(payload(300_000));
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, 65_536)) {
      server.dropSuffix = ".tar.zst";
      try (FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/backups"))),
          PASSWORD)) {
        // only the first 250,000 bytes of the array are the file
        t.write("set-1/INBOX/messages.tar.zst", bytes, 250_000);

        assertThat(server.drops.get()).isEqualTo(1);
        assertThat(server.count("REST")).isEqualTo(1);
        assertThat(server.count("RNFR")).isZero();
        assertThat(t.size("set-1/INBOX/messages.tar.zst")).hasValue(250_000);
      }
      assertThat(Files.readAllBytes(server.home().resolve("backups/set-1/INBOX/messages.tar.zst")))
          .isEqualTo(Arrays.copyOf(bytes, 250_000));
    }
  }

  @Test
  void controlConnectionKilledMidUploadShouldReconnectResumeAndEndComplete() throws Exception {
    Path src = payload(300_000);
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, 65_536, true);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/backups"))),
            PASSWORD)) {
      t.put("set-1/big.tar.zst", src);

      assertThat(server.drops.get()).isEqualTo(1);
      assertThat(server.count("PASS")).isEqualTo(2);
      assertThat(server.count("REST")).isEqualTo(1);
      assertThat(Files.readAllBytes(server.home().resolve("backups/set-1/big.tar.zst")))
          .isEqualTo(Files.readAllBytes(src));
      assertThat(server.home().resolve("backups/set-1/big.tar.zst.part")).doesNotExist();
    }
  }

  @Test
  void missingFileShouldFailOnOpenNamingIt() throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/backups"))),
            PASSWORD)) {
      assertThatThrownBy(() -> t.open("set-1/none.tar.zst", 0, -1))
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("/backups/set-1/none.tar.zst").hasMessageContaining("missing");
    }
  }

  @Test
  void unsafeNamesShouldBeRefusedBeforeAnythingIsSent() throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/backups"))),
            PASSWORD)) {
      assertThatThrownBy(() -> t.size("../etc/passwd")).isInstanceOf(IOException.class)
          .hasMessageContaining("unsafe name");
      assertThatThrownBy(() -> t.put("/abs", payload(1))).isInstanceOf(IOException.class)
          .hasMessageContaining("unsafe name");
      assertThat(server.count("USER")).isZero();
    }
  }

  static void tree(Path base) throws IOException {
    Files.createDirectories(base.resolve("set-1/example.com/alice/INBOX"));
    Files.createDirectories(base.resolve("set-1/empty"));
    Files.writeString(base.resolve("set-1/manifest.json"), "{}");
    Files.writeString(base.resolve("set-1/example.com/alice/INBOX/manifest.json"), "{}");
    Files.writeString(base.resolve("set-1/example.com/alice/INBOX/messages.tar.zst.part"), "x");
    Files.createDirectories(base.resolve("set-2"));
    Files.writeString(base.resolve("set-2/manifest.json"), "{}");
  }

  void deleteShouldRemoveTreesAndFilesAndIgnoreAbsentNames(boolean withMlsd) throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/backups"))),
            PASSWORD)) {
      if (!withMlsd) {
        server.unimplemented.addAll(java.util.List.of("MLSD", "MLST"));
      }
      Path base = server.home().resolve("backups");
      tree(base);

      t.delete("set-2/manifest.json");
      t.delete("set-1");
      t.delete("set-3");
      t.delete("set-2/none/deeper.json");

      assertThat(base.resolve("set-1")).doesNotExist();
      assertThat(base.resolve("set-2")).isEmptyDirectory();
      assertThat(t.list("")).containsExactly("set-2");
      assertThat(server.count("RMD")).isGreaterThanOrEqualTo(5);
      if (withMlsd) {
        assertThat(server.count("MLSD")).isGreaterThanOrEqualTo(5);
      } else {
        assertThat(server.count("MLSD")).isEqualTo(1);
        assertThat(server.count("NLST")).isGreaterThanOrEqualTo(5);
      }

      // a directory deleted on the server can be written again through the same target
      t.put("set-1/manifest.json", payload(10));
      assertThat(base.resolve("set-1/manifest.json")).hasSize(10);
    }
  }

  @Test
  void deleteWithMlsdShouldRemoveTreesIncludingPartFilesAndIgnoreAbsentNames() throws Exception {
    deleteShouldRemoveTreesAndFilesAndIgnoreAbsentNames(true);
  }

  @Test
  void deleteOnAServerWithoutMlsdShouldRemoveTreesWithNlstAndIgnoreAbsentNames()
      throws Exception {
    deleteShouldRemoveTreesAndFilesAndIgnoreAbsentNames(false);
  }

  @Test
  void deleteRefusedByTheServerShouldFailNamingTheRemoteFileAndTheReply() throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("reader", "/backups"))),
            PASSWORD)) {
      tree(server.home().resolve("backups"));

      // Apache FtpServer answers "450 No permission" (transient), so it is retried; a 550 (vsftpd)
      // gives an FtpRefusedException at once
      assertThatThrownBy(() -> t.delete("set-2"))
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("refused deletion of /backups/set-2/manifest.json")
          .hasMessageContaining("450")
          .hasMessageNotContaining("\n");
      assertThat(server.count("DELE")).isEqualTo(3 * 2);
      assertThat(server.home().resolve("backups/set-2/manifest.json")).exists();
    }
  }

  @Test
  void deleteOfAnUnsafeNameShouldBeRefusedBeforeAnythingIsSent() throws Exception {
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget t = new FtpTarget(fast(FtpSettings.parse(server.uri("backup", "/backups"))),
            PASSWORD)) {
      assertThatThrownBy(() -> t.delete("set-1/../..")).isInstanceOf(IOException.class)
          .hasMessageContaining("unsafe name");
      assertThat(server.count("USER")).isZero();
    }
  }
}
