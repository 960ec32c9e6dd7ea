package io.mailops.jobs.batch.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link MigrationReports#json}: what Jackson reads back is what Jackson itself would write. */
class MigrationReportsJsonTest {

  private static final JsonMapper JACKSON = JsonMapper.builder().build();

  @Test
  void aReportShouldReadBackAsTheSameTreeJacksonWouldWrite() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("source_folder", "Projekte/Übersicht \"alt\" \\ 😀");
    row.put("source_count", 2000);
    row.put("bytes", 5_000_000_000L);
    row.put("failures", List.of("line\nwith\tcontrol\u0001chars\r", "lone \ud800 surrogate"));
    row.put("empty", List.of());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("line", 1);
    m.put("dry_run", false);
    m.put("verified", null);
    m.put("folders", List.of(row, new LinkedHashMap<>()));
    m.put("verify", Arrays.asList("INBOX -> INBOX: 1 on source, 1 on target, ok", null));

    String json = MigrationReports.json(m);
    JsonNode back = JACKSON.readTree(json);

    assertThat(back).isEqualTo(JACKSON.readTree(JACKSON.writeValueAsString(m)));
    assertThat(back.get("folders").get(0).get("source_folder").asString())
        .isEqualTo("Projekte/Übersicht \"alt\" \\ 😀");
    assertThat(back.get("folders").get(0).get("bytes").asLong()).isEqualTo(5_000_000_000L);
  }
}
