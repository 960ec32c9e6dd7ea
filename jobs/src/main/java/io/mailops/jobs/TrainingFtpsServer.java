package io.mailops.jobs;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;

/**
 * A minimal explicit-FTPS server on 127.0.0.1 for the class-data training of {@code backup
 * restore|list|verify} ({@link RestoreTraining#run}), so that the archive holds the classes of
 * a real FTPS read: Bouncy Castle's TLS client (full handshake on the control connection with an
 * RSA certificate checked against a CA file and the host name, resumed sessions on the data
 * connections), Commons Net's FTP client and the restore path. The key is a throw-away RSA key
 * made at start; its certificate goes to the training's CA file only. Read-only, one session at a
 * time, serving one directory; it answers what {@code FtpTarget} sends to read (as vsftpd would,
 * MLSD refused so that listings go through NLST) and 502 to the rest. Not for any other use.
 */
final class TrainingFtpsServer implements Closeable {

  private final Path root;
  private final SSLContext tls;
  private final ServerSocket control;
  private final Thread thread;

  /** Serves {@code root}; writes the certificate (PEM) to {@code caPem}. */
  TrainingFtpsServer(Path root, Path caPem) throws Exception {
    this.root = root.toAbsolutePath().normalize();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair key = g.generateKeyPair();
    X509Certificate cert = selfSigned(key);
    Files.writeString(caPem, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
    char[] pw = "training".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", key.getPrivate(), pw, new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    // as vsftpd 3.0.3 (ADR 0029, 0032): ECDHE over P-256 only, and the client's order of cipher
    // suites (ChaCha20-Poly1305 first in a C1-only JVM); the training JVM is a throw-away one
    System.setProperty("jdk.tls.namedGroups", "secp256r1");
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    control = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "cds-training-ftps");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return control.getLocalPort();
  }

  /** A certificate for 127.0.0.1 (subject alternative name), valid from a day ago for two days. */
  private static X509Certificate selfSigned(KeyPair key) throws Exception {
    X500Name name = new X500Name("CN=127.0.0.1");
    AlgorithmIdentifier sha256Rsa =
        new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
    long now = System.currentTimeMillis();
    V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
    tbs.setSerialNumber(new ASN1Integer(BigInteger.valueOf(now)));
    tbs.setIssuer(name);
    tbs.setSubject(name);
    tbs.setStartDate(new Time(new Date(now - 86_400_000L)));
    tbs.setEndDate(new Time(new Date(now + 86_400_000L)));
    tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
    tbs.setSignature(sha256Rsa);
    ExtensionsGenerator ext = new ExtensionsGenerator();
    ext.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    tbs.setExtensions(ext.generate());
    TBSCertificate body = tbs.generateTBSCertificate();
    Signature sig = Signature.getInstance("SHA256withRSA");
    sig.initSign(key.getPrivate());
    sig.update(body.getEncoded(ASN1Encoding.DER));
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(body);
    v.add(sha256Rsa);
    v.add(new DERBitString(sig.sign()));
    byte[] der = new DERSequence(v).getEncoded(ASN1Encoding.DER);
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(der));
  }

  private void serve() {
    while (!control.isClosed()) {
      try (Socket s = control.accept()) {
        session(s);
      } catch (IOException | RuntimeException e) {
        // training only: the client sees a broken connection and the training goes on
      }
    }
  }

  /** One control connection until QUIT or its end. */
  private void session(Socket plain) throws IOException {
    Socket s = plain;
    BufferedReader in = reader(s);
    Writer out = writer(s);
    reply(out, "220 mailops class-data training");
    boolean protect = false;
    long rest = 0;
    ServerSocket passive = null;
    try {
      for (String line; (line = in.readLine()) != null; ) {
        int sp = line.indexOf(' ');
        String cmd = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1);
        switch (cmd) {
          case "AUTH" -> {
            reply(out, "234 Proceed with negotiation.");
            SSLSocket t = serverSide(s);
            s = t;
            in = reader(s);
            out = writer(s);
          }
          case "USER" -> reply(out, "331 Please specify the password.");
          case "PASS" -> reply(out, "230 Login successful.");
          case "PBSZ" -> reply(out, "200 PBSZ set to 0.");
          case "PROT" -> {
            protect = arg.trim().equalsIgnoreCase("P");
            reply(out, "200 PROT now " + (protect ? "Private." : "Clear."));
          }
          case "TYPE" -> reply(out, "200 Switching to Binary mode.");
          case "NOOP" -> reply(out, "200 NOOP ok.");
          case "PASV", "EPSV" -> {
            close(passive);
            passive = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            int p = passive.getLocalPort();
            reply(out, cmd.equals("PASV")
                ? "227 Entering Passive Mode (127,0,0,1," + (p >> 8) + "," + (p & 0xff) + ")."
                : "229 Entering Extended Passive Mode (|||" + p + "|)");
          }
          case "SIZE" -> {
            Path f = file(arg);
            reply(out, f != null && Files.isRegularFile(f) ? "213 " + Files.size(f)
                : "550 Could not get file size.");
          }
          case "REST" -> {
            rest = Long.parseLong(arg.trim());
            reply(out, "350 Restart position accepted (" + rest + ").");
          }
          case "NLST", "RETR" -> {
            Path f = file(arg.isEmpty() ? "/" : arg);
            boolean ok = f != null && (cmd.equals("NLST") ? Files.isDirectory(f) : Files.isRegularFile(f));
            if (passive == null || !ok) {
              reply(out, "550 Failed to open file.");
            } else {
              try (Socket d = data(passive, protect, out)) {
                OutputStream o = d.getOutputStream();
                if (cmd.equals("NLST")) {
                  try (Stream<Path> list = Files.list(f)) {
                    for (Path p : (Iterable<Path>) list.sorted()::iterator) {
                      o.write((p.getFileName() + "\r\n").getBytes(StandardCharsets.UTF_8));
                    }
                  }
                } else {
                  try (InputStream fi = Files.newInputStream(f)) {
                    fi.skipNBytes(Math.min(rest, Files.size(f)));
                    fi.transferTo(o);
                  }
                }
                o.flush();
                reply(out, "226 Transfer complete.");
              } catch (IOException e) {
                reply(out, "426 Failure writing network stream.");
              }
            }
            rest = 0;
            close(passive);
            passive = null;
          }
          case "QUIT" -> {
            reply(out, "221 Goodbye.");
            return;
          }
          default -> {
            // MLSD and MLST too, as on vsftpd 3.0.3: listings fall back to NLST
            reply(out, "500 Unknown command.");
            if (cmd.equals("MLSD")) {
              close(passive);
              passive = null;
            }
          }
        }
      }
    } finally {
      close(passive);
      s.close();
    }
  }

  /** The data connection of a transfer: accepted, its 150 sent, TLS taken over if protected. */
  private Socket data(ServerSocket passive, boolean protect, Writer out) throws IOException {
    Socket d = passive.accept();
    reply(out, "150 Opening BINARY mode data connection.");
    if (!protect) {
      return d;
    }
    return serverSide(d);
  }

  /** {@code s} after a server-side TLS handshake that takes the client's first cipher suite. */
  private SSLSocket serverSide(Socket s) throws IOException {
    SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
    t.setUseClientMode(false);
    SSLParameters p = t.getSSLParameters();
    p.setUseCipherSuitesOrder(false);
    t.setSSLParameters(p);
    t.startHandshake();
    return t;
  }

  /** The file or directory {@code path} names under the root, or null if it is outside. */
  private Path file(String path) {
    String p = path.trim();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    Path f = root.resolve(p).normalize();
    return f.startsWith(root) ? f : null;
  }

  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
  }

  private static Writer writer(Socket s) throws IOException {
    return new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
  }

  private static void reply(Writer out, String line) throws IOException {
    out.write(line + "\r\n");
    out.flush();
  }

  private static void close(Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // nothing to release
    }
  }

  @Override
  public void close() {
    close(control);
  }
}
