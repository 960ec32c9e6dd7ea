package io.mailops.jobs.report;

import io.mailops.storage.interop.InteropEnv;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness's net-snmp tools ({@code scripts/interop/netsnmp.sh}, {@code netsnmp.env}) with
 * {@code MAILOPS-MIB} loaded as {@code mailops snmp mib} printed it: values come back by MIB name
 * ({@code moSmtpOutDelivered.0}, {@code moDomainImapLogins.3}), resolved by net-snmp from the MIB,
 * and {@link #objects} reads from the same MIB which reporting parameter each object shows, as a NOC
 * would.
 */
final class NetSnmp {

  /** An object of the MIB that shows a reporting parameter: its syntax and whether it is a domain-table column. */
  record MibObject(String name, String parameter, boolean counter, boolean domainColumn) {}

  /** What a tool printed and returned. */
  record Result(List<String> command, int code, String out, String err) {

    /** The {@code NAME.INDEX = TYPE: VALUE} lines, by {@code NAME.INDEX}. */
    Map<String, String> values() {
      Map<String, String> m = new LinkedHashMap<>();
      for (String line : out.split("\n")) {
        int eq = line.indexOf(" = ");
        if (eq > 0) {
          m.put(line.substring(0, eq), line.substring(eq + 3));
        }
      }
      return m;
    }

    @Override
    public String toString() {
      return String.join(" ", command) + " -> " + code + "\n" + out + (err.isEmpty() ? "" : "stderr:\n" + err);
    }
  }

  /** One parameter's OBJECT-TYPE: name, syntax, parameter, and for a table column "domain" or "account". */
  private static final Pattern OBJECT = Pattern.compile(
      "(mo\\w+) OBJECT-TYPE\\s+SYNTAX\\s+(Counter64|Gauge32)\\s.*?DESCRIPTION\\s+\"([a-z0-9_.]+)(?: of this (\\w+))?:",
      Pattern.DOTALL);

  private final Map<String, String> env;
  private final Path mibDir;
  private final String mib;

  /** Writes {@code mib} (the text of {@code mailops snmp mib}) to {@code dir/MAILOPS-MIB.txt}. */
  NetSnmp(Path dir, String mib) throws IOException {
    this.env = InteropEnv.read("netsnmp", "SNMPGET", "SNMPWALK", "SNMPBULKWALK", "SNMPTRAPD", "NETSNMP_MIBS");
    this.mibDir = Files.createDirectories(dir);
    this.mib = mib;
    Files.writeString(dir.resolve("MAILOPS-MIB.txt"), mib);
  }

  /** The objects of the MIB that show a reporting parameter (scalars and domain-table columns), by name. */
  Map<String, MibObject> objects() {
    Map<String, MibObject> out = new LinkedHashMap<>();
    for (String definition : mib.split("\n(?=\\w+ OBJECT-TYPE\n)")) {
      Matcher m = OBJECT.matcher(definition);
      if (m.lookingAt() && (m.group(4) == null || m.group(4).equals("domain"))) {
        out.put(m.group(1), new MibObject(m.group(1), m.group(3), m.group(2).equals("Counter64"), m.group(4) != null));
      }
    }
    return out;
  }

  /**
   * Runs {@code tool} (SNMPGET, SNMPWALK, SNMPBULKWALK) with {@code args} before the agent address
   * and {@code oids} after it; patient enough for a loaded machine ({@code -t 2 -r 1}), names printed
   * short and without units.
   */
  Result run(String tool, List<String> args, String agent, String... oids) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(env.get(tool), "-M", "+" + env.get("NETSNMP_MIBS") + ":" + mibDir,
        "-m", "MAILOPS-MIB", "-OsU", "-t", "2", "-r", "1"));
    cmd.addAll(args);
    cmd.add(agent);
    cmd.addAll(List.of(oids));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("MIBS", "");
    pb.environment().put("SNMP_PERSISTENT_DIR", mibDir.resolve("persist").toString());
    Path err = Files.createTempFile(mibDir, "tool", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " did not end within 60 s");
    }
    return new Result(cmd, p.exitValue(), out, Files.readString(err));
  }

  /** v2c with {@code community}. */
  static List<String> v2c(String community) {
    return List.of("-v2c", "-c", community);
  }

  /** v3 authPriv, SHA-256 and AES(-128). */
  static List<String> v3(String user, String authPass, String privPass) {
    return List.of("-v3", "-l", "authPriv", "-u", user, "-a", "SHA-256", "-A", authPass, "-x", "AES", "-X", privPass);
  }

  /**
   * Starts snmptrapd on {@code udp:127.0.0.1:port}, logging to {@code log} the v2c notifications of
   * {@code community} only (numeric OIDs, {@code TRAP2, SNMP v2c, community NAME} before each), and
   * waits until it runs.
   */
  Process snmptrapd(Path dir, int port, String community, Path log) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("trapd.conf"), "authCommunity log " + community + "\nformat2 TRAP %P\\n%v\\n\n");
    ProcessBuilder pb = new ProcessBuilder(env.get("SNMPTRAPD"), "-f", "-Lf", log.toString(), "-C", "-c",
        dir.resolve("trapd.conf").toString(), "-On", "-p", dir.resolve("trapd.pid").toString(),
        "udp:127.0.0.1:" + port);
    pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("persist").toString());
    pb.environment().put("MIBS", "");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("trapd.out").toFile());
    Process trapd = pb.start();
    await(Duration.ofSeconds(20), () -> Files.exists(log) && Files.readString(log).contains("NET-SNMP version"),
        () -> "snmptrapd did not start: " + Files.readString(dir.resolve("trapd.out")));
    return trapd;
  }

  /** A condition that may read files. */
  interface Check {
    boolean holds() throws Exception;
  }

  /** What to say when a wait fails. */
  interface Why {
    String text() throws Exception;
  }

  /** Polls {@code check} every 100 ms until it holds; fails with {@code why} after {@code wait}. */
  static void await(Duration wait, Check check, Why why) throws Exception {
    long end = System.nanoTime() + wait.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + wait.toSeconds() + " s: " + why.text());
      }
      Thread.sleep(100);
    }
  }

  /** A free UDP port on the loopback in {@code from..to} (the range this IT may use). */
  static int freeUdpPort(int from, int to, int... taken) throws IOException {
    outer:
    for (int port = from; port <= to; port++) {
      for (int t : taken) {
        if (t == port) {
          continue outer;
        }
      }
      try (DatagramSocket s = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException inUse) {
        // the next one
      }
    }
    throw new IOException("no free UDP port in " + from + "-" + to);
  }
}
