package io.mailops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.queue.postfix.DeliveryStatus;
import io.mailops.storage.queue.postfix.QueueId;
import io.mailops.storage.queue.postfix.QueueName;
import io.mailops.storage.queue.postfix.QueuedMessage;
import io.mailops.storage.queue.postfix.QueuedRecipient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-made {@code postqueue -j} lines: member order, numbers, and string escapes. */
class QueueJsonTest {

  private static String quoted(String s) {
    QueueJson.Chunk c = new QueueJson.Chunk(1);
    QueueJson.quote(c, s);
    return c.toString();
  }

  @Test
  void quotesAndBackslashesAreEscaped() {
    assertThat(quoted("\"john doe\"@x\\y")).isEqualTo("\\\"john doe\\\"@x\\\\y");
  }

  @Test
  void controlCharactersGetShortEscapesOrUnicodeEscapesLikeJsonQuote() {
    assertThat(quoted("a\bb\fc\nd\re\tf")).isEqualTo("a\\bb\\fc\\nd\\re\\tf");
    assertThat(quoted("\u0000\u0001\u001f\u007f")).isEqualTo("\\u0000\\u0001\\u001F\\u007F");
  }

  @Test
  void nonAsciiAndPlainTextStayAsTheyAre() {
    assertThat(quoted("héllo 日本 \uD83D\uDCE7 / ok")).isEqualTo("héllo 日本 \uD83D\uDCE7 / ok");
    assertThat(quoted("")).isEmpty();
  }

  @Test
  void aLineHasPostqueuesMembersInItsOrder() {
    DeliveryStatus deferred = new DeliveryStatus("a@x.invalid", 200, "4.4.1", "delayed",
        "connect to x.invalid: \"refused\"", "", "");
    QueuedMessage m = new QueuedMessage(QueueId.of("ABC123"), QueueName.DEFERRED, Path.of("/q/ABC123"),
        0710, 900, Instant.ofEpochSecond(1_795_000_100L), Instant.ofEpochSecond(1_795_000_000L), 812, "",
        2, "", List.of(new QueuedRecipient("a@x.invalid", "", QueuedRecipient.State.DEFERRED, 200, deferred),
            new QueuedRecipient("b@y.invalid", "", QueuedRecipient.State.PENDING, 300, null)),
        List.of(deferred), true);
    QueueJson.Chunk c = new QueueJson.Chunk(8);
    QueueJson.append(c, m);
    QueueJson.append(c, m);
    String line = "{\"queue_name\": \"deferred\", \"queue_id\": \"ABC123\", \"arrival_time\": 1795000000, "
        + "\"message_size\": 812, \"forced_expire\": true, \"sender\": \"MAILER-DAEMON\", \"recipients\": "
        + "[{\"address\": \"a@x.invalid\", \"delay_reason\": \"connect to x.invalid: \\\"refused\\\"\"}, "
        + "{\"address\": \"b@y.invalid\"}]}\n";
    assertThat(c.toString()).isEqualTo(line + line);
  }

  @Test
  void numbersAreWrittenInDecimal() {
    QueueJson.Chunk c = new QueueJson.Chunk(1);
    c.append(0L).append(' ').append(-42L).append(' ').append(Long.MAX_VALUE).append(' ').append(Long.MIN_VALUE);
    assertThat(c.toString()).isEqualTo("0 -42 9223372036854775807 -9223372036854775808");
  }
}
