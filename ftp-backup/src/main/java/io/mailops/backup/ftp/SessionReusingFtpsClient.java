package io.mailops.backup.ftp;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ftp.FTPSClient;
import org.bouncycastle.jsse.BCExtendedSSLSession;
import org.bouncycastle.jsse.BCSSLParameters;
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
  private static final Logger BCJSSE_LOG = quiet("org.bouncycastle.jsse");

  private static Logger quiet(String name) {
    Logger l = Logger.getLogger(name);
    l.setLevel(Level.SEVERE);
    return l;
  }

  /**
   * A client whose TLS context comes from {@code jsse} (from {@link #provider}, shared by the
   * clients of a target: its set-up is paid once per process). Each client gets its own
   * {@link SSLContext}, so its own session cache: a context shared by the control connections
   * made them resume each other's sessions, after which vsftpd refused their data connections
   * ("522 SSL connection failed: session reuse required").
   */
  SessionReusingFtpsClient(Provider jsse, X509TrustManager trust, boolean chachaFirst)
      throws GeneralSecurityException {
    this(context(jsse, trust), trust, chachaFirst);
  }

  private SessionReusingFtpsClient(SSLContext ctx, X509TrustManager trust, boolean chachaFirst) {
    super(false, ctx);
    setTrustManager(trust);
    if (chachaFirst) {
      setEnabledCipherSuites(chachaFirst(ctx.getDefaultSSLParameters().getCipherSuites()));
    }
  }

  /**
   * Whether this JVM runs without C2 ({@code -XX:TieredStopAtLevel=1}, as {@code bin/mailops}
   * runs an explicit incremental backup and the commands that read sets): then the TLS suites
   * with ChaCha20-Poly1305 ({@link C1TlsCrypto}) are offered first, and vsftpd (OpenSSL) takes
   * the client's order. With C2 the JDK's AES-GCM has its AES-NI and CLMUL intrinsics and is
   * faster: the default order stays.
   */
  static final boolean CHACHA_FIRST = c1Only(ProcessHandle.current().info().arguments()
      .map(List::of).orElse(List.of()));

  /**
   * Whether the JVM options {@code args} (the process's command line, read from the OS: cheap,
   * where the management beans would load ~250 classes into a one-message restore) stop at C1:
   * the last {@code -XX:TieredStopAtLevel=N} below 4, or {@code -XX:CompilationMode=quick-only}.
   */
  static boolean c1Only(List<String> args) {
    boolean c1 = false;
    for (String a : args) {
      if (a.startsWith("-XX:TieredStopAtLevel=")) {
        try {
          c1 = Integer.parseInt(a.substring(a.indexOf('=') + 1).strip()) < 4;
        } catch (NumberFormatException e) {
          c1 = false;
        }
      } else if (a.equals("-XX:CompilationMode=quick-only")) {
        c1 = true;
      } else if (a.equals("-jar")) {
        break; // the jar and the application's own arguments follow
      }
    }
    return c1;
  }

  /** {@code suites} with the ChaCha20-Poly1305 ones moved to the front, in their order. */
  static String[] chachaFirst(String[] suites) {
    List<String> out = new ArrayList<>();
    for (String s : suites) {
      if (s.contains("CHACHA20_POLY1305")) {
        out.add(s);
      }
    }
    for (String s : suites) {
      if (!s.contains("CHACHA20_POLY1305")) {
        out.add(s);
      }
    }
    return out.toArray(String[]::new);
  }

  /**
   * The Bouncy Castle JSSE provider; its TLS record crypto is the JDK's (JCA), not Bouncy
   * Castle's own provider, which was slower for an incremental backup (ADR 0024); in a JVM
   * without C2 ChaCha20-Poly1305 comes from Bouncy Castle's lightweight engines (ADR 0032).
   */
  static Provider provider(boolean chachaFirst) {
    return chachaFirst ? new BouncyCastleJsseProvider(false, new C1TlsCrypto.Provider())
        : new BouncyCastleJsseProvider();
  }

  private static SSLContext context(Provider jsse, X509TrustManager trust)
      throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS", jsse);
    ctx.init(null, new TrustManager[] {trust}, new SecureRandom());
    return ctx;
  }

  private static final String[] RSA_SCHEMES = {"rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384",
      "rsa_pss_rsae_sha512", "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512"};
  private static final String[] EC_SCHEMES = {"ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384",
      "ecdsa_secp521r1_sha512"};

  /**
   * The TLS 1.2 signature schemes for the server's key type on the control connection's
   * {@code session}; null (the default list) for TLS 1.3, other key types or no certificate.
   */
  static String[] schemesFor(BCExtendedSSLSession session) {
    if (!"TLSv1.2".equals(session.getProtocol())) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      String alg = chain.length == 0 ? "" : chain[0].getPublicKey().getAlgorithm();
      return switch (alg) {
        case "RSA" -> RSA_SCHEMES.clone();
        case "EC" -> EC_SCHEMES.clone();
        default -> null;
      };
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** The cipher suite of the control connection's TLS session (for tests). */
  String controlCipherSuite() {
    return ((SSLSocket) _socket_).getSession().getCipherSuite();
  }

  @Override
  protected void _prepareDataSocket_(Socket socket) {
    if (socket instanceof BCSSLSocket data && _socket_ instanceof BCSSLSocket control) {
      BCExtendedSSLSession session = control.getBCSession();
      if (session != null && session.isValid()) {
        data.setBCSessionToResume(session);
        // only the session's suite (Commons Net sets the client's list on the data socket after
        // this method): BCJSSE checks every enabled suite against the JDK's disabled algorithms
        // on each connection, a third of an abbreviated handshake's CPU with the whole list
        setEnabledCipherSuites(new String[] {session.getCipherSuite()});
        // and only the signature schemes the server's key can make, for the same reason (a
        // resumed handshake signs nothing; one that is not resumed still gets what it needs)
        String[] schemes = schemesFor(session);
        if (schemes != null) {
          BCSSLParameters p = data.getParameters();
          p.setSignatureSchemes(schemes);
          data.setParameters(p);
        }
      }
    }
  }
}
