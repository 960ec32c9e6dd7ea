package io.mailops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import io.mailops.backup.local.LocalDirectoryTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarFramesTest {

  static final Instant MTIME = Instant.parse("2026-11-22T04:00:00Z");

  @TempDir Path tmp;

  /** Names and sizes that exercise padding, empty entries, PAX long and non-ASCII names. */
  static List<byte[]> contents() {
    Random r = new Random(4);
    List<byte[]> out = new ArrayList<>();
    for (int size : new int[] {0, 1, 511, 512, 513, 70_000, 300_001}) {
      byte[] b = new byte[size];
      for (int i = 0; i < size; i++) {
        b[i] = (byte) ('a' + r.nextInt(20));
      }
      out.add(b);
    }
    return out;
  }

  static String name(int i) {
    return i == 5 ? "1795322870.M672819P31892Q47370.vm" + "x".repeat(120)
        : i == 6 ? "1795322870.M1P2.h\u00e9te,S=300001" : "1795322870.M" + i + "P2.vm";
  }

  @Test
  void entriesFromBytesShouldDecompressToTheSameTarAsEntriesFromStreams() throws IOException {
    List<byte[]> contents = contents();
    Path fromBytes = tmp.resolve("bytes.tar.zst");
    Path fromStreams = tmp.resolve("streams.tar.zst");
    List<long[]> framesB = new ArrayList<>();
    String sha;
    try (TarFrames.Packer packer = new TarFrames.Packer()) {
      TarFrames t = TarFrames.create(fromBytes, null, null, packer);
      try (t) {
        for (int i = 0; i < contents.size(); i++) {
          byte[] c = contents.get(i);
          // an offset into a bigger buffer, as the backup's reused read buffer
          byte[] buf = new byte[c.length + 7];
          System.arraycopy(c, 0, buf, 3, c.length);
          framesB.add(t.add(name(i), buf, 3, c.length, MTIME));
        }
      }
      sha = t.fileSha256();
    }
    try (TarFrames t = TarFrames.create(fromStreams)) {
      for (int i = 0; i < contents.size(); i++) {
        byte[] c = contents.get(i);
        t.add(name(i), new ByteArrayInputStream(c), c.length, MTIME);
      }
    }
    assertThat(decompress(fromBytes)).isEqualTo(decompress(fromStreams));
    assertThat(sha).isEqualTo(sha(Files.readAllBytes(fromBytes)));
    assertThat(framesB.get(0)[0]).isZero();
    for (int i = 1; i < framesB.size(); i++) {
      assertThat(framesB.get(i)[0]).isEqualTo(framesB.get(i - 1)[0] + framesB.get(i - 1)[1]);
    }

    // and each frame alone gives back its message
    LocalDirectoryTarget target = new LocalDirectoryTarget(tmp);
    for (int i = 0; i < contents.size(); i++) {
      long[] f = framesB.get(i);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      String got = TarFrames.copyEntry(target,
          new Location("s", "bytes.tar.zst", name(i), f[0], f[1]), out);
      assertThat(out.toByteArray()).isEqualTo(contents.get(i));
      assertThat(got).isEqualTo(sha(contents.get(i)));
    }
  }

  @Test
  void entriesPackedInPlaceIntoAScratchShouldBeByteForByteTheFileOfEntriesFromBytes()
      throws IOException {
    List<byte[]> contents = contents();
    Path fromBytes = tmp.resolve("bytes.tar.zst");
    List<long[]> want = new ArrayList<>();
    String wantSha;
    try (TarFrames.Packer packer = new TarFrames.Packer()) {
      TarFrames t = TarFrames.create(fromBytes, null, null, packer);
      try (t) {
        for (int i = 0; i < contents.size(); i++) {
          byte[] c = contents.get(i);
          want.add(t.add(name(i), c, 0, c.length, MTIME));
        }
      }
      wantSha = t.fileSha256();
    }
    // in memory (frames compressed straight into the scratch array), then past its limit (the
    // scratch moves to a file half-way): the same bytes, frames and SHA-256 either way
    for (int limit : new int[] {4 << 20, 200_000}) {
      java.util.Queue<byte[]> pool = new java.util.concurrent.ConcurrentLinkedQueue<>();
      pool.add(new byte[1024]); // a small pooled array: the scratch grows it
      Scratch scratch = new Scratch(pool, limit, tmp);
      List<long[]> got = new ArrayList<>();
      String gotSha;
      try (TarFrames.Packer packer = new TarFrames.Packer()) {
        TarFrames t = TarFrames.create(scratch, null, "s/x/messages.tar.zst", packer);
        try (t) {
          for (int i = 0; i < contents.size(); i++) {
            byte[] c = contents.get(i);
            // the content after the header room, junk around it: it must be overwritten
            byte[] buf = new byte[TarFrames.inPlaceLength(c.length) + 3];
            java.util.Arrays.fill(buf, (byte) 'J');
            System.arraycopy(c, 0, buf, TarFrames.HEADER_ROOM, c.length);
            got.add(t.addInPlace(name(i), buf, c.length, MTIME));
          }
        }
        gotSha = t.fileSha256();
      }
      byte[] stored = scratch.file() != null ? Files.readAllBytes(scratch.file())
          : java.util.Arrays.copyOf(scratch.bytes(), scratch.length());
      assertThat(scratch.file() != null).isEqualTo(limit == 200_000);
      assertThat(stored).isEqualTo(Files.readAllBytes(fromBytes));
      assertThat(gotSha).isEqualTo(wantSha);
      for (int i = 0; i < want.size(); i++) {
        assertThat(got.get(i)).containsExactly(want.get(i));
      }
      scratch.release();
    }
  }

  @Test
  void anArrayTooShortForTheTarPaddingShouldBeRefused() throws IOException {
    try (TarFrames t = TarFrames.create(tmp.resolve("short.tar.zst"))) {
      byte[] buf = new byte[TarFrames.HEADER_ROOM + 10];
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.addInPlace("m", buf, 10, MTIME))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 1024");
    }
  }

  @Test
  void aPackerShouldBeReusableAcrossFiles() throws IOException {
    byte[] msg = "Message-ID: <a@b>\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
    try (TarFrames.Packer packer = new TarFrames.Packer()) {
      for (int n = 0; n < 3; n++) {
        Path p = tmp.resolve("t" + n + ".tar.zst");
        try (TarFrames t = TarFrames.create(p, null, null, packer)) {
          t.add("m" + n, msg, 0, msg.length, MTIME);
        }
        assertThat(decompress(p).length).isEqualTo(512 + 512 + 1024);
      }
    }
  }

  @Test
  void entriesWithAPlainHeaderShouldBeByteForByteWhatCommonsCompressWrites() throws IOException {
    // names around the 100-byte limit of a ustar name field, sizes around the octal limits
    String[] names = {"a", "1795322870.M1P2.vm", "n".repeat(99), "n".repeat(100), "n".repeat(101),
        "with space,S=12", "\u00e9"};
    byte[] msg = "Message-ID: <a@b>\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
    for (String n : names) {
      for (Instant t : new Instant[] {MTIME, Instant.EPOCH, Instant.parse("2200-01-01T00:00:00Z")}) {
        Path viaBytes = tmp.resolve("b.tar.zst");
        Path viaStream = tmp.resolve("s.tar.zst");
        try (TarFrames f = TarFrames.create(viaBytes)) {
          f.add(n, msg, 0, msg.length, t);
        }
        try (TarFrames f = TarFrames.create(viaStream)) {
          f.add(n, new ByteArrayInputStream(msg), msg.length, t);
        }
        assertThat(decompress(viaBytes)).as("%s at %s", n, t).isEqualTo(decompress(viaStream));
      }
    }
    // a sub-second mtime: whole seconds in the tar (the manifest keeps the exact date)
    Path p = tmp.resolve("ns.tar.zst");
    try (TarFrames f = TarFrames.create(p)) {
      f.add("m", msg, 0, msg.length, MTIME.plusNanos(123_456_789));
    }
    try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            new ZstdInputStream(Files.newInputStream(p)))) {
      var e = tar.getNextEntry();
      assertThat(e.getName()).isEqualTo("m");
      assertThat(e.getSize()).isEqualTo(msg.length);
      assertThat(e.getLastModifiedTime().toInstant()).isEqualTo(MTIME);
      assertThat(tar.readAllBytes()).isEqualTo(msg);
      assertThat(tar.getNextEntry()).isNull();
    }
  }

  @Test
  void theMessageIdShouldComeFromTheHeaderOnly() throws IOException {
    for (String nl : new String[] {"\r\n", "\n", "\r"}) {
      String m = "Subject: x" + nl + "Message-Id:" + nl + " <folded@example.com>" + nl
          + "To: a@b" + nl + nl + "Message-ID: <body@example.com>" + nl;
      byte[] b = ("xx" + m).getBytes(StandardCharsets.ISO_8859_1);
      assertThat(Backup.messageId(b, 2, b.length - 2)).as(nl).isEqualTo("<folded@example.com>");
      String noId = "Subject: x" + nl + nl + "Message-ID: <body@example.com>" + nl;
      byte[] c = noId.getBytes(StandardCharsets.ISO_8859_1);
      assertThat(Backup.messageId(c, 0, c.length)).as(nl).isNull();
      assertThat(Backup.headerLength(c, 0, c.length)).as(nl).isEqualTo(10 + 2 * nl.length());
    }
    byte[] headerOnly = "Message-ID: <h@example.com>".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(Backup.messageId(headerOnly, 0, headerOnly.length)).isEqualTo("<h@example.com>");
  }

  static byte[] decompress(Path p) throws IOException {
    try (InputStream in = new ZstdInputStream(Files.newInputStream(p))) {
      return in.readAllBytes();
    }
  }

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
