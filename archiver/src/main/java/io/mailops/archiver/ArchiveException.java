package io.mailops.archiver;

import java.io.IOException;

/**
 * The root of the archiver's failures: one line for the user that names the archive, volume,
 * file or message and what to do, e.g. "wrong archive password for /srv/archive; give the
 * password the archive was created with".
 */
public class ArchiveException extends IOException {

  public ArchiveException(String message) {
    super(message);
  }

  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
