package io.mailops.backup.ftp;

import io.mailops.backup.BackupException;

/**
 * The FTP server refused an operation with a permanent (5xx) reply, or the login or TLS setup
 * failed: retrying cannot help. The message names the remote file and the server's reply.
 */
public final class FtpRefusedException extends BackupException {

  public FtpRefusedException(String message) {
    super(message);
  }
}
