package io.mailops.jobs.cli;

import io.mailops.jobs.batch.migrate.MigrateRequest;
import io.mailops.migrator.Fingerprint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options that say what to migrate, shared by {@code migrate run} and {@code migrate verify}. */
public final class MigrateOptions {

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--accounts", paramLabel = "CSV",
        description = "Accounts file: header row with source_host,source_port,source_security,"
            + "source_user,source_password,target_host,target_port,target_security,target_user,"
            + "target_password (or *_password_file, or target_maildir).")
    Path accounts;

    @ArgGroup(exclusive = false)
    OneOff oneOff;
  }

  static final class OneOff {
    @Option(names = "--source", required = true, paramLabel = "URI",
        description = "imap://user@host[:port] or imaps://user@host[:port].")
    String source;

    @Option(names = "--target", required = true, paramLabel = "URI",
        description = "imap[s]://user@host[:port] or maildir:/var/vmail[?account=user@domain].")
    String target;

    @Option(names = "--source-password-file", paramLabel = "FILE",
        description = "Source password (else $MAILOPS_SOURCE_PASSWORD).")
    Path sourcePasswordFile;

    @Option(names = "--target-password-file", paramLabel = "FILE",
        description = "Target password (else $MAILOPS_TARGET_PASSWORD).")
    Path targetPasswordFile;

    @Option(names = "--source-oauth2-token-file", paramLabel = "FILE",
        description = "Log in to the source with XOAUTH2; the access token is the file's first"
            + " line (read again at each login).")
    Path sourceTokenFile;

    @Option(names = "--target-oauth2-token-file", paramLabel = "FILE",
        description = "Log in to the target with XOAUTH2; the access token is the file's first"
            + " line.")
    Path targetTokenFile;
  }

  @Option(names = "--include", paramLabel = "REGEX", description = "Only source folders matching (A/B form).")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "REGEX", description = "Leave out source folders matching.")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--map", paramLabel = "RULE",
      description = "'Old Name=New/Name', or 're:^Old/(.*)$=Archive/$1'; first match wins.")
  List<String> map = new ArrayList<>();

  @Option(names = "--subscribed-only", description = "Only the folders subscribed on the source, and INBOX.")
  boolean subscribedOnly;

  @Option(names = "--include-deleted", description = "Keep the \\Deleted flag (default: dropped, message copied).")
  boolean includeDeleted;

  @Option(names = "--dedupe", paramLabel = "headers|content", defaultValue = "headers",
      description = "Message identity: normalised headers (Message-ID, Date, From, Subject, size;"
          + " content hash without Message-ID) or always the content hash (default ${DEFAULT-VALUE}).")
  String dedupe;

  @Option(names = "--insecure",
      description = "Do not check TLS certificates and host names of the IMAP servers (self-signed"
          + " test servers only; a warning is printed).")
  boolean insecure;

  /** The warning {@code --insecure} prints, or null. */
  String insecureWarning() {
    return insecure ? "mailops: warning: --insecure: TLS certificates and host names of the IMAP"
        + " servers are not checked; anyone on the path can read the passwords and the mail" : null;
  }

  MigrateRequest request(boolean dryRun) {
    Fingerprint.Mode mode = switch (dedupe.toLowerCase(java.util.Locale.ROOT)) {
      case "headers" -> Fingerprint.Mode.HEADERS;
      case "content" -> Fingerprint.Mode.CONTENT;
      default -> throw new IllegalArgumentException("--dedupe '" + dedupe + "': use headers or content");
    };
    OneOff o = what.oneOff;
    return new MigrateRequest(what.accounts, o == null ? null : o.source, o == null ? null : o.target,
        o == null ? null : o.sourcePasswordFile, o == null ? null : o.targetPasswordFile,
        include, exclude, map, dryRun, includeDeleted, subscribedOnly, mode, insecure)
        .withTokenFiles(o == null ? null : o.sourceTokenFile, o == null ? null : o.targetTokenFile);
  }
}
