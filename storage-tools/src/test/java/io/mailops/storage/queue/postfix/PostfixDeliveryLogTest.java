package io.mailops.storage.queue.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostfixDeliveryLogTest {

  @TempDir
  Path dir;

  @Test
  void realDeferLogfileIsFoundInItsHashedDirectoryAndReadInOrder() throws Exception {
    PostfixQueueFixture.copyTo(dir);
    List<DeliveryStatus> log = DeliveryLog.read(dir, DeliveryLog.Kind.DEFER, PostfixQueueFixture.id("quoted"), null);
    assertThat(log).extracting(DeliveryStatus::recipient)
        .containsExactly("\"a..b\"@quoted.invalid", "\"john doe\"@quoted.invalid");
    assertThat(log.get(0).reason())
        .isEqualTo("host 127.0.0.1[127.0.0.1] said: 450 4.2.0 mailbox busy, try later (in reply to RCPT TO command)");
    assertThat(log.get(0).offset()).isPositive();
  }

  @Test
  void realBounceLogfileIsReadFromTheUnhashedBounceDirectory() throws Exception {
    PostfixQueueFixture.copyTo(dir);
    List<DeliveryStatus> log = DeliveryLog.read(dir, DeliveryLog.Kind.BOUNCE, PostfixQueueFixture.id("bounce"), new byte[16]);
    assertThat(log).singleElement().satisfies(d -> {
      assertThat(d.recipient()).isEqualTo("reject@nowhere.invalid");
      assertThat(d.status()).isEqualTo("5.1.1");
      assertThat(d.action()).isEqualTo("failed");
    });
  }

  @Test
  void oldStyleEntryGetsThePlaceHoldersOfItsKind() {
    byte[] old = "<bob@x.example>:   host said no\n\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(DeliveryLog.parse(old, DeliveryLog.Kind.DEFER)).containsExactly(
        new DeliveryStatus("bob@x.example", -1, "4.0.0", "delayed", "host said no", "", ""));
    assertThat(DeliveryLog.parse(old, DeliveryLog.Kind.BOUNCE).get(0).status()).isEqualTo("5.0.0");
  }

  @Test
  void missingFieldsGetPostfixPlaceHoldersAndControlCharactersBecomeQuestionMarks() {
    byte[] b = "\nstatus=4.4.1\nunknown=x\n\nrecipient=\nreason=a\u0001b\n".getBytes(StandardCharsets.US_ASCII);
    List<DeliveryStatus> log = DeliveryLog.parse(b, DeliveryLog.Kind.DEFER);
    assertThat(log).hasSize(2);
    assertThat(log.get(0).recipient()).isEqualTo("(recipient address unavailable)");
    assertThat(log.get(0).reason()).isEqualTo("(description unavailable)");
    assertThat(log.get(1).recipient()).isEqualTo("(MAILER-DAEMON)");
    assertThat(log.get(1).reason()).isEqualTo("a?b");
  }

  @Test
  void noLogfileMeansNoEntries() throws Exception {
    PostfixQueueFixture.copyTo(dir);
    assertThat(DeliveryLog.read(dir, DeliveryLog.Kind.DEFER, PostfixQueueFixture.id("drop"), null)).isEmpty();
  }
}
