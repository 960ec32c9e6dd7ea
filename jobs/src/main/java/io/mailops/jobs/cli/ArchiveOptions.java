package io.mailops.jobs.cli;

import io.mailops.jobs.batch.backup.TargetSpec;
import io.mailops.jobs.config.MailOpsSettings;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * {@code --archive DIR} and {@code --password-file F} of every archive command, and where the
 * password comes from: the file, else {@code MAILOPS_ARCHIVE_PASSWORD}, else a prompt on a
 * terminal. The password never appears in argv.
 */
public final class ArchiveOptions {

  static final String KEY = "mailops.archive.";
  static final String ENV = "MAILOPS_ARCHIVE_PASSWORD";

  @Option(names = "--archive", paramLabel = "DIR",
      description = "The archive directory (default: mailops.archive.dir).")
  Path archive;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "File holding the archive password (else $MAILOPS_ARCHIVE_PASSWORD, else a"
          + " prompt on a terminal).")
  Path passwordFile;

  /** The archive directory in effect. */
  Path dir(MailOpsSettings settings) {
    if (archive != null) {
      return archive.toAbsolutePath();
    }
    return Path.of(settings.get(KEY + "dir")).toAbsolutePath();
  }

  /**
   * The password: from the file, the environment or a prompt ({@code twice} asks again and
   * compares, for {@code archive init}).
   */
  char[] password(MailOpsSettings settings, boolean terminal, boolean twice) throws IOException {
    if (passwordFile != null) {
      return TargetSpec.firstLine(passwordFile, "--password-file");
    }
    String fromEnv = settings.env().get(ENV);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv.toCharArray();
    }
    Console console = terminal ? System.console() : null;
    if (console == null) {
      throw new IllegalArgumentException("no archive password: give --password-file FILE, set "
          + ENV + ", or run on a terminal to be asked");
    }
    char[] first = console.readPassword("Archive password for %s: ", dir(settings));
    if (first == null || first.length == 0) {
      throw new IllegalArgumentException("no archive password given");
    }
    if (twice) {
      char[] again = console.readPassword("Repeat the password: ");
      boolean same = Arrays.equals(first, again);
      if (again != null) {
        Arrays.fill(again, '\0');
      }
      if (!same) {
        Arrays.fill(first, '\0');
        throw new IllegalArgumentException("the two passwords differ; nothing was created");
      }
    }
    return first;
  }
}
