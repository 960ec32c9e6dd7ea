package io.mailops.backup.ftp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/**
 * An in-process Apache FtpServer on a free loopback port: user {@code backup} (may write) and
 * user {@code reader} (may not), both with password {@link #PASSWORD} and home {@link #home()};
 * optionally explicit TLS with a self-signed certificate made by keytool (its PEM in
 * {@link #caPem()}); optionally drops the data connection of the first upload ending in
 * {@link #dropSuffix} after a number of bytes. Counts the commands it received.
 */
final class FtpTestServer implements AutoCloseable {

  static final String PASSWORD = "S3cret-ftp";

  private final FtpServer server;
  private final Path home;
  private final Path caPem;
  private final int port;
  final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
  final AtomicInteger drops = new AtomicInteger();
  /** Commands answered with 502 "not implemented", e.g. MLSD and MLST as on vsftpd. */
  final java.util.Set<String> unimplemented = ConcurrentHashMap.newKeySet();
  /** The first upload whose name ends so loses its data connection after {@code dropAfter}. */
  volatile String dropSuffix = ".part";

  /**
   * Starts a server under {@code dir}.
   *
   * @param tls explicit FTPS
   * @param dropAfter bytes after which the first upload ending in {@link #dropSuffix} loses its data connection,
   *     or a negative number for never
   */
  FtpTestServer(Path dir, boolean tls, long dropAfter) throws Exception {
    this(dir, tls, dropAfter, false);
  }

  /**
   * As above; with {@code killSession} the drop also closes the control connection (no reply),
   * as when a NAT or firewall resets the session.
   */
  FtpTestServer(Path dir, boolean tls, long dropAfter, boolean killSession) throws Exception {
    this(dir, tls, dropAfter, killSession, "ip:127.0.0.1,dns:localhost");
  }

  /**
   * As above, the certificate (explicit TLS) naming the hosts {@code san} (keytool's
   * {@code SAN=} syntax), e.g. one the client's host name does not match.
   */
  FtpTestServer(Path dir, boolean tls, long dropAfter, boolean killSession, String san)
      throws Exception {
    this(dir, tls, dropAfter, killSession, san, null);
  }

  /** As above, the server accepting only the TLS cipher suites {@code suites} (null: its own). */
  FtpTestServer(Path dir, boolean tls, long dropAfter, boolean killSession, String san,
      String[] suites) throws Exception {
    home = Files.createDirectories(dir.resolve("home"));
    Path users = Files.createFile(dir.resolve("users.properties"));
    PropertiesUserManagerFactory umf = new PropertiesUserManagerFactory();
    umf.setFile(users.toFile());
    umf.setPasswordEncryptor(new ClearTextPasswordEncryptor());
    UserManager um = umf.createUserManager();
    um.save(user("backup", List.of(new WritePermission())));
    um.save(user("reader", List.of()));

    ListenerFactory lf = new ListenerFactory();
    lf.setServerAddress("127.0.0.1");
    lf.setPort(0);
    DataConnectionConfigurationFactory dcf = new DataConnectionConfigurationFactory();
    dcf.setPassiveAddress("127.0.0.1");
    lf.setDataConnectionConfiguration(dcf.createDataConnectionConfiguration());
    if (tls) {
      caPem = selfSigned(dir, san);
      SslConfigurationFactory ssl = new SslConfigurationFactory();
      ssl.setKeystoreFile(dir.resolve("server.p12").toFile());
      ssl.setKeystoreType("PKCS12");
      ssl.setKeystorePassword("changeit");
      ssl.setKeyPassword("changeit");
      if (suites != null) {
        ssl.setEnabledCipherSuites(suites);
      }
      lf.setSslConfiguration(ssl.createSslConfiguration());
      lf.setImplicitSsl(false);
    } else {
      caPem = null;
    }
    FtpServerFactory sf = new FtpServerFactory();
    sf.setUserManager(um);
    sf.addListener("default", lf.createListener());
    sf.setFtplets(new java.util.HashMap<>(Map.of("test", new Recorder(dropAfter, killSession))));
    server = sf.createServer();
    server.start();
    port = ((org.apache.ftpserver.impl.DefaultFtpServer) server).getListener("default").getPort();
  }

  private BaseUser user(String name, List<Authority> authorities) {
    BaseUser u = new BaseUser();
    u.setName(name);
    u.setPassword(PASSWORD);
    u.setHomeDirectory(home.toString());
    u.setAuthorities(authorities);
    return u;
  }

  /** The home directory both users see as {@code /}. */
  Path home() {
    return home;
  }

  /** The server certificate in PEM, or null for plain FTP. */
  Path caPem() {
    return caPem;
  }

  /** {@code ftp://USER@127.0.0.1:PORT/PATH} (ftps:// with TLS). */
  String uri(String user, String path) {
    return (caPem != null ? "ftps" : "ftp") + "://" + user + "@127.0.0.1:" + port + path;
  }

  int count(String command) {
    AtomicInteger n = commands.get(command);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    server.stop();
  }

  private static Path selfSigned(Path dir, String san) throws IOException, InterruptedException {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Path ks = dir.resolve("server.p12");
    Path pem = dir.resolve("ca.pem");
    run(dir, keytool, "-genkeypair", "-alias", "ftp", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=localhost", "-ext", "SAN=" + san, "-validity", "2",
        "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
        "-keypass", "changeit");
    run(dir, keytool, "-exportcert", "-rfc", "-alias", "ftp", "-keystore", ks.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-file", pem.toString());
    return pem;
  }

  private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
    Path log = dir.resolve("keytool.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + Files.readString(log));
    }
  }

  /** Counts commands; drops the first matching upload's data connection if asked. */
  private final class Recorder extends DefaultFtplet {
    private final long dropAfter;
    private final boolean killSession;

    Recorder(long dropAfter, boolean killSession) {
      this.dropAfter = dropAfter;
      this.killSession = killSession;
    }

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request)
        throws FtpException, IOException {
      commands.computeIfAbsent(request.getCommand().toUpperCase(), k -> new AtomicInteger())
          .incrementAndGet();
      if (unimplemented.contains(request.getCommand().toUpperCase())) {
        session.write(new DefaultFtpReply(502, "Command not implemented (test)"));
        return FtpletResult.SKIP;
      }
      return super.beforeCommand(session, request);
    }

    @Override
    public FtpletResult onUploadStart(FtpSession session, FtpRequest request)
        throws FtpException, IOException {
      if (dropAfter < 0 || !request.getArgument().endsWith(dropSuffix) || drops.get() > 0) {
        return FtpletResult.DEFAULT;
      }
      drops.incrementAndGet();
      FtpFile file = session.getFileSystemView().getFile(request.getArgument());
      session.write(new DefaultFtpReply(150, "Opening data connection (test: will drop it)"));
      try (OutputStream out = file.createOutputStream(0)) {
        DataConnection dc = session.getDataConnection().openConnection();
        dc.transferFromClient(session, new Cut(out, dropAfter));
      } catch (Exception e) {
        // the cut, as planned
      } finally {
        session.getDataConnection().closeDataConnection();
      }
      if (killSession) {
        try {
          java.lang.reflect.Field f = session.getClass().getDeclaredField("ioSession");
          f.setAccessible(true);
          ((org.apache.ftpserver.impl.FtpIoSession) f.get(session)).closeNow();
        } catch (ReflectiveOperationException e) {
          throw new IOException("test server cannot close the session", e);
        }
      } else {
        session.write(new DefaultFtpReply(426, "Data connection dropped (test)"));
      }
      return FtpletResult.SKIP;
    }
  }

  /** Writes the first {@code limit} bytes, then fails like a reset socket. */
  private static final class Cut extends FilterOutputStream {
    private long left;

    Cut(OutputStream out, long limit) {
      super(out);
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = (int) Math.min(len, left);
      out.write(b, off, n);
      left -= n;
      if (n < len) {
        out.flush();
        throw new SocketException("test: connection reset");
      }
    }
  }
}
