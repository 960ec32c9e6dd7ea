package io.mailops.jobs.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit to the embedded job repository survives the process being killed right after it: the
 * daemon's restart detection reads the STARTED execution of a job killed with -9 (DaemonKillIT).
 * With H2's default write delay (up to a second) a commit made just before the kill was lost.
 */
class JobRepositoryDurabilityTest {

  @TempDir Path home;

  static String defaultUrl(Path home) throws IOException {
    try (InputStream in = JobRepositoryDurabilityTest.class.getResourceAsStream("/mailops-defaults.yml")) {
      String yml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("url: (jdbc:h2:file:\\S+)").matcher(yml);
      assertThat(m.find()).as("H2 url in mailops-defaults.yml").isTrue();
      return m.group(1).replace("${mailops.home}", home.toString());
    }
  }

  /** Child process: commits one row, then dies at once without closing anything (as kill -9). */
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
      c.createStatement().execute("create table if not exists execution(id int)");
      Thread.sleep(1500); // the table's own write is long on disk; only the next commit is at risk
      c.createStatement().execute("insert into execution values (1)");
      System.out.println("committed");
      System.out.flush();
      Runtime.getRuntime().halt(9);
    }
  }

  @Test
  void aCommittedRowSurvivesTheProcessBeingKilledRightAfterIt() throws Exception {
    String url = defaultUrl(home);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), getClass().getName(), url)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("committed");
    assertThat(p.exitValue()).isEqualTo(9);
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet r = c.createStatement().executeQuery("select count(*) from execution")) {
      r.next();
      assertThat(r.getInt(1)).isEqualTo(1);
    }
  }
}
