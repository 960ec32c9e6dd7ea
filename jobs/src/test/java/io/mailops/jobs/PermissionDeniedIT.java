package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mailops.storage.maildir.MaildirFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unreadable Maildir, met by the packaged {@code mailops} run as an unprivileged user: one
 * line naming the directory and the fix, exit code 1, no stack trace.
 */
class PermissionDeniedIT {

  @TempDir
  Path tmp;

  @Test
  void unreadableMaildirGivesOneLineNamingItAndTheFix() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run mailops as nobody");
    Path jar = Path.of("target/mailops.jar").toAbsolutePath();
    assertThat(jar).exists();
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path app = Files.createDirectories(tmp.resolve("app/lib"));
    Files.copy(jar, app.getParent().resolve("mailops.jar"));
    try (Stream<Path> libs = Files.list(jar.resolveSibling("lib"))) {
      for (Path l : libs.toList()) {
        Files.copy(l, app.resolve(l.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    Path store = tmp.resolve("vmail");
    MaildirFixture alice = MaildirFixture.account(store, "example.com", "alice");
    alice.message("", "cur", "1.M1P1.vm:2,S", "x", Instant.now());
    for (Path p : List.of(store, store.resolve("example.com"), store.resolve("example.com/alice"))) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.setPosixFilePermissions(alice.maildir(), PosixFilePermissions.fromString("rwx------"));

    Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", javaBin(), "-jar",
        app.getParent().resolve("mailops.jar").toString(), "storage", "usage", "--storage", "maildir:" + store)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(tmp.resolve("err").toFile())
        .start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(err).isEqualTo(1);
    assertThat(err.lines().toList()).as(err).hasSize(1);
    assertThat(err).contains(alice.maildir().toString()).contains("permission denied")
        .contains("run as the mail user");
  }

  private static String javaBin() throws IOException {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
