package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link WireWriter#appendUid}: the UID a server gives an appended message (RFC 4315). */
class AppendUidTest {

  @Test
  void aTaggedOkWithAppendUidShouldGiveItsUidValidityAndUid() {
    assertThat(WireWriter.appendUid("OK [APPENDUID 1700000000 4711] Append completed."))
        .containsExactly(1700000000L, 4711L);
    assertThat(WireWriter.appendUid("ok [appenduid 9 1] done")).containsExactly(9L, 1L);
  }

  @Test
  void anythingElseShouldGiveNone() {
    assertThat(WireWriter.appendUid("OK Append completed.")).isNull();
    assertThat(WireWriter.appendUid("OK [READ-WRITE] done")).isNull();
    assertThat(WireWriter.appendUid("NO [APPENDUID 9 1] no")).isNull();
    // a set of several UIDs answers a MULTIAPPEND of as many messages, not one
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 1:3] set from MULTIAPPEND")).isNull();
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 1,3] set")).isNull();
    assertThat(WireWriter.appendUid("OK [APPENDUID 9] short")).isNull();
    assertThat(WireWriter.appendUid("OK [APPENDUID 0 5] zero")).isNull();
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 99999999999999999999] too big")).isNull();
    assertThat(WireWriter.appendUid("OK [APPENDUID x 5] junk")).isNull();
  }
}
