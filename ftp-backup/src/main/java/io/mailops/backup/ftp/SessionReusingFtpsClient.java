package io.mailops.backup.ftp;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ftp.FTPSClient;
import org.bouncycastle.jsse.BCExtendedSSLSession;
import org.bouncycastle.jsse.BCSSLSocket;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * An explicit-FTPS client whose data connections resume the TLS session of the control
 * connection, as vsftpd requires by default ({@code require_ssl_reuse=YES}: "522 SSL connection
 * failed: session reuse required") and as curl and lftp do. The JDK's JSSE offers no way to
 * resume a given session on a new socket, so the TLS layer is Bouncy Castle's JSSE provider,
 * whose {@link BCSSLSocket#setBCSessionToResume} does exactly that (the approach of Commons Net
 * JIRA NET-408 / PR #321). Used by one thread at a time, like {@link FTPSClient}.
 */
final class SessionReusingFtpsClient extends FTPSClient {

  /**
   * Bouncy Castle's JSSE logs through java.util.logging, e.g. a WARNING for every entry of the
   * JDK's {@code jdk.certpath.disabledAlgorithms} it does not understand — noise on the console
   * of every FTPS command. Held here so the level is not lost when the logger is collected.
   */
  private static final java.util.logging.Logger BCJSSE_LOG = quiet("org.bouncycastle.jsse");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
    l.setLevel(java.util.logging.Level.SEVERE);
    return l;
  }

  /**
   * A client whose TLS context comes from {@code jsse} (from {@link #provider}, shared by the
   * clients of a target: its set-up is paid once per process). Each client gets its own
   * {@link SSLContext}, so its own session cache: a context shared by the control connections
   * made them resume each other's sessions, after which vsftpd refused their data connections
   * ("522 SSL connection failed: session reuse required").
   */
  SessionReusingFtpsClient(Provider jsse, X509TrustManager trust)
      throws GeneralSecurityException {
    super(false, context(jsse, trust));
    setTrustManager(trust);
  }

  /**
   * The Bouncy Castle JSSE provider; its TLS record crypto is the JDK's (JCA), not Bouncy
   * Castle's own provider, which was slower for an incremental backup (ADR 0024).
   */
  static Provider provider() {
    return new BouncyCastleJsseProvider();
  }

  private static SSLContext context(Provider jsse, X509TrustManager trust)
      throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS", jsse);
    ctx.init(null, new TrustManager[] {trust}, new SecureRandom());
    return ctx;
  }

  @Override
  protected void _prepareDataSocket_(Socket socket) {
    if (socket instanceof BCSSLSocket data && _socket_ instanceof BCSSLSocket control) {
      BCExtendedSSLSession session = control.getBCSession();
      if (session != null && session.isValid()) {
        data.setBCSessionToResume(session);
      }
    }
  }
}
