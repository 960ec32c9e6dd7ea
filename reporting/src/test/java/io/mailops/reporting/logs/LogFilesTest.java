package io.mailops.reporting.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

  @TempDir
  Path tmp;

  private static String line(int i) {
    return String.format("Feb  2 12:%02d:%02d mx1 postfix/qmgr[900]: %010X: removed", i / 60 % 60, i % 60, i);
  }

  @Test
  void eventsComeInLineOrderAcrossFilesAndBatches() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      lines.add(line(i));
    }
    Path gz = tmp.resolve("mail.log.1.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write((String.join("\r\n", lines.subList(0, 3000)) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    Path plain = Files.writeString(tmp.resolve("mail.log"), String.join("\n", lines.subList(3000, 5000)));
    List<String> ids = new ArrayList<>();
    long n = LogFiles.forEachEvent(List.of(gz, plain), new LogLineParser(LocalDate.of(2025, 3, 1)),
        e -> ids.add(((LogEvent.Removed) e).queueId()));
    assertThat(n).isEqualTo(5000);
    assertThat(ids).hasSize(5000);
    for (int i = 0; i < 5000; i += 999) {
      assertThat(ids.get(i)).isEqualTo(String.format("%010X", i));
    }
  }

  @Test
  void eventsParsedOnSeveralThreadsComeInLineOrderLikeOnOne() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      lines.add(i % 7 == 3 ? "garbage line " + i : line(i));
    }
    Path f = Files.writeString(tmp.resolve("mail.log"), String.join("\n", lines) + "\n");
    LocalDate ref = LocalDate.of(2025, 3, 1);
    List<LogEvent> one = new ArrayList<>();
    LogFiles.forEachEvent(List.of(f), new LogLineParser(ref), one::add);
    List<LogEvent> three = new ArrayList<>();
    long n = LogFiles.forEachEvent(List.of(f), () -> new LogLineParser(ref), 3, three::add);
    assertThat(n).isEqualTo(20_000);
    assertThat(three).isEqualTo(one);
    assertThat(three.get(3)).isEqualTo(new LogEvent.Unparsed(null, "garbage line 3"));
    assertThat(((LogEvent.Removed) three.get(19_999)).queueId()).isEqualTo(String.format("%010X", 19_999));
  }

  @Test
  void nonAsciiLinesAreDecodedAsUtf8() throws Exception {
    Path f = Files.writeString(tmp.resolve("mail.log"), "Feb  2 12:00:00 mx1 postfix/qmgr[900]: 1A2B3C4D5E: "
        + "from=<jürgen@example.org>, size=10, nrcpt=1 (queue active)\n", StandardCharsets.UTF_8);
    List<LogEvent> events = new ArrayList<>();
    LogFiles.forEachEvent(List.of(f), new LogLineParser(LocalDate.of(2025, 3, 1)), events::add);
    assertThat(((LogEvent.Queued) events.get(0)).from()).isEqualTo("jürgen@example.org");
  }

  @Test
  void aFailingHandlerStopsTheReadingWithItsException() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 50000; i++) {
      lines.add(line(i));
    }
    Path f = Files.write(tmp.resolve("mail.log"), lines);
    int[] seen = {0};
    assertThatThrownBy(() -> LogFiles.forEachEvent(List.of(f), new LogLineParser(LocalDate.of(2025, 3, 1)), e -> {
      if (++seen[0] == 10) {
        throw new IOException("stop here");
      }
    })).hasMessage("stop here");
    assertThat(seen[0]).isEqualTo(10);
  }
}
