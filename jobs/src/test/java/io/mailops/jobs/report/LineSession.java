package io.mailops.jobs.report;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One plain-text session with a line-based mail server (SMTP, IMAP, POP3) on loopback, for the
 * interop tests: send a command, read the reply lines. Counts the bytes it reads so that a test
 * can compare them with what the server logs (POP3 {@code retr=N/BYTES}). Not thread-safe; closes
 * its socket.
 */
final class LineSession implements Closeable {

  private final String where;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  LineSession(String host, int port) throws IOException {
    this.where = host + ":" + port;
    this.socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(30_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Sends {@code line} with CRLF. */
  void send(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One line without its CRLF, and how many bytes it took on the wire (with the CRLF). */
  record Line(String text, int bytes) {}

  /** The next line; fails if the server closed the connection. */
  Line read() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      b.write(c);
      if (c == '\n') {
        break;
      }
    }
    if (b.size() == 0) {
      throw new IOException(where + " closed the connection");
    }
    String s = b.toString(StandardCharsets.UTF_8);
    String text = s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s.strip();
    return new Line(text, b.size());
  }

  // ---- SMTP ----------------------------------------------------------------------------------

  /** The greeting, then EHLO; both must be 2xx. */
  void smtpHello(String helo) throws IOException {
    expectSmtp("greeting", smtpReply(), '2');
    send("EHLO " + helo);
    expectSmtp("EHLO", smtpReply(), '2');
  }

  /** Reads one (possibly multi-line) SMTP reply and returns its last line. */
  String smtpReply() throws IOException {
    String line;
    do {
      line = read().text();
    } while (line.length() > 3 && line.charAt(3) == '-');
    return line;
  }

  /** Sends {@code command} and returns the last line of the reply. */
  String smtp(String command) throws IOException {
    send(command);
    return smtpReply();
  }

  void expectSmtp(String after, String reply, char wanted) throws IOException {
    if (reply.isEmpty() || reply.charAt(0) != wanted) {
      throw new IOException("smtpd " + where + " answered '" + reply + "' to " + after);
    }
  }

  // ---- IMAP ----------------------------------------------------------------------------------

  /** Sends {@code tag command} and returns the tagged completion line (untagged ones are read and dropped). */
  String imap(String tag, String command) throws IOException {
    send(tag + " " + command);
    while (true) {
      String line = read().text();
      if (line.startsWith(tag + " ")) {
        return line.substring(tag.length() + 1);
      }
    }
  }

  /** {@code tag APPEND mailbox {N}} with {@code message} as a synchronizing literal; the tagged completion line. */
  String imapAppend(String tag, String mailbox, String message) throws IOException {
    byte[] literal = message.getBytes(StandardCharsets.UTF_8);
    send(tag + " APPEND " + mailbox + " {" + literal.length + "}");
    String go = read().text();
    if (!go.startsWith("+")) {
      return go.startsWith(tag + " ") ? go.substring(tag.length() + 1) : go;
    }
    out.write(literal);
    send("");
    while (true) {
      String line = read().text();
      if (line.startsWith(tag + " ")) {
        return line.substring(tag.length() + 1);
      }
    }
  }

  // ---- POP3 ----------------------------------------------------------------------------------

  /** Sends {@code command} and returns the status line ({@code +OK …} or {@code -ERR …}). */
  String pop3(String command) throws IOException {
    send(command);
    return read().text();
  }

  /**
   * {@code RETR n}: the bytes of the reply before its terminating "." line, the {@code +OK N octets}
   * line and CRLFs included, as on the wire (what Dovecot logs as {@code retr=1/BYTES}).
   */
  long pop3Retr(int n) throws IOException {
    send("RETR " + n);
    Line status = read();
    if (!status.text().startsWith("+OK")) {
      throw new IOException("pop3 " + where + " answered '" + status.text() + "' to RETR " + n);
    }
    long bytes = status.bytes();
    while (true) {
      Line l = read();
      if (l.text().equals(".")) {
        return bytes;
      }
      bytes += l.bytes();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
