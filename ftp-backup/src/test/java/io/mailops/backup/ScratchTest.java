package io.mailops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.backup.local.LocalDirectoryTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {

  @TempDir Path tmp;

  static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  @Test
  void bytesUpToTheLimitShouldStayInMemoryAndTheArrayGoBackToThePool() throws Exception {
    Queue<byte[]> pool = new ConcurrentLinkedQueue<>();
    byte[] data = random(700_000);
    Scratch s = new Scratch(pool, 1_000_000, tmp);
    for (int off = 0; off < data.length; off += 100_000) {
      s.write(data, off, 100_000);
    }
    s.close();

    assertThat(s.file()).isNull();
    assertThat(s.length()).isEqualTo(data.length);
    assertThat(Arrays.copyOf(s.bytes(), s.length())).isEqualTo(data);
    byte[] array = s.bytes();
    s.release();
    assertThat(pool).containsExactly(array);
    // the next one reuses it and starts empty
    Scratch again = new Scratch(pool, 1_000_000, tmp);
    assertThat(again.bytes()).isSameAs(array);
    assertThat(again.length()).isZero();
  }

  @Test
  void bytesPastTheLimitShouldMoveToAFileThatReleaseDeletes() throws Exception {
    Queue<byte[]> pool = new ConcurrentLinkedQueue<>();
    byte[] data = random(700_000);
    Scratch s = new Scratch(pool, 300_000, tmp);
    for (int off = 0; off < data.length; off += 70_000) {
      s.write(data, off, 70_000);
    }
    s.write(42);
    s.close();

    Path file = s.file();
    assertThat(file).isNotNull().hasParent(tmp);
    byte[] want = Arrays.copyOf(data, data.length + 1);
    want[data.length] = 42;
    assertThat(Files.readAllBytes(file)).isEqualTo(want);
    assertThat(pool).hasSize(1); // its array went back when it moved to the file
    s.release();
    assertThat(file).doesNotExist();
  }

  @Test
  void aLocalTargetShouldStoreTheFirstLengthBytesOfAnArray() throws Exception {
    byte[] data = random(10_000);
    LocalDirectoryTarget t = new LocalDirectoryTarget(tmp.resolve("target"));
    t.write("set-1/example.com/alice/INBOX/messages.tar.zst", data, 6_000);

    assertThat(Files.readAllBytes(tmp.resolve("target/set-1/example.com/alice/INBOX/messages.tar.zst")))
        .isEqualTo(Arrays.copyOf(data, 6_000));
    assertThat(t.list("set-1/example.com/alice/INBOX")).containsExactly("messages.tar.zst");
  }

  @Test
  void aForwardingTargetShouldSendBytesInMemoryThroughItsFileWrite() throws Exception {
    byte[] data = random(5_000);
    java.util.List<String> seen = new java.util.ArrayList<>();
    BackupTarget t = new ForwardingBackupTarget(new LocalDirectoryTarget(tmp.resolve("t"))) {
      @Override
      public void write(String name, Path source) throws java.io.IOException {
        seen.add(name + " " + Files.size(source));
        super.write(name, source);
      }
    };
    t.write("set-1/a/messages.tar.zst", data, 4_000);

    assertThat(seen).containsExactly("set-1/a/messages.tar.zst 4000");
    assertThat(Files.readAllBytes(tmp.resolve("t/set-1/a/messages.tar.zst")))
        .isEqualTo(Arrays.copyOf(data, 4_000));
  }
}
