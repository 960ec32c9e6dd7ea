package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.migrator.MigrationAccount;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.imap.ImapLocation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code AUTHENTICATE XOAUTH2} on the wire against a small scripted server that checks the
 * SASL payload {@code user=U^Aauth=Bearer T^A^A}, with and without SASL-IR, and refuses a wrong
 * token the way Gmail and Office 365 do (a continuation with a base64 JSON error, then NO).
 */
class WireXoauth2Test {

  static final String USER = "alice@example.com";
  static final String TOKEN = "ya29.a0AfH6SMB-token";

  /** One connection: greeting, CAPABILITY, AUTHENTICATE XOAUTH2, then OK to everything. */
  static final class Server implements AutoCloseable {
    final ServerSocket socket;
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile Throwable failure;

    Server(String caps) throws IOException {
      socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      Thread t = new Thread(() -> {
        try (Socket s = socket.accept()) {
          serve(s, caps);
        } catch (Throwable e) {
          failure = e;
        }
      });
      t.setDaemon(true);
      t.start();
    }

    private void serve(Socket s, String caps) throws IOException {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
          StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      write(out, "* OK scripted\r\n");
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        String[] w = line.split(" ");
        String tag = w[0];
        String verb = w.length > 1 ? w[1].toUpperCase() : "";
        switch (verb) {
          case "CAPABILITY" -> write(out, "* CAPABILITY IMAP4rev1 " + caps + "\r\n" + tag
              + " OK done\r\n");
          case "AUTHENTICATE" -> {
            String payload;
            if (w.length > 3) {
              payload = w[3];
            } else {
              write(out, "+ \r\n");
              payload = in.readLine();
              lines.add(payload);
            }
            String sasl = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8);
            if (sasl.equals("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001")) {
              write(out, tag + " OK [CAPABILITY IMAP4rev1] authenticated\r\n");
            } else {
              write(out, "+ " + Base64.getEncoder().encodeToString(
                  "{\"status\":\"401\",\"schemes\":\"bearer\"}".getBytes(StandardCharsets.UTF_8))
                  + "\r\n");
              lines.add(in.readLine());
              write(out, tag + " NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)\r\n");
            }
          }
          case "LIST" -> write(out, "* LIST (\\Noselect) \"/\" \"\"\r\n" + tag + " OK done\r\n");
          case "LOGOUT" -> {
            write(out, "* BYE bye\r\n" + tag + " OK done\r\n");
            return;
          }
          default -> write(out, tag + " OK done\r\n");
        }
      }
    }

    private static void write(OutputStream out, String s) throws IOException {
      out.write(s.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static WireConnection open(Server s, String token) throws IOException {
    return WireConnection.open(ImapLocation.parse(URI.create("imap://alice%40example.com@127.0.0.1:"
        + s.socket.getLocalPort() + "?starttls=false")), (u, h) -> (token + "\n").toCharArray(),
        MigrationAccount.Auth.XOAUTH2);
  }

  @Test
  void withSaslIrTheTokenGoesInTheAuthenticateCommand() throws Exception {
    try (Server s = new Server("AUTH=XOAUTH2 SASL-IR"); WireConnection c = open(s, TOKEN)) {
      assertThat(s.failure).isNull();
      assertThat(s.lines).anyMatch(l -> l.matches("w\\d+ AUTHENTICATE XOAUTH2 [A-Za-z0-9+/=]+"))
          .noneMatch(l -> l.contains(" LOGIN "));
      String ir = s.lines.stream().filter(l -> l.contains("AUTHENTICATE")).findFirst()
          .orElseThrow().split(" ")[3];
      assertThat(Base64.getDecoder().decode(ir)).isEqualTo(("user=alice@example.com\u0001auth=Bearer "
          + TOKEN + "\u0001\u0001").getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void withoutSaslIrTheTokenFollowsTheContinuation() throws Exception {
    try (Server s = new Server("AUTH=XOAUTH2"); WireConnection c = open(s, TOKEN)) {
      assertThat(s.lines).anyMatch(l -> l.matches("w\\d+ AUTHENTICATE XOAUTH2"));
      assertThat(s.failure).isNull();
    }
  }

  @Test
  void aRefusedTokenFailsWithTheServersWordsAndItsJsonError() throws Exception {
    try (Server s = new Server("AUTH=XOAUTH2 SASL-IR")) {
      assertThatThrownBy(() -> open(s, "expired"))
          .isInstanceOf(MailStoreException.class)
          .hasMessageContaining("cannot log in to")
          .hasMessageContaining("as alice@example.com with XOAUTH2")
          .hasMessageContaining("Invalid credentials")
          .hasMessageContaining("\"status\":\"401\"")
          .hasMessageContaining("renew the access token");
      // the client answered the error continuation with an empty line, as SASL requires
      assertThat(s.lines).contains("");
    }
  }

  @Test
  void aServerWithoutXoauth2IsRefusedBeforeSendingTheToken() throws Exception {
    try (Server s = new Server("AUTH=PLAIN")) {
      assertThatThrownBy(() -> open(s, TOKEN))
          .hasMessageContaining("does not offer AUTH=XOAUTH2");
      assertThat(s.lines).noneMatch(l -> l.contains("AUTHENTICATE"));
    }
  }
}
