package io.mailops.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ParameterTest {

  @Test
  void namesAndMibNamesAreUniqueAndEveryParameterHasTheServerScope() {
    assertThat(Parameter.ALL).extracting(Parameter::name).doesNotHaveDuplicates();
    assertThat(Parameter.ALL).extracting(Parameter::mibName).doesNotHaveDuplicates();
    assertThat(Parameter.ALL).allMatch(p -> p.scopes().contains(Parameter.Scope.SERVER));
    assertThat(Parameter.ALL).extracting(Parameter::name).contains("queue.total", "smtp.out.delivered",
        "smtp.in.rejected", "pop3.login_failures", "imap.bytes_out", "storage.free", "collector.unparsed_lines");
  }

  @Test
  void byNameFindsTheParameter() {
    Parameter p = Parameter.byName("queue.total").orElseThrow();
    assertThat(p.type()).isEqualTo(Parameter.Type.GAUGE);
    assertThat(p.unit()).isEqualTo("messages");
    assertThat(Parameter.byName("smtp.out.delivered").orElseThrow().type()).isEqualTo(Parameter.Type.COUNTER);
    assertThat(Parameter.byName("no.such")).isEmpty();
  }

  @Test
  void aBadNameIsRejectedWithTheName() {
    assertThatThrownBy(() -> new Parameter("Queue Total", Parameter.Type.GAUGE, "messages",
        Set.of(Parameter.Scope.SERVER), "moX", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got Queue Total");
    assertThatThrownBy(() -> new Parameter("queue.x", Parameter.Type.GAUGE, "messages",
        Set.of(Parameter.Scope.DOMAIN), "moX", "x"))
        .hasMessage("parameter queue.x must have the server scope, got [DOMAIN]");
  }
}
