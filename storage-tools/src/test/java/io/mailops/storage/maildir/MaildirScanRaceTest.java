package io.mailops.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.FolderScan;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan while "the server" renames and flags the same messages loses and duplicates nothing. */
class MaildirScanRaceTest {

  static final AccountId ALICE = AccountId.of("alice@example.com");

  @TempDir
  Path root;

  @Test
  void scanWhileServerRenamesAndFlagsLosesAndDuplicatesNothing() throws Exception {
    MaildirFixture f = MaildirFixture.account(root, "example.com", "alice");
    int n = 300;
    for (int i = 0; i < n; i++) {
      f.message("", "new", "1700000000.M" + i + "P1.host,S=" + String.valueOf(i).length(),
          String.valueOf(i), Instant.ofEpochSecond(1_700_000_000L + i));
    }
    MaildirStore store = new MaildirStore(root, MaildirLayout.standard(), MaildirStore.Settings.defaults());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger renames = new AtomicInteger();
    Thread server = new Thread(() -> {
      SplittableRandom rnd = new SplittableRandom(7);
      String[] flagSets = {"", "S", "RS", "FS", "FRS"};
      while (!stop.get()) {
        int i = rnd.nextInt(n);
        String base = "1700000000.M" + i + "P1.host,S=" + String.valueOf(i).length();
        try {
          MaildirFolder.Located loc = new MaildirFolder(f.maildir(), FolderPath.INBOX, "t").find(base);
          if (loc == null) {
            continue;
          }
          Path from = f.maildir().resolve(loc.location());
          Path to = f.maildir().resolve("cur").resolve(base + ":2," + flagSets[rnd.nextInt(flagSets.length)]);
          if (!from.equals(to)) {
            Files.move(from, to);
            renames.incrementAndGet();
          }
        } catch (NoSuchFileException raced) {
          // fine
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    server.start();
    try {
      for (int round = 0; round < 30; round++) {
        FolderScan scan = store.scan(ALICE, FolderPath.INBOX);
        List<MessageRef> msgs = scan.messages();
        Set<String> keys = new HashSet<>();
        for (MessageRef m : msgs) {
          assertThat(keys.add(m.key().value())).as("listed twice: %s", m.key()).isTrue();
        }
        assertThat(msgs).hasSize(n);
        assertThat(scan.vanished()).isZero();
        for (MessageRef m : msgs.subList(0, 40)) {
          try (InputStream in = store.open(ALICE, m)) {
            String body = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(m.key().value()).startsWith("1700000000.M" + body + "P1");
          }
        }
      }
    } finally {
      stop.set(true);
      server.join();
    }
    assertThat(renames.get()).isGreaterThan(100);
  }
}
