package io.mailops.backup.ftp;

import io.mailops.backup.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.bouncycastle.tls.TlsException;

/**
 * Opens logged-in control connections: passive, binary, timeouts set; for FTPS also the
 * configured protocols, a real trust manager (JDK trust store or the CA file) and hostname
 * verification. Thread-safe; each call returns a new client the caller disconnects.
 */
final class FtpConnector {

  private static final int DATA_BUFFER = 256 * 1024;
  private final FtpSettings settings;
  private final FtpTarget.Password password;
  private final X509TrustManager trust;
  /** The JSSE provider of every control connection, made on the first FTPS connect. */
  private Provider jsse;

  /**
   * Whether ChaCha20-Poly1305 suites are offered first and made available
   * ({@link SessionReusingFtpsClient#CHACHA_FIRST}: in a JVM without C2).
   */
  private final boolean chachaFirst;

  /** @throws BackupException if the CA file cannot be read */
  FtpConnector(FtpSettings settings, FtpTarget.Password password) throws BackupException {
    this(settings, password, SessionReusingFtpsClient.CHACHA_FIRST);
  }

  /** As above, ChaCha20-Poly1305 first or not whatever the JVM (for tests). */
  FtpConnector(FtpSettings settings, FtpTarget.Password password, boolean chachaFirst)
      throws BackupException {
    this.chachaFirst = chachaFirst;
    this.settings = settings;
    this.password = password;
    this.trust = settings.tls() ? trustManager(settings) : null;
  }

  /**
   * A connected, logged-in client in passive binary mode.
   *
   * @throws FtpRefusedException if the server refuses the login or TLS setup (do not retry)
   * @throws IOException if the connection fails (worth retrying)
   */
  FTPClient connect() throws IOException {
    FTPClient c;
    if (settings.tls()) {
      FTPSClient s;
      try {
        s = new SessionReusingFtpsClient(jsse(), trust, chachaFirst);
      } catch (GeneralSecurityException e) {
        throw new FtpRefusedException("cannot set up TLS for " + settings + " ("
            + e.getMessage() + "); check the JDK's security providers");
      }
      s.setEnabledProtocols(settings.tlsProtocols().toArray(String[]::new));
      s.setEndpointCheckingEnabled(settings.verifyHostname());
      c = s;
    } else {
      c = new FTPClient();
    }
    c.setConnectTimeout((int) settings.connectTimeout().toMillis());
    c.setDefaultTimeout((int) settings.readTimeout().toMillis());
    c.setDataTimeout(settings.readTimeout());
    // the copy buffer of STOR/RETR (Commons Net's default is 1 KiB: a TLS record per KiB)
    c.setBufferSize(DATA_BUFFER);
    try {
      try {
        c.connect(settings.host(), settings.port());
      } catch (SSLException | TlsException e) {
        throw new FtpRefusedException("TLS with " + settings + " failed (" + e.getMessage()
            + "); check the server certificate, the CA file option and the TLS protocols "
            + settings.tlsProtocols());
      }
      c.setSoTimeout((int) settings.readTimeout().toMillis());
      c.setTcpNoDelay(true);
      if (!FTPReply.isPositiveCompletion(c.getReplyCode())) {
        throw new FtpRefusedException("FTP server " + settings + " refused the connection: "
            + reply(c));
      }
      char[] pw = password.get();
      boolean ok;
      try {
        ok = c.login(settings.user(), new String(pw));
      } finally {
        Arrays.fill(pw, '\0');
      }
      if (!ok) {
        throw new FtpRefusedException("FTP server " + settings + " refused the login of "
            + settings.user() + ": " + reply(c) + "; check the user and the password file");
      }
      if (c instanceof FTPSClient s) {
        s.execPBSZ(0);
        s.execPROT("P");
        if (!FTPReply.isPositiveCompletion(s.getReplyCode())) {
          throw new FtpRefusedException("FTPS server " + settings + " refused PROT P: "
              + reply(c) + "; enable TLS for data connections on the server");
        }
      }
      c.enterLocalPassiveMode();
      if (!c.setFileType(FTP.BINARY_FILE_TYPE)) {
        throw new FtpRefusedException("FTP server " + settings + " refused binary mode: "
            + reply(c));
      }
      return c;
    } catch (IOException | RuntimeException e) {
      close(c);
      throw e;
    }
  }

  private synchronized Provider jsse() {
    if (jsse == null) {
      jsse = SessionReusingFtpsClient.provider(chachaFirst);
    }
    return jsse;
  }

  /** Logs out (best effort) and closes the connection; never throws. */
  static void close(FTPClient c) {
    if (c == null || !c.isConnected()) {
      return;
    }
    try {
      c.logout();
    } catch (IOException e) {
      // the connection is being dropped anyway
    }
    try {
      c.disconnect();
    } catch (IOException e) {
      // nothing left to release
    }
  }

  /** The server's last reply on one line. */
  static String reply(FTPClient c) {
    String r = c.getReplyString();
    return r == null ? "no reply" : r.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  /**
   * The JDK's trust manager seen as a plain {@link X509TrustManager}: it checks the server's
   * chain (PKIX against the JDK trust store or the CA file), and Bouncy Castle's JSSE, which
   * wraps a plain trust manager, then checks the algorithm constraints and the host name itself
   * (endpoint identification, as set by {@code setEndpointCheckingEnabled}). Handed the JDK's
   * {@code X509ExtendedTrustManager} directly, BCJSSE let the JDK check the host name, which
   * first loads and parses the JDK's whole {@code cacerts} (~140 certificates, to know whether
   * the chain ends at a public CA): 40% of the client's CPU for a TLS connection (ADR 0029).
   */
  private record ChainOnly(X509TrustManager jdk) implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      jdk.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      jdk.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return jdk.getAcceptedIssuers();
    }
  }

  private static X509TrustManager trustManager(FtpSettings s) throws BackupException {
    try {
      KeyStore ks = null;
      if (s.caFile() != null) {
        ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(s.caFile())) {
          for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            ks.setCertificateEntry("ca" + i++, cert);
          }
        }
        if (i == 0) {
          throw new BackupException("CA file " + s.caFile() + " for " + s
              + " holds no certificate; give a PEM file with the server's CA certificate");
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return new ChainOnly(x);
        }
      }
      throw new BackupException("no X.509 trust manager in this JDK for " + s
          + "; use a standard JDK");
    } catch (BackupException e) {
      throw e;
    } catch (IOException | GeneralSecurityException e) {
      throw new BackupException("cannot read CA file " + s.caFile() + " for " + s + " ("
          + e.getMessage() + "); give a readable PEM certificate file", e);
    }
  }
}
