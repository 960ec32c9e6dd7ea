package io.mailops.jobs.batch.backup;

import io.mailops.backup.BackupException;
import io.mailops.backup.BackupTarget;
import io.mailops.backup.ftp.FtpSettings;
import io.mailops.backup.ftp.FtpTarget;
import io.mailops.backup.ftp.Netrc;
import io.mailops.backup.local.LocalDirectoryTarget;
import io.mailops.jobs.config.MailOpsSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backup target as the user names it: {@code file:/dir} (or a plain absolute path),
 * {@code ftp://user@host[:port]/path} or {@code ftps://…}, with the FTP password file, CA file,
 * TLS protocols and hostname verification. The FTP password comes from the password file,
 * {@code MAILOPS_FTP_PASSWORD} or {@code ~/.netrc}, in that order — never from the URI.
 */
public record TargetSpec(String uri, Path passwordFile, Path caFile, List<String> tlsProtocols,
    boolean verifyHostname) {

  /** The settings keys under {@code mailops.backup.}. */
  public static final String KEY = "mailops.backup.";

  public TargetSpec {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("no backup target: give --to file:/dir or"
          + " ftps://user@host/path, or set mailops.backup.target in mailops.yml");
    }
    tlsProtocols = List.copyOf(tlsProtocols);
  }

  /** The target of {@code uriFlag} (else {@code mailops.backup.target}) and the related keys. */
  public static TargetSpec of(MailOpsSettings s, String uriFlag, Path passwordFlag, Path caFlag) {
    String uri = uriFlag != null ? uriFlag : s.get(KEY + "target", "");
    Path pw = passwordFlag != null ? passwordFlag : path(s.get(KEY + "password-file", ""));
    Path ca = caFlag != null ? caFlag : path(s.get(KEY + "ca-file", ""));
    List<String> protocols = Arrays.stream(s.get(KEY + "tls-protocols", "TLSv1.2").split(","))
        .map(String::trim).filter(p -> !p.isEmpty()).toList();
    boolean verify = !"false".equalsIgnoreCase(s.get(KEY + "verify-hostname", "true"));
    return new TargetSpec(uri, pw, ca, protocols, verify);
  }

  /** {@code null} for a blank setting. */
  static Path path(String value) {
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  /** Whether the target is a local directory. */
  public boolean local() {
    return !uri.startsWith("ftp://") && !uri.startsWith("ftps://");
  }

  /** The local directory of a {@code file:} target. */
  public Path directory() {
    if (uri.startsWith("file:")) {
      return Path.of(URI.create(uri.startsWith("file://") ? uri : "file://" + uri.substring(5)));
    }
    Path p = Path.of(uri);
    if (!p.isAbsolute()) {
      throw new IllegalArgumentException("backup target '" + uri + "' is neither file:/dir,"
          + " ftp://user@host/path nor ftps://user@host/path");
    }
    return p;
  }

  /**
   * FTP targets opened by {@link #openAhead}, connecting, until {@link #open} takes them (same
   * spec, so the same URI, password file, CA file and TLS settings).
   */
  private static final Map<TargetSpec, OpenTarget> AHEAD = new ConcurrentHashMap<>();

  /**
   * For an FTP target: opens it and starts connecting on a thread of its own (TLS handshake and
   * login while the caller starts the job), for the next {@link #open} of an equal spec in this
   * process; the connection's failure is that first operation's. Nothing for a local target.
   * {@link #dropAhead} closes it if no {@code open} took it.
   */
  public void openAhead(Map<String, String> env) throws IOException {
    if (local()) {
      return;
    }
    OpenTarget t = openNew(env);
    t.connectAhead();
    OpenTarget old = AHEAD.put(this, t);
    if (old != null) {
      old.close();
    }
  }

  /** Whether a target {@link #openAhead} opened for {@code spec} waits to be taken (tests). */
  static boolean openedAhead(TargetSpec spec) {
    return AHEAD.containsKey(spec);
  }

  /** Closes the target {@link #openAhead} opened if {@link #open} did not take it. */
  public void dropAhead() throws IOException {
    OpenTarget t = AHEAD.remove(this);
    if (t != null) {
      t.close();
    }
  }

  /**
   * Opens the target (the one {@link #openAhead} opened, if any); FTP targets connect on first
   * use. The caller closes it.
   */
  public OpenTarget open(Map<String, String> env) throws IOException {
    OpenTarget ahead = AHEAD.remove(this);
    return ahead != null ? ahead : openNew(env);
  }

  private OpenTarget openNew(Map<String, String> env) throws IOException {
    if (local()) {
      return new OpenTarget(new LocalDirectoryTarget(directory()), null);
    }
    FtpSettings ftp = FtpSettings.parse(uri).withTlsProtocols(tlsProtocols)
        .withVerifyHostname(verifyHostname);
    if (caFile != null) {
      ftp = ftp.withCaFile(caFile);
    }
    FtpSettings settings = ftp;
    FtpTarget target = new FtpTarget(settings, () -> password(settings, env));
    return new OpenTarget(target, target);
  }

  private char[] password(FtpSettings ftp, Map<String, String> env) throws IOException {
    if (passwordFile != null) {
      return firstLine(passwordFile, "--password-file");
    }
    String fromEnv = env.get("MAILOPS_FTP_PASSWORD");
    if (fromEnv != null) {
      return fromEnv.toCharArray();
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    Path netrc = Path.of(home, ".netrc");
    if (Files.exists(netrc)) {
      Optional<Netrc.Credentials> c = Netrc.load(netrc).lookup(ftp.host(), ftp.user());
      if (c.isPresent() && c.get().password() != null) {
        return c.get().password().toCharArray();
      }
    }
    throw new BackupException("no FTP password for " + ftp.user() + "@" + ftp.host()
        + ": give --password-file FILE, set MAILOPS_FTP_PASSWORD, or add 'machine " + ftp.host()
        + " login " + ftp.user() + " password …' to ~/.netrc");
  }

  /** The first line of a password file, without its line end. */
  public static char[] firstLine(Path file, String option) throws IOException {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      String line = nl < 0 ? s : s.substring(0, nl);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        throw new BackupException("password file " + file + " is empty; put the password on its"
            + " first line (" + option + ")");
      }
      return line.toCharArray();
    } catch (NoSuchFileException e) {
      throw new BackupException("password file " + file + " does not exist; check " + option);
    }
  }

  /** The URI as shown to users (never holds a password). */
  @Override
  public String toString() {
    return uri;
  }
}
