package io.mailops.jobs.batch.migrate;

import io.mailops.migrator.AccountReport;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.VerifyReport;

/**
 * Connects the account steps of a running migration with the command that started it: progress
 * and per-account results go to the printer (none under {@code mailops jobs restart}). Called
 * from several step threads at once.
 */
public final class MigrateConsole {

  /** What the command shows. */
  public interface Printer {
    Printer NONE = new Printer() {};

    /** An account's folder is done. */
    default void folderDone(MigrationAccount account, String folder, int copied, int skipped, int failed) {}

    /** An account is done; {@code verify} is null in a dry run. */
    default void accountDone(MigrationAccount account, AccountReport report, VerifyReport verify,
        double seconds) {}

    /** {@code --delete-source-after-verify} removed {@code messages} from the account's source. */
    default void deletedFromSource(MigrationAccount account, int messages) {}

    /** An account failed as a whole (could not log in, say). */
    default void accountFailed(MigrationAccount account, String message) {}
  }

  private volatile Printer printer = Printer.NONE;

  /** Where progress goes from now on. */
  public void printTo(Printer printer) {
    this.printer = printer;
  }

  Printer printer() {
    return printer;
  }
}
