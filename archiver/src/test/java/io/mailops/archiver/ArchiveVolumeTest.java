package io.mailops.archiver;

import static io.mailops.archiver.Mails.ALICE;
import static io.mailops.archiver.Mails.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.archiver.VerifyReport.Kind;
import io.mailops.archiver.index.ArchiveIndex;
import io.mailops.storage.memory.InMemoryMailStore;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveVolumeTest {

  static final Instant MARCH = Instant.parse("2026-03-10T10:00:00Z");
  static final Instant APRIL = Instant.parse("2026-04-10T10:00:00Z");
  static final Instant MAY = Instant.parse("2026-05-03T10:00:00Z");

  @TempDir
  Path tmp;

  final MutableClock clock = new MutableClock();
  final InMemoryMailStore store = InMemoryMailStore.of(ALICE);

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    Instant now = MARCH;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  Path dir() {
    return tmp.resolve("archive");
  }

  Archive init() throws IOException {
    return Archive.init(dir(), PASSWORD, Mails.options(clock));
  }

  Archive open() throws IOException {
    return Archive.open(dir(), PASSWORD, Mails.options(clock));
  }

  /** Adds messages to the store and ingests them at {@code when}. */
  List<byte[]> ingest(Archive a, Instant when, int from, int n) throws IOException {
    clock.now = when;
    List<byte[]> mails = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      byte[] m = i % 2 == 0 ? Mails.withAttachment("month " + i, "r.pdf", Mails.random(800, i))
          : Mails.plain(i);
      mails.add(m);
      Mails.append(store, ALICE, FolderPath.INBOX, m);
    }
    a.ingest(store, "maildir", IngestListener.NONE);
    return mails;
  }

  static ArchiveIndex.SearchRequest all() {
    return new ArchiveIndex.SearchRequest(List.of(), ArchiveIndex.Match.ALL, null, null, 1000);
  }

  static List<String> ids(Archive a, Archive.Database db) throws IOException {
    return a.search(db, all()).stream().map(ArchiveIndex.Hit::id).toList();
  }

  /** The Lucene commit point ({@code segments_N}) of the index in {@code dir}. */
  static Path segments(Path dir) throws Exception {
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst()
          .orElseThrow();
    }
  }

  static void flip(Path file, long offset) throws IOException {
    byte[] b = Files.readAllBytes(file);
    int at = (int) (offset < 0 ? b.length + offset : offset);
    b[at] ^= 0x20;
    Files.write(file, b);
  }

  static List<Kind> kinds(VerifyReport r) {
    return r.problems().stream().map(VerifyReport.Problem::kind).toList();
  }

  @Test
  void sealShouldMoveOldMailIntoOneVolumeAndRestoreShouldMakeItSearchableAgain()
      throws Exception {
    List<String> march;
    List<byte[]> marchMails;
    try (Archive a = init()) {
      marchMails = ingest(a, MARCH, 0, 6);
      march = ids(a, Archive.Database.CURRENT);
      ingest(a, APRIL, 6, 4);

      VolumeInfo v = a.seal(Instant.parse("2026-04-01T00:00:00Z")).orElseThrow();

      assertThat(v.id()).isEqualTo("V000001");
      assertThat(v.count()).isEqualTo(6);
      assertThat(v.from()).isEqualTo(MARCH);
      assertThat(v.status()).isEqualTo(VolumeInfo.Status.INTACT);
      assertThat(Files.size(dir().resolve("volumes/V000001.vol"))).isEqualTo(v.bytes());
      assertThat(Files.readString(dir().resolve("archive.json")))
          .startsWith("{\"format\":1,\"kdf\":\"argon2id\",\"salt\":")
          .contains("\"volumes\":[{\"id\":\"V000001\",\"from\":\"2026-03-10T10:00:00Z\"");
      assertThat(a.currentCount()).isEqualTo(4);
      assertThat(ids(a, Archive.Database.CURRENT)).hasSize(4).doesNotContainAnyElementsOf(march);
      assertThatThrownBy(() -> a.message(march.get(0))).isInstanceOf(ArchiveException.class)
          .hasMessageContaining("restore it");
      assertThat(a.seal(Instant.parse("2026-04-01T00:00:00Z"))).isEmpty();
      assertThat(a.verify(null, true).problems()).isEmpty();
    }
    try (Archive a = open()) {
      assertThat(a.volumes()).singleElement().satisfies(v -> {
        assertThat(v.status()).isEqualTo(VolumeInfo.Status.INTACT);
        assertThat(v.restored()).isFalse();
      });
      IngestResult again = a.ingest(store, "maildir", IngestListener.NONE);
      assertThat(again.alreadyIngested()).isEqualTo(10);
      assertThat(again.stored()).isZero();

      a.restoreVolume("V000001");

      assertThat(ids(a, Archive.Database.SEARCH)).containsExactlyInAnyOrderElementsOf(march);
      assertThat(a.volumes().get(0).restored()).isTrue();
      for (byte[] m : marchMails) {
        String id = march.stream().filter(x -> {
          try {
            return a.record(x).size() == m.length && java.util.Arrays.equals(a.message(x), m);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }).findFirst().orElseThrow();
        assertThat(a.record(id).seq()).isBetween(1L, 6L);
      }
      assertThat(a.verify(null, true).problems()).isEmpty();
      assertThat(a.verify("V000001", true).messages()).isEqualTo(6);

      a.resetSearch();

      assertThat(ids(a, Archive.Database.SEARCH)).isEmpty();
      assertThat(a.restoredVolumes()).isEmpty();
    }
  }

  @Test
  void rolloverShouldSealEachFinishedMonthIntoItsOwnVolume() throws Exception {
    try (Archive a = init()) {
      ingest(a, MARCH, 0, 3);
      ingest(a, APRIL, 3, 2);
      clock.now = MAY;
      ingest(a, MAY, 5, 1);

      List<VolumeInfo> made = a.rollover(new RolloverPolicy(RolloverPolicy.Period.MONTHLY, 0));

      assertThat(made).extracting(VolumeInfo::count).containsExactly(3L, 2L);
      assertThat(a.currentCount()).isEqualTo(1);
      assertThat(a.rollover(new RolloverPolicy(RolloverPolicy.Period.MONTHLY, 0))).isEmpty();
      assertThat(a.rollover(new RolloverPolicy(RolloverPolicy.Period.NONE, 10))).hasSize(1);
      assertThat(a.currentCount()).isZero();
      assertThat(a.volumes()).hasSize(3);
      assertThat(a.verify(null, true).problems()).isEmpty();
    }
  }

  @Test
  void aFlippedByteInABlobShouldBeNamedWithItsMessage() throws Exception {
    try (Archive a = init()) {
      ingest(a, MARCH, 0, 4);
    }
    Path blob;
    try (Stream<Path> s = Files.walk(dir().resolve("current/blobs"))) {
      blob = s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
    }
    flip(blob, 40);
    try (Archive a = open()) {
      VerifyReport r = a.verify(null, true);

      assertThat(r.problems()).anySatisfy(p -> {
        assertThat(p.kind()).isEqualTo(Kind.BLOB_CORRUPT);
        assertThat(p.subject()).isEqualTo(blob.getFileName().toString());
      });
      assertThat(kinds(r)).contains(Kind.MODIFIED);
      String id = r.problems().stream().filter(p -> p.kind() == Kind.MODIFIED).findFirst()
          .orElseThrow().subject();
      assertThatThrownBy(() -> a.message(id)).isInstanceOf(ArchiveException.class)
          .hasMessageContaining("verify");
    }
  }

  @Test
  void aFlippedByteInAnIndexFileShouldBeNamed() throws Exception {
    try (Archive a = init()) {
      ingest(a, MARCH, 0, 3);
    }
    Path f = segments(dir().resolve("current/index"));
    flip(f, 10);
    try (Archive a = open()) {
      assertThat(a.verify(null, false).problems()).first().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(Kind.INDEX_FILE_CHANGED);
        assertThat(p.subject()).isEqualTo(f.toString());
      });
    }
    Files.writeString(f, "not an index");
    try (Archive a = open()) {
      assertThat(kinds(a.verify(null, false))).contains(Kind.INDEX_FILE_CHANGED);
      assertThatThrownBy(() -> ids(a, Archive.Database.CURRENT))
          .isInstanceOf(ArchiveException.class).hasMessageContaining("does not open");
    }
  }

  @Test
  void aFlippedByteAnywhereInAVolumeFileShouldBeDetected() throws Exception {
    try (Archive a = init()) {
      ingest(a, MARCH, 0, 4);
      a.seal(APRIL).orElseThrow();
    }
    Path vol = dir().resolve("volumes/V000001.vol");
    byte[] good = Files.readAllBytes(vol);
    for (long at : new long[] {0, 20, good.length / 3, good.length / 2, good.length - 200,
        good.length - 20, good.length - 1}) {
      Files.write(vol, good);
      flip(vol, at);
      try (Archive a = open()) {
        VerifyReport r = a.verify("V000001", false);

        assertThat(r.intact()).as("flip at %d", at).isFalse();
        assertThat(kinds(r)).as("flip at %d", at).contains(Kind.VOLUME_CORRUPT);
      }
    }
    Files.write(vol, good);
    flip(vol, good.length / 3);
    try (Archive a = open()) {
      assertThat(a.verify(null, false).problems()).extracting(VerifyReport.Problem::subject)
          .anyMatch(s -> s.startsWith("blob/") || s.startsWith("index/")
              || s.equals("records.json"));
    }
    Files.delete(vol);
    try (Archive a = open()) {
      assertThat(a.volumes().get(0).status()).isEqualTo(VolumeInfo.Status.MISSING);
      assertThat(kinds(a.verify(null, false))).containsExactly(Kind.VOLUME_MISSING);
    }
  }

  @Test
  void aFlippedByteInARestoredIndexFileShouldBeNamed() throws Exception {
    try (Archive a = init()) {
      ingest(a, MARCH, 0, 3);
      a.seal(APRIL).orElseThrow();
      a.restoreVolume("V000001");
    }
    flip(segments(dir().resolve("search/V000001")), 5);
    try (Archive a = open()) {
      assertThat(a.verify(null, false).problems()).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(Kind.INDEX_FILE_CHANGED);
        assertThat(p.where()).isEqualTo("search");
      });
    }
  }

  @Test
  void aDamagedJournalShouldBeReportedAndStopIngest() throws Exception {
    try (Archive a = init()) {
      ingest(a, MARCH, 0, 5);
    }
    flip(dir().resolve("current/journal"), 100);
    try (Archive a = open()) {
      assertThat(kinds(a.verify(null, false))).contains(Kind.STATE_CORRUPT, Kind.MISSING);
      assertThatThrownBy(() -> a.ingest(store, "maildir", IngestListener.NONE))
          .isInstanceOf(ArchiveException.class).hasMessageContaining("damaged");
    }
  }

  @Test
  void aSealCutShortAfterTheVolumeWasRecordedShouldBeFinishedOnOpen() throws Exception {
    try (Archive a = init()) {
      ingest(a, MARCH, 0, 4);
      ingest(a, APRIL, 4, 2);
    }
    Path saved = tmp.resolve("saved");
    ArchiveIngestTest.copyTree(dir().resolve("current"), saved);
    try (Archive a = open()) {
      a.seal(Instant.parse("2026-04-01T00:00:00Z")).orElseThrow();
    }
    Archive.deleteTree(dir().resolve("current"));
    ArchiveIngestTest.copyTree(saved, dir().resolve("current"));

    try (Archive a = open()) {
      assertThat(a.currentCount()).isEqualTo(2);
      assertThat(ids(a, Archive.Database.CURRENT)).hasSize(2);
      assertThat(a.verify(null, true).problems()).isEmpty();
      assertThat(a.ingest(store, "maildir", IngestListener.NONE).alreadyIngested()).isEqualTo(6);
    }
  }

  @Test
  void messagesCutFromTheEndOfTheJournalShouldStayReportedMissing() throws Exception {
    try (Archive a = init()) {
      ingest(a, MARCH, 0, 5);
    }
    Path journal = dir().resolve("current/journal");
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(journal));
    for (int i = 0; i < 2; i++) {
      b.position(b.position() + 4 + b.getInt(b.position()));
    }
    Files.write(journal, java.util.Arrays.copyOf(b.array(), b.position()));

    for (int run = 0; run < 2; run++) {
      try (Archive a = open()) {
        VerifyReport r = a.verify(null, false);
        assertThat(kinds(r)).containsExactly(Kind.MISSING, Kind.ADDED);
        assertThat(r.problems().get(0).subject()).isEqualTo("seq 3..5");
      }
    }
  }
}
