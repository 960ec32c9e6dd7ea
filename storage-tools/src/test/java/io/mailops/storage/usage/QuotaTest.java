package io.mailops.storage.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.MailStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maildirsize} read as Dovecot's {@code quota-maildir.c} reads it. */
class QuotaTest {

  @TempDir
  Path maildir;

  @Test
  void limitsComeFromTheFirstLineAndUsageIsTheSumOfTheLinesAfterIt() {
    // as dovecot 2.3.19 wrote it after 'doveadm quota recalc', then two deliveries and an expunge
    Quota q = Quota.parse("10485760S,1000C\n680 6\n1200 1\n300 1\n-300 -1\n");

    assertThat(q.limitBytes()).isEqualTo(OptionalLong.of(10485760));
    assertThat(q.limitMessages()).isEqualTo(OptionalLong.of(1000));
    assertThat(q.usedBytes()).isEqualTo(1880);
    assertThat(q.usedMessages()).isEqualTo(7);
  }

  @Test
  void eitherLimitMayBeMissingAndZeroMeansNoLimit() {
    assertThat(Quota.parse("5000S\n10 1\n").limitMessages()).isEmpty();
    assertThat(Quota.parse("20C\n10 1\n").limitBytes()).isEmpty();
    Quota none = Quota.parse("0S,0C\n10 1\n");
    assertThat(none.limitBytes()).isEmpty();
    assertThat(none.limitMessages()).isEmpty();
    assertThat(none.percent()).isEqualTo(OptionalDouble.empty());
    assertThat(none.state(90)).isEqualTo(Quota.State.OK);
  }

  @Test
  void aLastLineWithoutNewlineIsAnAppendInProgressAndLeftOut() {
    assertThat(Quota.parse("1000S\n100 1\n50").usedBytes()).isEqualTo(100);
  }

  @Test
  void percentIsTheFullerOfBytesAndMessagesAndTheStateFollowsTheThreshold() {
    Quota q = Quota.parse("1000S,10C\n500 9\n");
    assertThat(q.percent().getAsDouble()).isEqualTo(90.0);
    assertThat(q.state(90)).isEqualTo(Quota.State.WARN);
    assertThat(q.state(95)).isEqualTo(Quota.State.OK);
    assertThat(Quota.parse("1000S\n1000 3\n").state(90)).isEqualTo(Quota.State.FULL);
    assertThatThrownBy(() -> q.state(0)).hasMessageContaining("use 1 to 100");
  }

  @Test
  void brokenFilesNameTheLine() {
    assertThatThrownBy(() -> Quota.parse("")).hasMessageContaining("no complete first line");
    assertThatThrownBy(() -> Quota.parse("10M\n")).hasMessageContaining("line 1: limit '10M'");
    assertThatThrownBy(() -> Quota.parse("10S\n5 1\nfive one\n")).hasMessageContaining("line 3");
    assertThatThrownBy(() -> Quota.parse("10S\n5 1\n-9 -1\n")).hasMessageContaining("below zero");
    assertThatThrownBy(() -> Quota.parse("10S\n5\0 1\n")).hasMessageContaining("NUL");
  }

  @Test
  void readGivesNothingWithoutTheFileAndAOneLineErrorForABrokenOne() throws Exception {
    assertThat(Quota.read(maildir)).isEmpty();
    Files.writeString(maildir.resolve("maildirsize"), "10S,5C\n1 1\n");
    assertThat(Quota.read(maildir)).hasValue(Quota.parse("10S,5C\n1 1\n"));
    Files.writeString(maildir.resolve("maildirsize"), "10S\nx\n");
    assertThatThrownBy(() -> Quota.read(maildir)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining(maildir.resolve("maildirsize").toString())
        .hasMessageContaining("line 2").hasMessageContaining("doveadm quota recalc");
  }
}
