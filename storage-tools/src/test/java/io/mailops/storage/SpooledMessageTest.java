package io.mailops.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SpooledMessageTest {

  private static long tempFiles() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("mailops-message-")).count();
    }
  }

  @Test
  void aSmallMessageShouldStayInMemoryAndBeReadableTwice() throws IOException {
    byte[] bytes = "Subject: x\r\n\r\nbody\r\n".getBytes();

    try (SpooledMessage m = SpooledMessage.read(new ByteArrayInputStream(bytes))) {
      assertThat(m.size()).isEqualTo(bytes.length);
      try (InputStream a = m.open(); InputStream b = m.open()) {
        assertThat(a.readAllBytes()).isEqualTo(bytes);
        assertThat(b.readAllBytes()).isEqualTo(bytes);
      }
    }
  }

  @Test
  void aLargeMessageShouldGoToATemporaryFileThatClosingTheHandedOverStreamDeletes()
      throws IOException {
    byte[] bytes = new byte[SpooledMessage.IN_MEMORY + 1000];
    Arrays.fill(bytes, (byte) 'a');
    long before = tempFiles();

    SpooledMessage m = SpooledMessage.read(new ByteArrayInputStream(bytes));
    assertThat(tempFiles()).isEqualTo(before + 1);
    try (InputStream in = m.handOver()) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }

    assertThat(m.size()).isEqualTo(bytes.length);
    assertThat(tempFiles()).isEqualTo(before);
  }
}
