package io.mailops.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotLockTest {

  @TempDir
  Path dir;

  @Test
  void lockFileExistsWhileHeldAndIsRemovedOnClose() throws Exception {
    Path lock = dir.resolve("dovecot-uidlist.lock");
    try (DotLock l = DotLock.acquire(lock, Duration.ofSeconds(120), Duration.ofSeconds(1), Clock.systemUTC(), "t")) {
      assertThat(lock).exists();
    }
    assertThat(lock).doesNotExist();
  }

  @Test
  void lockHeldByAnotherProgramTimesOutNamingTheLockFile() throws Exception {
    Path lock = Files.createFile(dir.resolve("mbox.lock"));
    assertThatThrownBy(() -> DotLock.acquire(lock, Duration.ofSeconds(120), Duration.ofMillis(200),
        Clock.systemUTC(), "mbox /var/mail/alice"))
        .isInstanceOf(MailStoreException.class)
        .hasMessageStartingWith("cannot lock mbox /var/mail/alice: " + lock + " is held");
    assertThat(lock).exists();
  }

  @Test
  void staleLockLeftByADeadProcessIsTakenOver() throws Exception {
    Path lock = Files.createFile(dir.resolve("x.lock"));
    Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(121)));
    try (DotLock l = DotLock.acquire(lock, Duration.ofSeconds(120), Duration.ZERO, Clock.systemUTC(), "t")) {
      assertThat(Files.getLastModifiedTime(lock).toInstant()).isAfter(Instant.now().minusSeconds(10));
    }
  }
}
