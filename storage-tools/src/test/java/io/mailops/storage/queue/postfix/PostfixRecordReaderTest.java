package io.mailops.storage.queue.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record layer on byte sequences built here, for cases a real Postfix rarely writes. */
class PostfixRecordReaderTest {

  @TempDir
  Path dir;

  /** rec_put(): type, length in 7-bit groups low first, data. */
  static void put(ByteArrayOutputStream out, char type, String data) {
    byte[] d = data.getBytes(StandardCharsets.ISO_8859_1);
    out.write(type);
    int len = d.length;
    do {
      int b = len & 0x7f;
      len >>>= 7;
      out.write(len != 0 ? b | 0x80 : b);
    } while (len != 0);
    out.writeBytes(d);
  }

  static String ptr(long offset) {
    return String.format("%15d", offset);
  }

  List<String> read(byte[] bytes) throws Exception {
    Path f = Files.write(dir.resolve("F" + System.nanoTime()), bytes);
    List<String> out = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(f)) {
      RecordReader r = new RecordReader(ch, bytes.length, f, new byte[64]);
      for (int t = r.next(); t != RecordReader.EOF; t = r.next()) {
        out.add((char) t + ":" + r.text());
        if (t == 'E') {
          break;   // as the queue file reader does: what follows E is reached only by pointers
        }
      }
    }
    return out;
  }

  @Test
  void lengthsAreSevenBitGroupsLowGroupFirst() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    put(out, 'L', "x".repeat(2048));
    byte[] b = out.toByteArray();
    assertThat(new byte[] {b[1], b[2]}).containsExactly(0x80, 0x10);   // as seen in real files
    assertThat(read(b)).containsExactly("L:" + "x".repeat(2048));
  }

  @Test
  void pointersAreFollowedPlaceholdersAndPaddingSkipped() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    put(out, 'S', "a@b");            // 0..4
    put(out, 'p', ptr(0));           // 5..21 placeholder
    put(out, 'w', " 0");             // 22..25 padding
    put(out, 'p', ptr(46));          // 26..42 -> 46
    put(out, 'E', "");               // 43..44
    out.write('?');                  // 45: garbage never read
    put(out, 'R', "c@d");            // 46..50
    put(out, 'p', ptr(43));          // back to E
    assertThat(read(out.toByteArray())).containsExactly("S:a@b", "R:c@d", "E:");
  }

  @Test
  void aPointerLoopIsReportedAfterTenThousandBackwardJumps() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    put(out, 'S', "a@b");
    put(out, 'p', ptr(5));           // at 5: points to itself
    assertThatThrownBy(() -> read(out.toByteArray())).isInstanceOf(DamagedQueueFileException.class)
        .hasMessageContaining("at offset 5: more than 10000 backward pointer jumps (a pointer loop)");
  }

  @Test
  void aRecordLongerThanTheRestOfTheFileIsATruncation() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    put(out, 'S', "a@b");
    put(out, 'N', "hello world");
    byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 4);
    assertThatThrownBy(() -> read(cut)).isInstanceOfSatisfying(DamagedQueueFileException.class, e -> {
      assertThat(e.offset()).isEqualTo(5);
      assertThat(e.what()).isEqualTo("record 'N' needs 11 bytes but the file ends 7 bytes later (truncated)");
    });
  }

  @Test
  void aLengthThatNeverEndsIsReported() {
    byte[] b = {'N', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
    assertThatThrownBy(() -> read(b)).isInstanceOf(DamagedQueueFileException.class)
        .hasMessageContaining("record 'N' has a length of more than 4 bytes");
  }

  @Test
  void aPointerThatIsNotANumberIsReported() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    put(out, 'p', "12abc");
    assertThatThrownBy(() -> read(out.toByteArray())).isInstanceOf(DamagedQueueFileException.class)
        .hasMessageContaining("pointer record holds '12abc', not an offset");
  }

  @Test
  void invalidUtf8BecomesQuestionMarks() {
    byte[] b = {'a', (byte) 0xff, 'b', (byte) 0xc3, (byte) 0xa9};
    assertThat(RecordReader.decode(b, 0, b.length)).isEqualTo("a?bé");
  }
}
