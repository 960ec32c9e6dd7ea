package io.mailops.migrator;

import io.mailops.storage.model.FolderPath;
import java.util.List;

/**
 * What a migration did with one source folder.
 *
 * @param sourceFolder the folder on the source
 * @param targetFolder where its messages went
 * @param sourceCount messages the source scan listed
 * @param targetCountAfter messages in the target folder afterwards (before plus copied; in a dry
 *     run, what it would hold)
 * @param copied messages appended (in a dry run: that would be appended)
 * @param duplicates messages not appended because the target already had them (by fingerprint)
 * @param alreadyDone messages skipped because the state says an earlier run copied them
 * @param vanished messages expunged on the source between scan and read (skipped)
 * @param failed messages not copied because of an error (target refused, source unreadable)
 * @param failures one line per failure: folder, source message key, reason
 * @param bytes bytes of the messages copied
 * @param flagsUpdated copies on the target whose flags and keywords were set to the source's
 *     ({@code --sync-flags})
 */
public record FolderReport(FolderPath sourceFolder, FolderPath targetFolder, int sourceCount,
    int targetCountAfter, int copied, int duplicates, int alreadyDone, int vanished, int failed,
    List<String> failures, long bytes, int flagsUpdated) {

  public FolderReport {
    failures = List.copyOf(failures);
  }

  /** A report without flag updates. */
  public FolderReport(FolderPath sourceFolder, FolderPath targetFolder, int sourceCount,
      int targetCountAfter, int copied, int duplicates, int alreadyDone, int vanished, int failed,
      List<String> failures, long bytes) {
    this(sourceFolder, targetFolder, sourceCount, targetCountAfter, copied, duplicates,
        alreadyDone, vanished, failed, failures, bytes, 0);
  }

  /** Messages skipped for any reason other than a failure. */
  public int skipped() {
    return duplicates + alreadyDone + vanished;
  }
}
