package io.mailops.migrator.wire;

import io.mailops.storage.imap.ImapLocation;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake IMAP server for protocol edge cases: one connection, greeting, then each complete
 * command (line and literal) goes to the script, whose answer is written as it is (bytes
 * written one at a time when {@code trickle} is on). CAPABILITY, LOGIN, LIST and LOGOUT have
 * default answers. A synchronising literal {@code {n}} gets {@code + go} unless the script's
 * {@link Script#beforeLiteral} answers instead.
 */
final class ScriptedImapServer implements Closeable {

  /** One command as the client sent it. */
  record Command(String tag, String line, byte[] literal) {}

  /** What the server answers. */
  interface Script {
    /** The bytes to write after {@code c} (may be empty: answer later). */
    String answer(Command c, List<Command> seen);

    /** Answer to a synchronising literal's header instead of {@code + go}; null: go. */
    default String beforeLiteral(String tag, String line) {
      return null;
    }
  }

  final List<Command> seen = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final Thread thread;
  volatile boolean trickle;
  volatile Throwable failure;
  /** Capabilities also as {@code [CAPABILITY ...]} codes: in the greeting, after LOGIN, or both. */
  private final boolean greetingCode;
  private final boolean loginCode;

  ScriptedImapServer(String capabilities, Script script) throws IOException {
    this(capabilities, false, false, script);
  }

  ScriptedImapServer(String capabilities, boolean greetingCode, boolean loginCode, Script script)
      throws IOException {
    this.greetingCode = greetingCode;
    this.loginCode = loginCode;
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> {
      try (Socket s = server.accept()) {
        serve(s, capabilities, script);
      } catch (Throwable e) {
        failure = e;
      }
    }, "scripted-imap");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** A wire connection logged in to this server as {@code u@example.com}. */
  WireConnection connect() throws IOException {
    return WireConnection.open(ImapLocation.parse(URI.create("imap://u%40example.com@127.0.0.1:"
        + port() + "?starttls=false")), (u, h) -> "pw".toCharArray());
  }

  private void serve(Socket s, String caps, Script script) throws IOException {
    InputStream in = new BufferedInputStream(s.getInputStream());
    OutputStream out = s.getOutputStream();
    write(out, greetingCode ? "* OK [CAPABILITY IMAP4rev1 " + caps + "] scripted ready\r\n"
        : "* OK scripted ready\r\n");
    while (true) {
      String line = line(in);
      if (line == null) {
        return;
      }
      // a line without a space is a continuation's answer (a SASL response): all of it is the tag
      String tag = line.indexOf(' ') < 0 ? line : line.substring(0, line.indexOf(' '));
      ByteArrayOutputStream literal = new ByteArrayOutputStream();
      long n = WireConnection.literalSize(line);
      String full = line;
      while (n >= 0) {
        if (!line.endsWith("+}")) {
          String instead = script.beforeLiteral(tag, full);
          if (instead != null) {
            write(out, instead);
            full = null;
            break;
          }
          write(out, "+ go\r\n");
        }
        literal.write(in.readNBytes((int) n));
        line = line(in);
        full += line;
        n = WireConnection.literalSize(line);
      }
      if (full == null) {
        continue;
      }
      Command c = new Command(tag, full, literal.toByteArray());
      seen.add(c);
      String[] words = full.split(" ");
      String verb = words.length > 1 ? words[1].toUpperCase() : "";
      switch (verb) {
        case "CAPABILITY" -> write(out, "* CAPABILITY IMAP4rev1 " + caps + "\r\n" + tag
            + " OK done\r\n");
        case "LOGIN" -> write(out, tag + (loginCode ? " OK [CAPABILITY IMAP4rev1 " + caps + "]"
            : " OK") + " logged in\r\n");
        case "LIST" -> write(out, full.contains(" RETURN ") ? script.answer(c, seen)
            : "* LIST (\\Noselect) \"/\" \"\"\r\n" + tag + " OK done\r\n");
        case "LOGOUT" -> {
          write(out, "* BYE bye\r\n" + tag + " OK done\r\n");
          return;
        }
        default -> write(out, script.answer(c, seen));
      }
    }
  }

  private void write(OutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    if (trickle) {
      for (byte x : b) {
        out.write(x);
        out.flush();
      }
    } else {
      out.write(b);
      out.flush();
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
