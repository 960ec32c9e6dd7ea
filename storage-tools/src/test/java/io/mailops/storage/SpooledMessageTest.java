package io.mailops.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

  @Test
  void aPooledMessageShouldReadAcrossItsPartsAndGoBackToItsPoolAfterItsLastHolder()
      throws IOException {
    byte[] bytes = new byte[10];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) ('a' + i);
    }
    byte[][] parts = {Arrays.copyOfRange(bytes, 0, 4), Arrays.copyOfRange(bytes, 4, 8),
        {bytes[8], bytes[9], 'x', 'y'}};
    List<byte[]> pool = new ArrayList<>();
    SpooledMessage m = SpooledMessage.pooled(parts, 10, pool::add);

    assertThat(m.size()).isEqualTo(10);
    try (InputStream in = m.open()) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    assertThat(out.toByteArray()).isEqualTo(bytes);

    m.retain();
    m.release();
    assertThat(pool).isEmpty(); // still held by whoever retained it
    m.close(); // closing leaves a message in memory alone
    try (InputStream in = m.handOver()) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    m.release();
    assertThat(pool).containsExactly(parts);
    assertThatThrownBy(m::open)
        .isInstanceOf(IllegalStateException.class);
    m.release(); // once more: nothing given back twice
    assertThat(pool).hasSize(3);
  }

  @Test
  void aSliceShouldReadOnlyItsBytesAndBeGivenBackOnceAfterItsLastHolder() throws IOException {
    byte[] shared = "xxhelloyy".getBytes(StandardCharsets.US_ASCII);
    List<byte[]> released = new ArrayList<>();
    SpooledMessage m = SpooledMessage.pooledSlice(shared, 2, 5, released::add);

    assertThat(m.size()).isEqualTo(5);
    try (InputStream in = m.open()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");

    m.retain();
    m.release();
    assertThat(released).isEmpty();
    m.release();
    assertThat(released).containsExactly(shared);
    assertThatThrownBy(m::open).isInstanceOf(IllegalStateException.class);
    m.release();
    assertThat(released).hasSize(1);
    assertThatThrownBy(() -> SpooledMessage.pooledSlice(shared, 5, 5, released::add))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMessageNotFromAPoolShouldIgnoreRetainAndRelease() throws IOException {
    byte[] bytes = "Subject: x\r\n\r\nbody\r\n".getBytes();
    SpooledMessage m = SpooledMessage.of(bytes);
    m.retain();
    m.release();
    m.release();
    try (InputStream in = m.open()) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void aPooledMessageShouldRefuseASizeItsPartsCannotHold() {
    assertThatThrownBy(() -> SpooledMessage.pooled(
        new byte[][] {new byte[4], new byte[4]}, 3, b -> { }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SpooledMessage.pooled(
        new byte[][] {new byte[4], new byte[4]}, 9, b -> { }))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
