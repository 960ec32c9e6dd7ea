package io.mailops.jobs.cli;

import io.mailops.jobs.batch.backup.BackupRun;
import io.mailops.jobs.batch.backup.OpenTarget;
import io.mailops.jobs.batch.backup.TargetSpec;
import io.mailops.jobs.config.MailOpsSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --to URI} and the FTP and encryption password options of every backup command. */
public final class BackupTargetOptions {

  @Option(names = "--to", paramLabel = "URI",
      description = "Backup target: file:/dir, ftp://user@host[:port]/path or ftps://… (default:"
          + " mailops.backup.target).")
  String to;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "File holding the FTP password (else $MAILOPS_FTP_PASSWORD, else ~/.netrc).")
  Path passwordFile;

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "Trust the certificates in this PEM file for FTPS (self-signed servers).")
  Path caFile;

  @Option(names = "--encryption-password-file", paramLabel = "FILE",
      description = "File holding the password the sets are encrypted with (else"
          + " $MAILOPS_BACKUP_PASSWORD, else mailops.backup.encryption-password-file).")
  Path encryptionPasswordFile;

  TargetSpec spec(MailOpsSettings settings) {
    return TargetSpec.of(settings, to, passwordFile, caFile);
  }

  OpenTarget open(MailOpsSettings settings) throws IOException {
    return spec(settings).open(settings.env());
  }

  /** The encryption password file in effect, or null. */
  Path encryptionFile(MailOpsSettings settings) {
    if (encryptionPasswordFile != null) {
      return encryptionPasswordFile;
    }
    String s = settings.get(TargetSpec.KEY + "encryption-password-file", "");
    return s.isBlank() ? null : Path.of(s);
  }

  /** The encryption password, or null when none is configured. */
  char[] encryptionPassword(MailOpsSettings settings) throws IOException {
    Path f = encryptionFile(settings);
    Map<String, String> env = settings.env();
    return BackupRun.encryptionPassword(f, env);
  }
}
