package io.mailops.storage.queue.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PostfixQueueIdTest {

  @Test
  void longIdDecodesToTheSecondsAndMicrosecondsOfItsCreation() {
    // backup-queue.md §3.2: 4jXBJ06SKnzc6NS -> sec 1795310816, usec 909469 (hex DE09D)
    QueueId id = QueueId.of("4jXBJ06SKnzc6NS");
    assertThat(id.isLong()).isTrue();
    assertThat(id.arrival()).contains(Instant.ofEpochSecond(1795310816, 909469_000));
    assertThat(id.hashKey()).isEqualTo("DE09D");
  }

  @Test
  void shortIdHasNoArrivalAndHashesOnItself() {
    QueueId id = QueueId.of("C2F7D410866");
    assertThat(id.isLong()).isFalse();
    assertThat(id.arrival()).isEmpty();
    assertThat(id.hashKey()).isEqualTo("C2F7D410866");
  }

  @Test
  void longIdsOfTheTestQueueLiveInTheDirectoryOfTheirHexMicroseconds() {
    for (String s : new String[] {"long", "longhold"}) {
      QueueId id = PostfixQueueFixture.id(s);
      assertThat(id.isLong()).as(s).isTrue();
      assertThat(id.hashKey()).hasSize(5).matches("[0-9A-F]{5}");
    }
  }

  @Test
  void namesWithPathCharactersAreNotQueueIds() {
    for (String bad : new String[] {"", "../etc", "a/b", "C2F7D.1", "x y", "C2F7D41086*"}) {
      assertThat(QueueId.valid(bad)).as(bad).isFalse();
    }
    assertThatThrownBy(() -> QueueId.of("C2F7D41086*")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a Postfix queue ID: 'C2F7D41086*'; queue IDs are letters and digits, as "
            + "'postqueue -p' shows them (without * or !)");
  }

  @Test
  void aZInAShortLookingNameDoesNotMakeItLong() {
    assertThat(QueueId.of("ABz").isLong()).isFalse();
    assertThat(QueueId.of("AEIOUAEIOUz12").isLong()).isFalse();
  }
}
