package io.mailops.migrator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a server that cuts the {@code victim}-th connection (1-based) after
 * {@code dropAfter} bytes from the server, as a dying link or a server restart would; other
 * connections pass untouched.
 */
final class DroppingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger drops = new AtomicInteger();

  DroppingProxy(int upstreamPort, int victim, long dropAfter) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
          int n = connections.incrementAndGet();
          pump(client.getInputStream(), up.getOutputStream(), Long.MAX_VALUE, client, up);
          pump(up.getInputStream(), client.getOutputStream(), n == victim ? dropAfter
              : Long.MAX_VALUE, client, up);
        } catch (IOException e) {
          return;
        }
      }
    }, "dropping-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  private void pump(InputStream in, OutputStream out, long limit, Socket a, Socket b) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[4096];
      long sent = 0;
      try {
        int n;
        while ((n = in.read(buf, 0, (int) Math.min(buf.length, Math.max(1, limit - sent)))) > 0) {
          out.write(buf, 0, n);
          out.flush();
          sent += n;
          if (sent >= limit) {
            drops.incrementAndGet();
            break;
          }
        }
      } catch (IOException e) {
        // the other side is gone
      }
      try {
        a.close();
        b.close();
      } catch (IOException e) {
        // closing anyway
      }
    }, "dropping-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  int drops() {
    return drops.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
