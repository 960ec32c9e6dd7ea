package io.mailops.reporting.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.store.JdbcSampleStore;
import io.mailops.reporting.store.TestDatabase;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following {@code mail.log} across restarts and logrotate's moves: every line is counted once.
 * Each test line is an smtpd connect, so {@code smtp.in.connections} counts the lines.
 */
class LogFollowerTest {

  @TempDir
  Path tmp;

  private int next;

  private String lines(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int k = next++;
      b.append(String.format("Feb  2 12:%02d:%02d mx1 postfix/smtpd[%d]: connect from c%d.example.net[192.0.2.%d]%n",
          k / 60 % 60, k % 60, 1000 + k, k, k % 250));
    }
    return b.toString();
  }

  private static void append(Path f, String s) throws Exception {
    Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static void gzip(Path from, Path to) throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
      Files.copy(from, out);
    }
    Files.delete(from);
  }

  private static double counted(JdbcSampleStore store) throws Exception {
    return store.total("smtp.in.connections", ScopeRef.SERVER);
  }

  private Collector collector(JdbcSampleStore store, Path log) {
    return CollectorTest.collector(store, List.of(log), false, false);
  }

  @Test
  void aRestartShouldContinueFromTheSavedOffsetAndLeaveAHalfWrittenLineForLater() throws Exception {
    Path log = tmp.resolve("mail.log");
    JdbcSampleStore store = TestDatabase.store();
    append(log, lines(5));
    assertThat(collector(store, log).collectOnce().lines()).isEqualTo(5);

    String more = lines(3);
    int cut = more.length() - 10;
    append(log, more.substring(0, cut));   // the writer is in the middle of the third line
    assertThat(collector(store, log).collectOnce().lines()).isEqualTo(2);
    append(log, more.substring(cut));
    assertThat(collector(store, log).collectOnce().lines()).isEqualTo(1);
    assertThat(collector(store, log).collectOnce().lines()).isZero();

    assertThat(counted(store)).isEqualTo(8);
  }

  @Test
  void rotationShouldFinishTheRotatedFileThenReadTheNewOne() throws Exception {
    Path log = tmp.resolve("mail.log");
    Path log1 = tmp.resolve("mail.log.1");
    Path log2gz = tmp.resolve("mail.log.2.gz");
    JdbcSampleStore store = TestDatabase.store();
    Collector c = collector(store, log);

    append(log, lines(4));
    c.collectOnce();
    append(log, lines(3));                 // written before the rotation, not read yet
    Files.move(log, log1);                 // logrotate: mail.log -> mail.log.1 (same inode)
    append(log, lines(2));                 // the new mail.log
    Collector.Result r = c.collectOnce();
    assertThat(r.lines()).isEqualTo(5);
    assertThat(r.warnings()).isEmpty();

    append(log, lines(6));
    Files.move(log1, tmp.resolve("mail.log.2"));
    gzip(tmp.resolve("mail.log.2"), log2gz);   // mail.log.1 -> mail.log.2.gz
    Files.move(log, log1);                      // mail.log -> mail.log.1
    append(log, lines(1));
    assertThat(c.collectOnce().lines()).isEqualTo(7);

    append(log, lines(2));
    Path rotated = tmp.resolve("mail.log.0");
    Files.move(log, rotated);
    gzip(rotated, tmp.resolve("mail.log.1.gz"));   // rotated and compressed at once: a new inode
    append(log, lines(3));
    Collector fresh = collector(store, log);        // and the collector restarted meanwhile
    assertThat(fresh.collectOnce().lines()).isEqualTo(5);

    assertThat(counted(store)).isEqualTo(next);
    assertThat(fresh.collectOnce().lines()).isZero();
  }

  @Test
  void copytruncateShouldFinishTheCopyThenReadTheTruncatedFileFromItsStart() throws Exception {
    Path log = tmp.resolve("mail.log");
    JdbcSampleStore store = TestDatabase.store();
    append(log, lines(5));
    collector(store, log).collectOnce();
    append(log, lines(2));                           // not read before the rotation
    Files.copy(log, tmp.resolve("mail.log.1"));      // logrotate copytruncate: copy, then truncate
    Files.writeString(log, lines(3));                // same inode, new content

    Collector.Result r = collector(store, log).collectOnce();

    assertThat(r.lines()).isEqualTo(5);
    assertThat(r.warnings()).isEmpty();
    assertThat(counted(store)).isEqualTo(10);
  }

  @Test
  void aTruncatedLogWithoutItsCopyShouldBeAWarningAndReadFromItsStart() throws Exception {
    Path log = tmp.resolve("mail.log");
    JdbcSampleStore store = TestDatabase.store();
    append(log, lines(5));
    collector(store, log).collectOnce();
    Files.writeString(log, lines(2));

    Collector.Result r = collector(store, log).collectOnce();

    assertThat(r.lines()).isEqualTo(2);
    assertThat(r.warnings()).singleElement().asString().contains("truncated");
    assertThat(counted(store)).isEqualTo(7);
  }

  @Test
  void aRotationBeforeTheNewFileExistsShouldFinishTheRotatedFileAlone() throws Exception {
    Path log = tmp.resolve("mail.log");
    JdbcSampleStore store = TestDatabase.store();
    Collector c = collector(store, log);
    append(log, lines(3));
    c.collectOnce();
    append(log, lines(2));
    Files.move(log, tmp.resolve("mail.log.1"));

    assertThat(c.collectOnce().lines()).isEqualTo(2);
    append(log, lines(4));
    assertThat(c.collectOnce().lines()).isEqualTo(4);
    assertThat(counted(store)).isEqualTo(9);
  }

  @Test
  void aRotatedFileThatIsGoneShouldBeAWarningAndTheNewFileStillRead() throws Exception {
    Path log = tmp.resolve("mail.log");
    JdbcSampleStore store = TestDatabase.store();
    append(log, lines(3));
    collector(store, log).collectOnce();
    append(log, lines(2));
    Files.delete(log);
    append(log, lines(4));

    Collector.Result r = collector(store, log).collectOnce();

    assertThat(r.lines()).isEqualTo(4);
    assertThat(r.warnings()).singleElement().asString().contains("was rotated").contains("--from-logs");
    assertThat(counted(store)).isEqualTo(7);
  }
}
