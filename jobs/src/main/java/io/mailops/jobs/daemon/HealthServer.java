package io.mailops.jobs.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The daemon's HTTP endpoint (the JDK's server, no web framework): {@code GET /health} (JSON: status,
 * uptime, per job last result and next run; 503 while a job's last run failed) and
 * {@code GET /metrics} (Prometheus text, or OpenMetrics when the client accepts it). Meant for
 * loopback: {@link #parse} refuses other addresses unless they are given explicitly.
 */
public final class HealthServer implements AutoCloseable {

  /** The body of an answer. */
  public interface Source {
    String health() throws IOException;

    boolean healthy();

    String metrics(boolean openMetrics) throws IOException;
  }

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /** {@code host:port} of {@code mailops.daemon.http.listen}, or null when empty (off). */
  public static InetSocketAddress parse(String listen) {
    if (listen == null || listen.isBlank()) {
      return null;
    }
    String v = listen.trim();
    int colon = v.lastIndexOf(':');
    try {
      if (colon < 0) {
        throw new NumberFormatException();
      }
      String host = v.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(v.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "127.0.0.1" : host), port);
    } catch (NumberFormatException | IOException e) {
      throw new IllegalArgumentException("mailops.daemon.http.listen '" + listen + "': give host:port such as"
          + " 127.0.0.1:9465, or leave it empty to turn the endpoint off");
    }
  }

  /** Serves {@code source} on {@code address}. */
  public static HealthServer start(InetSocketAddress address, Source source) throws IOException {
    HttpServer s;
    try {
      s = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new IOException("cannot listen on " + address + " (mailops.daemon.http.listen): " + e.getMessage()
          + "; pick a free port or leave the setting empty", e);
    }
    s.createContext("/health", x -> {
      if (allowed(x)) {
        send(x, source.healthy() ? 200 : 503, "application/json", source.health());
      }
    });
    s.createContext("/metrics", x -> {
      if (allowed(x)) {
        String accept = String.valueOf(x.getRequestHeaders().getFirst("Accept"));
        boolean om = accept.contains("application/openmetrics-text");
        send(x, 200, om ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
            : "text/plain; version=0.0.4; charset=utf-8", source.metrics(om));
      }
    });
    s.createContext("/", x -> send(x, 404, "text/plain; charset=utf-8", "try /health or /metrics\n"));
    s.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "mailops-http");
      t.setDaemon(true);
      return t;
    }));
    s.start();
    return new HealthServer(s);
  }

  private static boolean allowed(HttpExchange x) throws IOException {
    if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
      send(x, 405, "text/plain; charset=utf-8", "GET only\n");
      return false;
    }
    if (!x.getRequestURI().getPath().equals(x.getHttpContext().getPath())) {
      send(x, 404, "text/plain; charset=utf-8", "try /health or /metrics\n");
      return false;
    }
    return true;
  }

  private static void send(HttpExchange x, int code, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    boolean head = x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(code, head ? -1 : b.length);
    try (OutputStream o = x.getResponseBody()) {
      if (!head) {
        o.write(b);
      }
    }
  }

  /** Where it listens (the port chosen when 0 was configured). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
