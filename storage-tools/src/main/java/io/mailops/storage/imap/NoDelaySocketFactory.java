package io.mailops.storage.imap;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * Plain TCP sockets with Nagle's algorithm off ({@code TCP_NODELAY}). Angus Mail has no property
 * for it, and with Nagle on every IMAP command written in more than one piece (an APPEND with
 * its literal, a FETCH after a small write) waits for the server's delayed ACK: about 40 ms per
 * command even on loopback.
 *
 * <p>{@link ImapConnection} hands an instance to Angus Mail as {@code mail.imap.socketFactory} /
 * {@code mail.imaps.socketFactory} (an object in the session properties, not a class name). It is
 * deliberately not an {@link javax.net.ssl.SSLSocketFactory}: Angus Mail then creates the
 * unconnected socket here, connects it, and for {@code imaps} layers TLS over it with its own
 * choice of factory ({@code ssl.trust} or the JDK default) and its own host name check; STARTTLS
 * layers TLS over the same connected socket. So the trust settings stay exactly Angus Mail's, and
 * TLS sockets carry {@code TCP_NODELAY} from the socket underneath.
 */
final class NoDelaySocketFactory extends SocketFactory {

  /** The factory every {@link ImapConnection} uses unless a test passes its own. */
  static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory(s -> { });

  private final Consumer<Socket> created;

  /**
   * A factory that also hands each new socket, after {@code TCP_NODELAY} is set, to
   * {@code created} (tests observe the sockets this way).
   */
  NoDelaySocketFactory(Consumer<Socket> created) {
    this.created = Objects.requireNonNull(created, "created");
  }

  /** The unconnected socket Angus Mail asks for; it connects it itself, with its timeout. */
  @Override
  public Socket createSocket() throws IOException {
    return noDelay(new QuickAckSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    return connect(s, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    return connect(s, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    return connect(s, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
      int localPort) throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    return connect(s, new InetSocketAddress(address, port));
  }

  private Socket noDelay(Socket s) throws IOException {
    try {
      s.setTcpNoDelay(true);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    created.accept(s);
    return s;
  }

  private static Socket connect(Socket s, InetSocketAddress to) throws IOException {
    try {
      s.connect(to);
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * A socket that asks for quick ACKs ({@code TCP_QUICKACK}, Linux) before each read, where the
   * platform has the option. A server that leaves Nagle's algorithm on and writes a response in
   * several pieces (GreenMail writes each line on its own) otherwise waits for our delayed ACK
   * of the first piece, about 40 ms, before it sends the rest. Linux leaves quick-ACK mode by
   * itself once the exchange looks interactive, hence the re-arming before every read.
   */
  static final class QuickAckSocket extends Socket {

    private static final boolean QUICK_ACK =
        new Socket().supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);

    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (!QUICK_ACK) {
        return super.getInputStream();
      }
      if (in == null) {
        in = new FilterInputStream(super.getInputStream()) {
          @Override
          public int read() throws IOException {
            quickAck();
            return super.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            quickAck();
            return super.read(b, off, len);
          }
        };
      }
      return in;
    }

    private void quickAck() {
      try {
        setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
      } catch (IOException | RuntimeException e) {
        // closed or not supported after all: reading works without it, only slower
      }
    }
  }
}
