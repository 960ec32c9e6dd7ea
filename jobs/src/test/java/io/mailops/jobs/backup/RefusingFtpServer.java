package io.mailops.jobs.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/**
 * An in-process Apache FtpServer on a free loopback port (user {@code backup}, password
 * {@link #PASSWORD}) that counts every upload by file name and, while {@link #refuse} holds a
 * text, refuses uploads whose name contains it with {@code 553}, as a full or read-only server
 * does.
 */
final class RefusingFtpServer implements AutoCloseable {

  static final String PASSWORD = "S3cret-ftp";

  final Map<String, AtomicInteger> uploads = new ConcurrentHashMap<>();
  volatile String refuse;
  private final FtpServer server;
  private final Path home;
  private final int port;

  RefusingFtpServer(Path dir) throws Exception {
    home = Files.createDirectories(dir.resolve("ftp-home"));
    PropertiesUserManagerFactory umf = new PropertiesUserManagerFactory();
    umf.setFile(Files.createFile(dir.resolve("users.properties")).toFile());
    umf.setPasswordEncryptor(new ClearTextPasswordEncryptor());
    UserManager um = umf.createUserManager();
    BaseUser u = new BaseUser();
    u.setName("backup");
    u.setPassword(PASSWORD);
    u.setHomeDirectory(home.toString());
    u.setAuthorities(List.of(new WritePermission()));
    um.save(u);
    ListenerFactory lf = new ListenerFactory();
    lf.setServerAddress("127.0.0.1");
    lf.setPort(0);
    DataConnectionConfigurationFactory dcf = new DataConnectionConfigurationFactory();
    dcf.setPassiveAddress("127.0.0.1");
    lf.setDataConnectionConfiguration(dcf.createDataConnectionConfiguration());
    FtpServerFactory sf = new FtpServerFactory();
    sf.setUserManager(um);
    sf.addListener("default", lf.createListener());
    sf.setFtplets(new java.util.HashMap<>(Map.of("refuse", new DefaultFtplet() {
      @Override
      public FtpletResult onUploadStart(FtpSession session, FtpRequest request)
          throws org.apache.ftpserver.ftplet.FtpException, java.io.IOException {
        String name = request.getArgument();
        String r = refuse;
        if (r != null && name.contains(r)) {
          session.write(new DefaultFtpReply(553, "Requested action not taken (test: refused)"));
          return FtpletResult.SKIP;
        }
        uploads.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        return FtpletResult.DEFAULT;
      }
    })));
    server = sf.createServer();
    server.start();
    port = ((org.apache.ftpserver.impl.DefaultFtpServer) server).getListener("default").getPort();
  }

  Path home() {
    return home;
  }

  String uri(String path) {
    return "ftp://backup@127.0.0.1:" + port + path;
  }

  /** Uploads of names ending in {@code suffix} (e.g. a folder's tar), by name. */
  Map<String, Integer> uploadsEndingIn(String suffix) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    uploads.forEach((k, v) -> {
      if (k.endsWith(suffix)) {
        out.put(k, v.get());
      }
    });
    return out;
  }

  @Override
  public void close() {
    server.stop();
  }
}
