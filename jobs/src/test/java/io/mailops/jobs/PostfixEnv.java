package io.mailops.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import io.mailops.storage.interop.InteropEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The private Postfix started by {@code scripts/interop/postfix.sh start DIR}, found through
 * {@code MAILOPS_INTEROP_DIR}: SMTP submission to its smtpd, and its own {@code postqueue},
 * {@code postsuper} and {@code qshape} run against its configuration directory. Its relayhost is
 * a dead loopback port, so every message to a remote domain ends up deferred and nothing leaves
 * the machine.
 */
record PostfixEnv(String smtpHost, int smtpPort, Path configDir, Path queueDir, Path maillog) {

  private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Za-z]+)");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  static final JsonMapper JSON = JsonMapper.builder().build();
  /** Debian's postfix package installs it here. */
  private static final String QSHAPE = "/usr/sbin/qshape";

  /** One message to submit: envelope sender ({@code ""} = null sender), recipients, content. */
  record Mail(String sender, List<String> recipients, String subject, String content) {}

  /** Output of a finished command. */
  record Output(String stdout, String stderr) {}

  /** Reads {@code $MAILOPS_INTEROP_DIR/postfix.env}; fails with a one-line how-to if it is missing. */
  static PostfixEnv load() throws IOException {
    Map<String, String> kv = InteropEnv.read("postfix", "SMTP_HOST", "SMTP_PORT", "CONFIG_DIR", "QUEUE_DIR",
        "MAILLOG");
    return new PostfixEnv(kv.get("SMTP_HOST"), Integer.parseInt(kv.get("SMTP_PORT")),
        Path.of(kv.get("CONFIG_DIR")), Path.of(kv.get("QUEUE_DIR")), Path.of(kv.get("MAILLOG")));
  }

  /**
   * Submits {@code mails} in one SMTP session (each transaction pipelined: MAIL, RCPTs and DATA
   * in one write) and returns the queue IDs from the "queued as" replies, in order.
   */
  List<String> submit(List<Mail> mails) throws IOException {
    List<String> ids = new ArrayList<>(mails.size());
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(smtpHost, smtpPort), 5_000);
      s.setSoTimeout(30_000);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      expect(in, "greeting", '2');
      send(out, "EHLO interop.test\r\n");
      expect(in, "EHLO", '2');
      for (Mail m : mails) {
        StringBuilder cmds = new StringBuilder("MAIL FROM:<").append(m.sender()).append(">\r\n");
        for (String r : m.recipients()) {
          cmds.append("RCPT TO:<").append(r).append(">\r\n");
        }
        send(out, cmds.append("DATA\r\n").toString());
        expect(in, "MAIL FROM:<" + m.sender() + ">", '2');
        for (String r : m.recipients()) {
          expect(in, "RCPT TO:<" + r + ">", '2');
        }
        expect(in, "DATA", '3');
        send(out, dotStuffed(m.content()) + ".\r\n");
        String reply = expect(in, "end of data", '2');
        Matcher id = QUEUED_AS.matcher(reply);
        if (!id.find()) {
          throw new IOException("smtpd accepted a message but named no queue id: " + reply);
        }
        ids.add(id.group(1));
      }
      send(out, "QUIT\r\n");
    }
    return ids;
  }

  private static String dotStuffed(String content) {
    String crlf = content.replace("\r\n", "\n").replace("\n", "\r\n");
    if (!crlf.endsWith("\r\n")) {
      crlf += "\r\n";
    }
    return (crlf.startsWith(".") ? "." : "") + crlf.replace("\r\n.", "\r\n..");
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private String expect(BufferedReader in, String after, char wanted) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("smtpd " + smtpHost + ":" + smtpPort + " closed the connection after "
            + after);
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
    if (line.isEmpty() || line.charAt(0) != wanted) {
      throw new IOException("smtpd " + smtpHost + ":" + smtpPort + " answered '" + line + "' to "
          + after + "; see " + maillog);
    }
    return line;
  }

  /** {@code postqueue -c CONFIG_DIR -j}, one parsed object per line. */
  List<JsonNode> postqueueJson() throws IOException, InterruptedException {
    List<JsonNode> objects = new ArrayList<>();
    for (String line : run(null, "postqueue", "-c", configDir.toString(), "-j").stdout().split("\n")) {
      if (!line.isBlank()) {
        objects.add(JSON.readTree(line));
      }
    }
    return objects;
  }

  /** {@code postqueue -j} keyed by queue_id, in output order. */
  Map<String, JsonNode> queue() throws IOException, InterruptedException {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode o : postqueueJson()) {
      byId.put(o.get("queue_id").asString(), o);
    }
    return byId;
  }

  /**
   * Waits (at most {@code max}) until {@code postqueue -j} shows every one of {@code ids} in the
   * deferred queue (tried once, failed, waiting for the next retry) and returns that snapshot.
   */
  Map<String, JsonNode> awaitDeferred(Collection<String> ids, Duration max)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Map<String, JsonNode> q = queue();
      List<String> notYet = ids.stream()
          .filter(id -> !q.containsKey(id) || !"deferred".equals(q.get(id).get("queue_name").asString()))
          .toList();
      if (notYet.isEmpty()) {
        return q;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(notYet.size() + " of " + ids.size() + " messages not deferred"
            + " after " + max.toSeconds() + " s, e.g. " + notYet.get(0) + " = " + q.get(notYet.get(0))
            + "; see " + maillog);
      }
      Thread.sleep(200);
    }
  }

  /** {@code postsuper -c CONFIG_DIR OPTION -} with {@code ids} on standard input. */
  Output postsuper(String option, Collection<String> ids) throws IOException, InterruptedException {
    byte[] stdin = (String.join("\n", ids) + "\n").getBytes(StandardCharsets.UTF_8);
    return run(stdin, "postsuper", "-c", configDir.toString(), option, "-");
  }

  /**
   * Wakes the pickup daemon ({@code postkick public pickup W}), as postdrop does: a message that
   * {@code postsuper -r} put into maildrop/ is otherwise only found at pickup's next 60 s poll.
   */
  void wakePickup() throws IOException, InterruptedException {
    run(null, "postkick", "-c", configDir.toString(), "public", "pickup", "W");
  }

  /** Deletes every message of this private instance ({@code postsuper -d ALL}). */
  void deleteAll() throws IOException, InterruptedException {
    run(null, "postsuper", "-c", configDir.toString(), "-d", "ALL");
  }

  /** {@code qshape -c CONFIG_DIR ARGS}. */
  String qshape(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(QSHAPE, "-c", configDir.toString()));
    cmd.addAll(List.of(args));
    return run(null, cmd.toArray(String[]::new)).stdout();
  }

  /**
   * The real {@code qshape -c CONFIG_DIR ARGS} with its clock set to {@code epochSecond}: Perl's
   * {@code time} is overridden before the script is compiled, so the ages, and the buckets they
   * fall into, are those qshape would show at that moment.
   */
  String qshapeAt(long epochSecond, String... args) throws IOException, InterruptedException {
    String script = "BEGIN { my $t = $ENV{QSHAPE_NOW}; *CORE::GLOBAL::time = sub () { $t } }"
        + " $0 = 'qshape'; -r '" + QSHAPE + "' or die \"cannot read " + QSHAPE + ": $!\\n\";"
        + " do '" + QSHAPE + "'; die $@ if $@;";
    List<String> cmd = new ArrayList<>(List.of("perl", "-e", script, "--", "-c", configDir.toString()));
    cmd.addAll(List.of(args));
    return run(null, Map.of("QSHAPE_NOW", Long.toString(epochSecond)), cmd.toArray(String[]::new)).stdout();
  }

  /** Runs {@code cmd}, feeding {@code stdin} (may be null); fails unless it exits 0. */
  Output run(byte[] stdin, String... cmd) throws IOException, InterruptedException {
    return run(stdin, Map.of(), cmd);
  }

  private Output run(byte[] stdin, Map<String, String> env, String... cmd)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    }
    if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " did not finish in " + COMMAND_TIMEOUT.toSeconds() + " s");
    }
    Output result = new Output(new String(out.join(), StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
          + result.stderr().strip());
    }
    return result;
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return ("(unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
    }
  }
}
