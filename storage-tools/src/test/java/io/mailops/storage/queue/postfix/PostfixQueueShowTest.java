package io.mailops.storage.queue.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One message with its headers and content. */
class PostfixQueueShowTest {

  @TempDir
  Path dir;

  PostfixQueue queue;

  @BeforeEach
  void setUp() throws Exception {
    queue = PostfixQueue.at(PostfixQueueFixture.copyTo(dir), Clock.systemUTC(), 1);
  }

  @Test
  void headersOfAMessageAreReadFromItsContent() throws Exception {
    QueuedMessageDetail d = queue.show(PostfixQueueFixture.id("alice")).orElseThrow();
    assertThat(d.header("From")).contains("Alice Sender <sender@mailhost.test>");
    assertThat(d.header("to")).contains("Alice <alice@unreachable.example>");
    assertThat(d.header("Subject")).contains("Quarterly report");
    assertThat(d.header("Message-ID")).contains("<alice-1@mailhost.test>");
    assertThat(d.header("Date")).contains("Sun, 22 Nov 2026 02:49:00 +0000");
    assertThat(d.header("Received")).get().asString().contains("by mailhost.test (Postfix");
    assertThat(d.header("X-Nothing")).isEmpty();
    assertThat(d.message().recipients()).hasSize(1);
  }

  @Test
  void aHeaderSplitIntoLongAndNormalRecordsIsOneHeader() throws Exception {
    QueuedMessageDetail d = queue.show(PostfixQueueFixture.id("long")).orElseThrow();
    assertThat(d.header("X-Long")).contains("x".repeat(3000));
    assertThat(d.header("Subject")).contains("long header");
  }

  @Test
  void contentFollowsPointersToTheHeaderAMilterAdded() throws Exception {
    QueuedMessage m = queue.find(PostfixQueueFixture.id("milter")).orElseThrow();
    StringWriter out = new StringWriter();
    queue.copyContent(m, out);
    assertThat(out.toString()).contains("\nFrom: root <sender@mailhost.test>\nX-Milter: added by the test milter\n\nmilter\n")
        .startsWith("Received: by mailhost.test (Postfix, from userid 0)\n\tid ");
    assertThat(queue.show(m.id()).orElseThrow().header("X-Milter")).contains("added by the test milter");
  }

  @Test
  void contentOfAMaildropFileIsReadWithoutASizeRecord() throws Exception {
    StringWriter out = new StringWriter();
    queue.copyContent(queue.find(PostfixQueueFixture.id("drop")).orElseThrow(), out);
    assertThat(out.toString()).isEqualTo("Subject: dropped\n\nwhile Postfix was down\n");
  }

  @Test
  void showOfADamagedFileSaysWhereAndWhatToDo() throws Exception {
    PostfixQueueFixture.copyWithBrokenFilesTo(Files.createDirectory(dir.resolve("b")));
    PostfixQueue broken = PostfixQueue.at(dir.resolve("b"), Clock.systemUTC(), 1);
    assertThatThrownBy(() -> broken.show(QueueId.of("B0BAD000002"))).isInstanceOf(DamagedQueueFileException.class)
        .hasMessageStartingWith("damaged queue file " + dir.resolve("b/deferred/B/B0BAD000002") + " at offset 0: ")
        .hasMessageEndingWith("; inspect it with 'postcat -o' and remove it with 'postsuper -d ID' if it cannot be saved");
  }

  @Test
  void aMessageThatIsNotThereIsEmpty() throws Exception {
    assertThat(queue.show(QueueId.of("ABCDEF00000"))).isEmpty();
  }
}
