package io.mailops.backup.ftp;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where and how {@link FtpTarget} connects. Parsed once from {@code ftp://user@host[:port]/path}
 * or {@code ftps://user@host[:port]/path} (explicit FTPS: {@code AUTH TLS}, {@code PBSZ 0},
 * {@code PROT P}); the password never appears here, it comes from a {@link FtpTarget.Password}.
 *
 * @param host server host name or address
 * @param port control port, 1..65535 (21 when the URI has none)
 * @param user login name
 * @param basePath remote directory that holds the backup sets, {@code ""} for the login directory
 * @param tls explicit FTPS when true
 * @param tlsProtocols enabled TLS protocols; {@code TLSv1.2} by default because TLS 1.3 uploads to
 *     vsftpd fail intermittently with 426
 * @param verifyHostname check the server certificate against {@code host} (on by default)
 * @param caFile PEM file with the certificates to trust instead of the JDK's, or null
 * @param connectTimeout time allowed to connect
 * @param readTimeout time allowed for one read on the control or data connection
 * @param attempts tries per operation when the connection breaks, at least 1
 * @param backoff pause before the second try, doubled for each further one
 */
public record FtpSettings(String host, int port, String user, String basePath, boolean tls,
    List<String> tlsProtocols, boolean verifyHostname, Path caFile, Duration connectTimeout,
    Duration readTimeout, int attempts, Duration backoff) {

  /** Validates every field; the message names the bad value. */
  public FtpSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("FTP target: host is missing; use ftp://user@host/path");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("FTP target " + host + ": port " + port
          + " is out of range; use 1..65535");
    }
    if (user == null || user.isEmpty()) {
      throw new IllegalArgumentException("FTP target " + host + ": user is missing; use "
          + "ftp://user@" + host + "/path");
    }
    if (basePath == null || basePath.contains("\\") || basePath.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("FTP target " + host + ": bad path '" + basePath
          + "'; use a plain /-separated directory");
    }
    tlsProtocols = List.copyOf(tlsProtocols);
    if (tls && tlsProtocols.isEmpty()) {
      throw new IllegalArgumentException("FTPS target " + host + ": no TLS protocol enabled; "
          + "use e.g. TLSv1.2");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
        || readTimeout.isZero()) {
      throw new IllegalArgumentException("FTP target " + host + ": timeouts must be positive, got "
          + connectTimeout + " and " + readTimeout);
    }
    if (attempts < 1 || attempts > 100) {
      throw new IllegalArgumentException("FTP target " + host + ": attempts " + attempts
          + " is out of range; use 1..100");
    }
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("FTP target " + host + ": backoff " + backoff
          + " is negative");
    }
  }

  /**
   * Settings for {@code uri} with the defaults: TLSv1.2 only, hostname verification on, JDK trust
   * store, 15 s connect and 60 s read timeouts, 4 attempts from a 1 s backoff.
   *
   * @throws IllegalArgumentException if the scheme is not ftp/ftps, the user is missing or the URI
   *     holds a password
   */
  public static FtpSettings parse(String uri) {
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("FTP target '" + uri + "' is not a valid URI ("
          + e.getReason() + "); use ftp://user@host[:port]/path");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ftp") && !scheme.equals("ftps")) {
      throw new IllegalArgumentException("FTP target '" + uri + "' has scheme '" + scheme
          + "'; use ftp:// or ftps://");
    }
    String info = u.getRawUserInfo();
    if (info != null && info.contains(":")) {
      throw new IllegalArgumentException("FTP target " + u.getHost()
          + ": the URI holds a password; remove it and pass it with --password-file");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("FTP target '" + uri + "' has no host; use "
          + "ftp://user@host[:port]/path");
    }
    String path = u.getPath() == null ? "" : u.getPath();
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.equals("/")) {
      path = "";
    }
    return new FtpSettings(u.getHost(), u.getPort() < 0 ? 21 : u.getPort(), u.getUserInfo(), path,
        scheme.equals("ftps"), List.of("TLSv1.2"), true, null, Duration.ofSeconds(15),
        Duration.ofSeconds(60), 4, Duration.ofSeconds(1));
  }

  /** These settings trusting the certificates in the PEM file {@code pem} (self-signed servers). */
  public FtpSettings withCaFile(Path pem) {
    return new FtpSettings(host, port, user, basePath, tls, tlsProtocols, verifyHostname, pem,
        connectTimeout, readTimeout, attempts, backoff);
  }

  /** These settings with other TLS protocols, e.g. {@code List.of("TLSv1.2", "TLSv1.3")}. */
  public FtpSettings withTlsProtocols(List<String> protocols) {
    return new FtpSettings(host, port, user, basePath, tls, protocols, verifyHostname, caFile,
        connectTimeout, readTimeout, attempts, backoff);
  }

  /** These settings with hostname verification on or off. */
  public FtpSettings withVerifyHostname(boolean verify) {
    return new FtpSettings(host, port, user, basePath, tls, tlsProtocols, verify, caFile,
        connectTimeout, readTimeout, attempts, backoff);
  }

  /** These settings with other timeouts. */
  public FtpSettings withTimeouts(Duration connect, Duration read) {
    return new FtpSettings(host, port, user, basePath, tls, tlsProtocols, verifyHostname, caFile,
        connect, read, attempts, backoff);
  }

  /** These settings with another retry budget. */
  public FtpSettings withRetries(int tries, Duration firstBackoff) {
    return new FtpSettings(host, port, user, basePath, tls, tlsProtocols, verifyHostname, caFile,
        connectTimeout, readTimeout, tries, firstBackoff);
  }

  /** The URI without a password, e.g. {@code ftps://backup@nas:2121/sets}. */
  @Override
  public String toString() {
    return (tls ? "ftps://" : "ftp://") + user + "@" + host + (port == 21 ? "" : ":" + port)
        + (basePath.startsWith("/") || basePath.isEmpty() ? "" : "/") + basePath;
  }
}
