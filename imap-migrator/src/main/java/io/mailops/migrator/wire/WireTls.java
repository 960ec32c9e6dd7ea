package io.mailops.migrator.wire;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.imap.ImapLocation;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** TLS for a {@link WireConnection}: {@code imaps} from the first byte, or after STARTTLS. */
final class WireTls {

  private WireTls() {}

  /**
   * {@code raw}, connected to {@code location}, with TLS over it: the JDK's trust store and host
   * name check, or no check at all with {@link ImapLocation#trustAll()}. Handshakes before
   * returning.
   */
  static Socket wrap(Socket raw, ImapLocation location) throws IOException {
    SSLSocketFactory f;
    if (location.trustAll()) {
      try {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        f = ctx.getSocketFactory();
      } catch (GeneralSecurityException e) {
        throw new MailStoreException("cannot set up TLS for " + location + ": " + e.getMessage(), e);
      }
    } else {
      f = (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
    SSLSocket s = (SSLSocket) f.createSocket(raw, location.host(), location.port(), true);
    if (!location.trustAll()) {
      SSLParameters p = s.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      s.setSSLParameters(p);
    }
    try {
      s.startHandshake();
    } catch (IOException e) {
      throw new MailStoreException("TLS with " + location + " failed: " + e.getMessage()
          + (location.trustAll() ? "" : "; if the server's certificate is self-signed, use"
          + " --insecure (or trust=all in the URI)"), e);
    }
    return s;
  }

  /** Accepts any certificate: {@code trust=all} / {@code --insecure} only. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
