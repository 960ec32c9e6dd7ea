package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * {@code mailops report export}: raw minute samples and summaries, CSV and XML (validated against
 * {@code docs/report-export.xsd}), from the reference's example lines backfilled into the H2 job
 * repository under MAILOPS_HOME. The ISO-stamped lines are of 2025; the others get the latest year
 * that does not put them in the future, so the range is wide.
 */
class ReportExportCommandTest {

  static final Path XSD = Path.of("..", "docs", "report-export.xsd");

  @TempDir
  Path home;

  final Map<String, String> env = new HashMap<>();
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    env.put("MAILOPS_HOME", home.toString());
    config = Files.writeString(home.resolve("test.yml"), "mailops:\n  report:\n    retention-weeks: 520\n");
    Path log = Path.of(getClass().getResource("/logs/report-collect.log").toURI());
    CliResult r = run("report", "collect", "--from-logs", log.toString());
    assertThat(r.code()).as(r.err()).isZero();
  }

  CliResult run(String... args) {
    return CliResult.run(env, config, args);
  }

  CliResult export(String... more) {
    String[] base = {"report", "export", "--param", "imap.logins,smtp.out.bytes", "--from", "2000-01-01", "--to",
        "2100-01-01"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return run(all);
  }

  static Document parseAndValidate(String xml) throws Exception {
    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(XSD.toFile()).newValidator()
        .validate(new StreamSource(new StringReader(xml)));
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  @Test
  void csvShouldHaveAHeaderAndOneRowPerMinuteSample() {
    CliResult r = export();
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("timestamp,parameter,scope,value");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).matches("2025-02-02T\\d\\d:38:00Z,imap.logins,server,1");
    assertThat(lines.get(2)).matches("\\d{4}-02-0[12]T\\d\\d:35:00Z,imap.logins,server,1");
    assertThat(lines.get(3)).matches("\\d{4}-02-0[12]T\\d\\d:34:00Z,smtp.out.bytes,server,5120");
  }

  @Test
  void xmlShouldParseAndFollowTheDocumentedSchema() throws Exception {
    CliResult r = export("--format", "xml");
    assertThat(r.code()).as(r.err()).isZero();
    Document d = parseAndValidate(r.out());
    Element root = d.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("report");
    assertThat(root.getAttribute("kind")).isEqualTo("samples");
    NodeList series = root.getElementsByTagNameNS("urn:mailops:report-export:1", "series");
    assertThat(series.getLength()).isEqualTo(2);
    Element logins = (Element) series.item(0);
    assertThat(logins.getAttribute("parameter")).isEqualTo("imap.logins");
    assertThat(logins.getAttribute("type")).isEqualTo("counter");
    assertThat(logins.getElementsByTagNameNS("*", "sample").getLength()).isEqualTo(2);
    Element bytes = (Element) ((Element) series.item(1)).getElementsByTagNameNS("*", "sample").item(0);
    assertThat(bytes.getAttribute("v")).isEqualTo("5120");
  }

  @Test
  void summaryShouldGiveCountTotalAvgMinMaxPerParameter() throws Exception {
    CliResult csv = export("--summary", "--param", "smtp.out.deferred");
    assertThat(csv.code()).as(csv.err()).isZero();
    List<String> lines = csv.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("parameter,scope,type,unit,from,to,count,total,avg,min,max");
    assertThat(lines.get(1)).startsWith("imap.logins,server,counter,logins,").endsWith(",2,2,1,1,1");
    assertThat(lines.get(2)).startsWith("smtp.out.bytes,server,counter,bytes,").endsWith(",1,5120,5120,5120,5120");
    assertThat(lines.get(3)).startsWith("smtp.out.deferred,").endsWith(",1,1,1,1,1");

    CliResult xml = export("--summary", "--format", "xml", "--param", "queue.total");
    assertThat(xml.code()).as(xml.err()).isZero();
    NodeList s = parseAndValidate(xml.out()).getElementsByTagNameNS("*", "summary");
    assertThat(s.getLength()).isEqualTo(3);
    Element logins = (Element) s.item(0);
    assertThat(List.of(logins.getAttribute("count"), logins.getAttribute("total"), logins.getAttribute("avg"),
        logins.getAttribute("min"), logins.getAttribute("max"))).containsExactly("2", "2", "1", "1", "1");
    Element queue = (Element) s.item(2);
    assertThat(queue.getAttribute("count")).isEqualTo("0");
    assertThat(queue.hasAttribute("total")).isFalse();
  }

  @Test
  void outShouldWriteTheFile() throws Exception {
    Path file = home.resolve("export.csv");
    CliResult r = export("--out", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readAllLines(file)).hasSize(4).first().isEqualTo("timestamp,parameter,scope,value");
  }

  @Test
  void domainScopeShouldReadOnlyThatDomain() {
    CliResult r = run("report", "export", "--param", "imap.logins", "--scope", "domain:example.org", "--from",
        "2000-01-01", "--to", "2100-01-01");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly("timestamp,parameter,scope,value");   // domain scope is off
  }

  @Test
  void badArgumentsShouldBeUsageErrorsThatSayWhatToDo() {
    CliResult unknown = export("--param", "smtp.nope");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown parameter 'smtp.nope'; 'mailops report params' lists them");

    CliResult scope = run("report", "export", "--param", "queue.total", "--scope", "domain:example.org", "--from",
        "2025-01-01", "--to", "2025-01-02");
    assertThat(scope.code()).isEqualTo(2);
    assertThat(scope.err()).contains("queue.total is not collected at domain scope");

    CliResult format = export("--format", "json");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("--format 'json': use csv or xml");

    CliResult time = run("report", "export", "--param", "queue.total", "--from", "yesterday", "--to", "2025-01-02");
    assertThat(time.code()).isEqualTo(2);
    assertThat(time.err()).contains("--from 'yesterday'");
  }
}
