package io.mailops.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real {@code pflogsumm} (Debian package) and the other external commands of the reporting ITs. */
final class Pflogsumm {

  private static final Path PFLOGSUMM = Path.of("/usr/sbin/pflogsumm");

  private Pflogsumm() {}

  private static final Map<String, String> PFLOGSUMM_KEYS = Map.ofEntries(Map.entry("received", "received"),
      Map.entry("delivered", "delivered"), Map.entry("forwarded", "forwarded"), Map.entry("deferred", "deferred"),
      Map.entry("bounced", "bounced"), Map.entry("rejected", "rejected"), Map.entry("reject warnings", "reject_warnings"),
      Map.entry("held", "held"), Map.entry("discarded", "discarded"), Map.entry("bytes received", "bytes_received"),
      Map.entry("bytes delivered", "bytes_delivered"), Map.entry("senders", "senders"),
      Map.entry("sending hosts/domains", "sending_domains"), Map.entry("recipients", "recipients"),
      Map.entry("recipient hosts/domains", "recipient_domains"));
  private static final Pattern TOTAL_LINE = Pattern.compile(
      "^\\s*(\\d+)([km ]?)\\s+([a-z /]+?)(?:\\s+\\((\\d+)%\\))?(?:\\s+\\((\\d+)\\s*deferrals\\))?\\s*$");

  /**
   * The "Grand Totals" of {@code pflogsumm --syslog-name=SYSLOGNAME LOG} under the keys of {@code report
   * summary --json}; deferrals 0 when pflogsumm leaves them out. Units (k, m: pflogsumm divides
   * values above 512k) are not expected at the ITs' volume and fail the parse.
   */
  static Map<String, Long> grandTotals(Path log, String syslogName) throws IOException, InterruptedException {
    assertThat(PFLOGSUMM).as("pflogsumm (Debian package; scripts/interop/postfix.sh install)").isExecutable();
    String out = run(null, PFLOGSUMM.toString(), "--syslog-name=" + syslogName, log.toString());
    Map<String, Long> totals = new LinkedHashMap<>();
    totals.put("deferrals", 0L);
    boolean inTotals = false;
    for (String line : out.split("\n")) {
      if (line.startsWith("Grand Totals")) {
        inTotals = true;
        continue;
      }
      if (!inTotals) {
        continue;
      }
      if (line.contains("Per-Hour") || line.contains("Per-Day") || line.startsWith("smtpd")) {
        break;
      }
      Matcher m = TOTAL_LINE.matcher(line);
      if (m.matches() && PFLOGSUMM_KEYS.containsKey(m.group(3))) {
        assertThat(m.group(2)).as("pflogsumm printed a unit: " + line).isIn("", " ");
        totals.put(PFLOGSUMM_KEYS.get(m.group(3)), Long.parseLong(m.group(1)));
        if (m.group(5) != null) {
          totals.put("deferrals", Long.parseLong(m.group(5)));
        }
      }
    }
    assertThat(totals.keySet()).as("grand totals read from pflogsumm:\n" + out)
        .containsAll(PFLOGSUMM_KEYS.values());
    return totals;
  }

  /** Runs {@code cmd} with {@code stdin} (may be null); its standard output; fails unless it exits 0. */
  static String run(byte[] stdin, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " did not finish in 60 s");
    }
    String stdout = new String(out.join(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
          + new String(err.join(), StandardCharsets.UTF_8).strip());
    }
    return stdout;
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return ("(unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
    }
  }
}
