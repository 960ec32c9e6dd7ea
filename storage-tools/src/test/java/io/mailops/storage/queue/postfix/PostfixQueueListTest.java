package io.mailops.storage.queue.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing the real queue files a real Postfix 3.7 wrote (see PostfixQueueFixture). */
class PostfixQueueListTest {

  @TempDir
  Path dir;

  PostfixQueue queue;
  Map<String, QueuedMessage> byScenario;

  @BeforeEach
  void setUp() throws Exception {
    PostfixQueueFixture.copyTo(dir);
    queue = PostfixQueue.at(dir, Clock.fixed(PostfixQueueFixture.firstArrival(), ZoneOffset.UTC), 1);
    QueueListing all = queue.list(QueueName.SHOWQ);
    Map<String, QueuedMessage> byId = all.messages().stream()
        .collect(Collectors.toMap(m -> m.id().value(), Function.identity()));
    byScenario = PostfixQueueFixture.ids().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> byId.get(e.getValue())));
  }

  /** postqueue -j's line format (showq_json.c), to compare whole objects. */
  static String postqueueJson(QueuedMessage m) {
    StringBuilder b = new StringBuilder("{\"queue_name\": \"").append(m.queue().dir())
        .append("\", \"queue_id\": \"").append(m.id()).append("\", \"arrival_time\": ")
        .append(m.arrival().getEpochSecond()).append(", \"message_size\": ").append(m.messageSize())
        .append(", \"forced_expire\": ").append(m.forcedExpire()).append(", \"sender\": \"")
        .append(quote(m.sender().isEmpty() ? "MAILER-DAEMON" : m.sender())).append("\", \"recipients\": [");
    String sep = "";
    for (QueuedRecipient r : m.showqRecipients()) {
      b.append(sep).append("{\"address\": \"").append(quote(r.address())).append('"');
      if (!r.reason().isEmpty()) {
        b.append(", \"delay_reason\": \"").append(quote(r.reason())).append('"');
      }
      b.append('}');
      sep = ", ";
    }
    return b.append("]}").toString();
  }

  private static String quote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Test
  void listingHasTheSameObjectsAsPostqueueJsonOnTheSameQueue() throws Exception {
    List<String> ours = queue.list(QueueName.SHOWQ).messages().stream().map(PostfixQueueListTest::postqueueJson).toList();
    assertThat(ours).containsExactlyInAnyOrderElementsOf(PostfixQueueFixture.expected("postqueue-j.jsonl"));
  }

  @Test
  void listingIsOrderedByQueueAsPostqueueOrdersThemThenByArrival() throws Exception {
    List<QueueName> order = queue.list(QueueName.SHOWQ).messages().stream().map(QueuedMessage::queue).distinct().toList();
    assertThat(order).containsExactly(QueueName.MAILDROP, QueueName.DEFERRED, QueueName.HOLD);
  }

  @Test
  void partialDeliveryShowsTheDoneRecipientAndTheDeferredOnesWithTheirDsnStatus() {
    QueuedMessage m = byScenario.get("multi");
    assertThat(m.recipientCount()).isEqualTo(3);
    assertThat(m.recipients()).extracting(QueuedRecipient::address, QueuedRecipient::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("bob@nowhere.invalid", QueuedRecipient.State.DONE),
        org.assertj.core.groups.Tuple.tuple("carol@nowhere.invalid", QueuedRecipient.State.DEFERRED),
        org.assertj.core.groups.Tuple.tuple("dave@other.invalid", QueuedRecipient.State.DEFERRED));
    DeliveryStatus carol = m.recipients().get(1).status();
    assertThat(carol.status()).isEqualTo("4.2.0");
    assertThat(carol.action()).isEqualTo("delayed");
    assertThat(carol.diagnostic()).isEqualTo("450 4.2.0 mailbox busy, try later");
    assertThat(carol.mta()).isEqualTo("127.0.0.1");
    assertThat(carol.offset()).isEqualTo(m.recipients().get(1).offset());
    assertThat(m.openRecipients()).hasSize(2);
    assertThat(m.showqRecipients()).extracting(QueuedRecipient::address)
        .containsExactly("carol@nowhere.invalid", "dave@other.invalid");
  }

  @Test
  void bouncedRecipientWithAKeptBounceLogfileIsBouncedWithNoticePending() {
    QueuedMessage m = byScenario.get("bounce");
    QueuedRecipient reject = m.recipients().get(0);
    assertThat(reject.address()).isEqualTo("reject@nowhere.invalid");
    assertThat(reject.state()).isEqualTo(QueuedRecipient.State.BOUNCED);
    assertThat(reject.status().status()).isEqualTo("5.1.1");
    assertThat(reject.status().permanent()).isTrue();
    assertThat(reject.status().reason()).contains("550 5.1.1 no such user here");
    assertThat(m.recipients().get(1).state()).isEqualTo(QueuedRecipient.State.DEFERRED);
  }

  @Test
  void heldForceExpiredNullSenderMessageIsInHoldWithTheExpireFlagAndAnEmptySender() {
    QueuedMessage m = byScenario.get("nullsender");
    assertThat(m.queue()).isEqualTo(QueueName.HOLD);
    assertThat(m.held()).isTrue();
    assertThat(m.forcedExpire()).isTrue();
    assertThat(m.mode()).isEqualTo(0710);
    assertThat(m.sender()).isEmpty();
    assertThat(m.nextAttempt()).isEmpty();
  }

  @Test
  void forceExpiredDeferredMessageKeepsItsNextAttemptAndQuotesOddLocalParts() {
    QueuedMessage m = byScenario.get("quoted");
    assertThat(m.queue()).isEqualTo(QueueName.DEFERRED);
    assertThat(m.forcedExpire()).isTrue();
    assertThat(m.nextAttempt()).contains(m.modified());
    assertThat(m.sender()).isEqualTo("\"odd sender\"@mailhost.test");
    assertThat(m.recipients()).extracting(QueuedRecipient::address)
        .containsExactly("\"john doe\"@quoted.invalid", "\"a..b\"@quoted.invalid");
  }

  @Test
  void recipientsFromTheExtractedSegmentAreListed() {
    assertThat(byScenario.get("extract").recipients()).extracting(QueuedRecipient::address)
        .containsExactly("tina@extract.invalid", "tom@extract.invalid");
  }

  @Test
  void pointerRecordsAreFollowedToTheRecipientAMilterAppended() {
    QueuedMessage m = byScenario.get("milter");
    assertThat(m.recipients()).extracting(QueuedRecipient::address)
        .containsExactly("ivy@milter.invalid", "archive@milter.invalid");
    assertThat(m.recipients().get(1).offset()).isGreaterThan(m.fileSize() / 2);
    assertThat(m.recipients()).allMatch(r -> r.state() == QueuedRecipient.State.DEFERRED);
  }

  @Test
  void longQueueIdCarriesTheArrivalTimeOfTheTimeRecord() {
    QueuedMessage m = byScenario.get("long");
    assertThat(m.id().isLong()).isTrue();
    // the ID is taken when cleanup creates the file, a few milliseconds after the T record's time
    assertThat(m.id().arrival()).get().satisfies(t ->
        assertThat(java.time.Duration.between(m.arrival(), t).abs()).isLessThan(java.time.Duration.ofSeconds(1)));
    assertThat(m.messageSize()).isGreaterThan(3000);
  }

  @Test
  void maildropFileWithoutSizeRecordHasTheFileSizeAsMessageSize() {
    QueuedMessage m = byScenario.get("drop");
    assertThat(m.queue()).isEqualTo(QueueName.MAILDROP);
    assertThat(m.messageSize()).isEqualTo(m.fileSize());
    assertThat(m.recipientCount()).isEqualTo(-1);
    assertThat(m.qshapeLayout()).isFalse();
    assertThat(m.recipients()).extracting(QueuedRecipient::state).containsExactly(QueuedRecipient.State.PENDING);
  }

  @Test
  void truncatedAndRandomByteFilesAreReportedWithIdPathAndOffsetAndTheRestIsListed() throws Exception {
    Path d = Files.createDirectory(dir.resolve("broken"));
    PostfixQueueFixture.copyWithBrokenFilesTo(d);
    QueueListing l = PostfixQueue.at(d, Clock.systemUTC(), 1).list(QueueName.SHOWQ);
    assertThat(l.messages()).hasSize(PostfixQueueFixture.expected("postqueue-j.jsonl").size());
    assertThat(l.problems()).hasSize(2);
    QueueProblem truncated = l.problems().get(0);
    assertThat(truncated.id()).isEqualTo("B0BAD000001");
    assertThat(truncated.file()).isEqualTo(d.resolve("deferred/B/B0BAD000001"));
    // the first 300 bytes of the milter message: its envelope pointer leads past the cut
    assertThat(truncated.offset()).isEqualTo(272);
    assertThat(truncated.what()).isEqualTo("pointer to offset 618 beyond the end of the file (300 bytes)");
    QueueProblem random = l.problems().get(1);
    assertThat(random.id()).isEqualTo("B0BAD000002");
    assertThat(random.offset()).isZero();
    assertThat(random.what()).startsWith("not a Postfix queue file: it starts with record type ");
    assertThat(random.toString()).startsWith(d.resolve("deferred/B/B0BAD000002") + " (queue ID B0BAD000002) at offset 0: ");
  }

  @Test
  void incomingFileStillBeingWrittenIsNotListed() throws Exception {
    Path in = Files.createDirectories(dir.resolve("incoming")).resolve("ABCDEF12345");
    Files.copy(byScenario.get("alice").file(), in);
    Files.setPosixFilePermissions(in, PostfixQueueFixture.permissions(0600));
    assertThat(queue.list(java.util.EnumSet.of(QueueName.INCOMING)).messages()).isEmpty();
    Files.setPosixFilePermissions(in, PostfixQueueFixture.permissions(0700));
    assertThat(queue.list(java.util.EnumSet.of(QueueName.INCOMING)).messages()).extracting(m -> m.id().value())
        .containsExactly("ABCDEF12345");
  }

  @Test
  void namesThatAreNotQueueIdsAndSubdirectoriesThatAreNotHashLevelsAreIgnored() throws Exception {
    Files.writeString(dir.resolve("deferred/notes.txt"), "x");
    Files.createDirectories(dir.resolve("deferred/lost+found"));
    assertThat(queue.list(java.util.EnumSet.of(QueueName.DEFERRED)).problems()).isEmpty();
  }

  @Test
  void findLooksInEveryQueueAndTheHashedSubdirectories() throws Exception {
    for (String s : List.of("alice", "nullsender", "drop", "long", "longhold")) {
      assertThat(queue.find(PostfixQueueFixture.id(s))).as(s).get()
          .extracting(QueuedMessage::file).isEqualTo(byScenario.get(s).file());
    }
    assertThat(queue.find(QueueId.of("ABCDEF99999"))).isEmpty();
  }

  @Test
  void missingQueueDirectorySaysWhatToPass() {
    PostfixQueue none = PostfixQueue.at(dir.resolve("nope"), Clock.systemUTC(), 1);
    assertThatThrownBy(() -> none.list(QueueName.SHOWQ)).isInstanceOf(QueueException.class)
        .hasMessage("no Postfix queue directory at " + dir.resolve("nope")
            + "; pass --queue-dir, or --config-dir of the instance (postconf -h queue_directory)");
  }

  @Test
  void parallelReadingGivesTheSameListing() throws Exception {
    for (int i = 0; i < 100; i++) {
      Path copy = dir.resolve("deferred/F/F0000000" + String.format("%03d", i));
      Files.createDirectories(copy.getParent());
      Files.copy(byScenario.get("multi").file(), copy);
    }
    QueueListing one = queue.list(QueueName.SHOWQ);
    QueueListing two = PostfixQueue.at(dir, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), 2).list(QueueName.SHOWQ);
    assertThat(two.messages()).isEqualTo(one.messages());
    assertThat(one.messages()).hasSize(PostfixQueueFixture.expected("postqueue-j.jsonl").size() + 100);
  }
}
