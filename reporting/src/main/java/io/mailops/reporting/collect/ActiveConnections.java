package io.mailops.reporting.collect;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which TCP ports the active-connection gauges count, and the count itself from the kernel's socket
 * tables ({@code /proc/net/tcp} and {@code /proc/net/tcp6}, as {@code ss -tn state established}
 * shows them): the ESTABLISHED sockets whose <em>local</em> port is one of a server's listening ports
 * (the server side of each session, so a client on the same host is not counted twice), and for
 * outbound SMTP those whose <em>remote</em> port is one of {@code smtpOut}, unless the other end is a
 * socket of this host (a local client of the local smtpd). Log lines cannot give
 * these (pairing connect and disconnect lines drifts across rotation and restarts).
 *
 * @param procNet the directory holding {@code tcp} and {@code tcp6} ({@code /proc/net}); a missing
 *     {@code tcp6} counts as empty (no IPv6), a missing {@code tcp} is an error
 * @param smtpIn smtpd's ports (25, 465, 587)
 * @param pop3 POP3's ports (110, 995)
 * @param imap IMAP's ports (143, 993)
 * @param smtpOut remote ports of outbound SMTP (25)
 */
public record ActiveConnections(Path procNet, Set<Integer> smtpIn, Set<Integer> pop3, Set<Integer> imap,
    Set<Integer> smtpOut) {

  /** smtp, smtps, submission. */
  public static final Set<Integer> SMTP_IN_PORTS = Set.of(25, 465, 587);
  /** pop3, pop3s. */
  public static final Set<Integer> POP3_PORTS = Set.of(110, 995);
  /** imap, imaps. */
  public static final Set<Integer> IMAP_PORTS = Set.of(143, 993);
  /** smtp. */
  public static final Set<Integer> SMTP_OUT_PORTS = Set.of(25);

  /** TCP_ESTABLISHED in the kernel's {@code st} column. */
  private static final String ESTABLISHED = "01";

  /** Copies the sets and checks the ports. */
  public ActiveConnections {
    Objects.requireNonNull(procNet, "procNet");
    smtpIn = ports("smtp", smtpIn);
    pop3 = ports("pop3", pop3);
    imap = ports("imap", imap);
    smtpOut = ports("smtp-out", smtpOut);
  }

  private static Set<Integer> ports(String what, Set<Integer> ports) {
    for (Integer p : ports) {
      if (p == null || p < 1 || p > 65535) {
        throw new IllegalArgumentException(what + " port must be 1-65535, got " + p);
      }
    }
    return Set.copyOf(ports);
  }

  /**
   * What one read of the socket tables found.
   *
   * @param smtpIn sessions with smtpd
   * @param pop3 POP3 sessions
   * @param imap IMAP sessions
   * @param smtpOut outbound SMTP connections
   */
  public record Counts(int smtpIn, int pop3, int imap, int smtpOut) {}

  /**
   * Counts the ESTABLISHED sockets now.
   *
   * @throws IOException naming the table that could not be read or parsed
   */
  public Counts count() throws IOException {
    List<Socket> established = new ArrayList<>();
    read(procNet.resolve("tcp"), false, established);
    read(procNet.resolve("tcp6"), true, established);
    Set<String> localEnds = new HashSet<>();
    established.forEach(e -> localEnds.add(e.localEnd()));
    int[] n = new int[4];
    for (Socket e : established) {
      int local = e.localPort();
      if (smtpIn.contains(local)) {
        n[0]++;
      } else if (pop3.contains(local)) {
        n[1]++;
      } else if (imap.contains(local)) {
        n[2]++;
      } else if (smtpOut.contains(e.remotePort()) && !localEnds.contains(e.remoteEnd())) {
        n[3]++;
      }
    }
    return new Counts(n[0], n[1], n[2], n[3]);
  }

  /** One ESTABLISHED socket: both ends as the table writes them (hex address:port), and the ports. */
  private record Socket(String localEnd, int localPort, String remoteEnd, int remotePort) {}

  /** Adds the ESTABLISHED sockets of {@code table}. */
  private static void read(Path table, boolean optional, List<Socket> established) throws IOException {
    BufferedReader in;
    try {
      in = Files.newBufferedReader(table, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      if (optional) {
        return;
      }
      throw new IOException("cannot read " + table + ": no such file; set mailops.report.proc-net to the"
          + " directory of the kernel's tcp table (/proc/net), or empty to leave the connection gauges out", e);
    }
    try (in) {
      String line = in.readLine();   // header
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        String[] f = line.trim().split("\\s+");
        if (f.length < 4) {
          continue;
        }
        if (!f[3].equals(ESTABLISHED)) {
          continue;
        }
        int local = port(f[1], table, lineNo);
        int remote = port(f[2], table, lineNo);
        established.add(new Socket(f[1], local, f[2], remote));
      }
    }
  }

  /** The port of {@code ADDRHEX:PORTHEX}. */
  private static int port(String address, Path table, int lineNo) throws IOException {
    int colon = address.lastIndexOf(':');
    try {
      return Integer.parseInt(address.substring(colon + 1), 16);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new IOException("cannot parse " + table + " line " + lineNo + ": address '" + address
          + "' is not ADDRESS:PORT in hex", e);
    }
  }
}
