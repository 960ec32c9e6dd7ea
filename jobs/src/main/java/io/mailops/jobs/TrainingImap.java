package io.mailops.jobs;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted IMAP server on {@code 127.0.0.1} (a free port) for the class-data archive's training
 * of {@code migrate run} ({@link MigrateTraining#run}, docs/adr/0028): it answers what the
 * no-op look of a migration asks (greeting, {@code CAPABILITY} with CONDSTORE, {@code LOGIN},
 * {@code LIST}, {@code STATUS}, {@code LOGOUT}) for one fixed set of folders, any user and
 * password, and {@code BAD} to anything else, so a run that is not answered by the look fails at
 * once instead of training the wrong path. Remembers the command names it was sent.
 */
final class TrainingImap implements Closeable {

  /** The capabilities it announces. */
  static final String CAPABILITIES = "IMAP4rev1 LITERAL+ CONDSTORE LIST-STATUS";

  private final ServerSocket server;
  private final Map<String, String> status;
  private final Set<String> commands = ConcurrentHashMap.newKeySet();

  /**
   * Starts answering on a free port; {@code status} maps each folder name (hierarchy separator
   * {@code /}) to its {@code STATUS} items, e.g. {@code UIDVALIDITY 7 UIDNEXT 4 MESSAGES 3
   * HIGHESTMODSEQ 9}.
   */
  TrainingImap(Map<String, String> status) throws IOException {
    this.status = Map.copyOf(status);
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "training-imap");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** The command names (upper case) received so far, on every connection. */
  Set<String> commands() {
    return Set.copyOf(commands);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "training-imap-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      write(out, "* OK [CAPABILITY " + CAPABILITIES + "] training server ready");
      String line;
      while ((line = in.readLine()) != null) {
        String[] w = line.split(" ", 3);
        if (w.length < 2) {
          write(out, "* BAD no command");
          continue;
        }
        String tag = w[0];
        String command = w[1].toUpperCase(Locale.ROOT);
        String args = w.length > 2 ? w[2] : "";
        commands.add(command);
        List<String> answer = answer(command, args);
        if (answer == null) {
          write(out, tag + " BAD " + command + " is not part of the training");
          continue;
        }
        answer.add(tag + " OK " + command + " done");
        write(out, String.join("\r\n", answer));
        if (command.equals("LOGOUT")) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  /** The untagged lines before the tagged OK, or null for a command it does not know. */
  private List<String> answer(String command, String args) {
    List<String> lines = new ArrayList<>();
    switch (command) {
      case "CAPABILITY" -> lines.add("* CAPABILITY " + CAPABILITIES);
      case "LOGIN" -> { }
      case "LOGOUT" -> lines.add("* BYE logging out");
      case "LIST" -> {
        if (args.endsWith("\"\"")) {
          lines.add("* LIST (\\Noselect) \"/\" \"\"");
        } else {
          // with RETURN (STATUS ...) (LIST-STATUS, as Dovecot offers it) each folder's status too
          boolean withStatus = args.contains(" RETURN (STATUS ");
          status.keySet().stream().sorted().forEach(f -> {
            lines.add("* LIST (\\HasNoChildren) \"/\" \"" + f + "\"");
            if (withStatus) {
              lines.add("* STATUS \"" + f + "\" (" + status.get(f) + ")");
            }
          });
        }
      }
      case "STATUS" -> {
        int open = args.indexOf(" (");
        String name = open > 0 ? args.substring(0, open).replace("\"", "") : "";
        String items = status.get(name);
        if (items == null) {
          return null;
        }
        lines.add("* STATUS \"" + name + "\" (" + items + ")");
      }
      default -> {
        return null;
      }
    }
    return lines;
  }

  private static void write(OutputStream out, String lines) throws IOException {
    out.write((lines + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
