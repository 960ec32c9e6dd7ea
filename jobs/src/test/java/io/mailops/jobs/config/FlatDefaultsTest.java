package io.mailops.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatDefaultsTest {

  @Test
  void theBuildsFlatCopyHoldsExactlyTheYamlDefaultsInTheirOrder() throws IOException {
    Map<String, String> flat;
    try (InputStream in = getClass().getResourceAsStream(FlatDefaults.RESOURCE)) {
      assertThat(in).as("mailops-defaults.flat written by the build (process-classes)").isNotNull();
      flat = FlatDefaults.read(in);
    }
    Map<String, String> yaml = MailOpsSettings.defaultsFromYaml();
    assertThat(yaml).containsKey("spring.datasource.url").hasSizeGreaterThan(20);
    assertThat(flat).isEqualTo(yaml);
    assertThat(new ArrayList<>(flat.keySet())).containsExactlyElementsOf(yaml.keySet());
    assertThat(MailOpsSettings.defaults()).isEqualTo(yaml);
  }

  @Test
  void valuesWithTabsLineBreaksAndBackslashesSurviveTheRoundTrip() throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("a.b", "plain");
    m.put("with\ttab", "x\ty");
    m.put("lines", "one\ntwo\r\nthree");
    m.put("slashes", "C:\\dir\\n not a newline \\\\");
    m.put("empty", "");
    m.put("list[0]", "${mailops.home}/x;A=B");
    StringWriter w = new StringWriter();
    FlatDefaults.write(m, w);
    Map<String, String> back = FlatDefaults.read(
        new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(back).isEqualTo(m);
    assertThat(new ArrayList<>(back.keySet())).containsExactlyElementsOf(m.keySet());
  }

  @Test
  void aFileNotWrittenByThisVersionIsRefusedWithWhatToDo() {
    assertThatThrownBy(() -> FlatDefaults.read(new ByteArrayInputStream(
        "key\tvalue\n".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IOException.class).hasMessageContaining("rebuild mailops");
  }
}
