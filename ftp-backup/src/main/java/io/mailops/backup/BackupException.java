package io.mailops.backup;

import java.io.IOException;

/**
 * The root of ftp-backup's failures. The message names the set, file or message and the next
 * action, e.g. "manifest 2026…/example.com/alice/INBOX/manifest.json does not match its SHA-256
 * in the set manifest; the set is damaged, take a new full backup".
 */
public class BackupException extends IOException {

  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
