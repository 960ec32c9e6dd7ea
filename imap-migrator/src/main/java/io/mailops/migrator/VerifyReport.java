package io.mailops.migrator;

import io.mailops.storage.model.FolderPath;
import java.util.ArrayList;
import java.util.List;

/** The result of {@link MigrationVerify}: one entry per compared folder. */
public record VerifyReport(List<VerifyReport.Folder> folders) {

  public VerifyReport {
    folders = List.copyOf(folders);
  }

  /**
   * The comparison of one source folder with its target folder.
   *
   * @param missing source messages the target lacks, one line each
   * @param extra target messages the source lacks, one line each: mail the target account had of
   *     its own (a migration into a mailbox already in use merges), so they are listed but are no
   *     difference, as with imapsync's "only on host2"
   * @param flagDifferences messages on both sides whose flags or keywords differ, one line each
   * @param problems messages that could not be read for the comparison
   * @param byCounts true when the folder was not compared message by message: both sides'
   *     {@link FolderStatus} (with HIGHESTMODSEQ) are those of an earlier comparison that found it
   *     complete ({@link VerifiedFolder}), so only the counts are reported
   */
  public record Folder(FolderPath sourceFolder, FolderPath targetFolder, int sourceCount,
      int targetCount, List<String> missing, List<String> extra, List<String> flagDifferences,
      List<String> problems, boolean byCounts) {

    public Folder {
      missing = List.copyOf(missing);
      extra = List.copyOf(extra);
      flagDifferences = List.copyOf(flagDifferences);
      problems = List.copyOf(problems);
    }

    /** A folder compared message by message. */
    public Folder(FolderPath sourceFolder, FolderPath targetFolder, int sourceCount,
        int targetCount, List<String> missing, List<String> extra, List<String> flagDifferences,
        List<String> problems) {
      this(sourceFolder, targetFolder, sourceCount, targetCount, missing, extra, flagDifferences,
          problems, false);
    }

    /** A folder unchanged on both sides since it was found complete: counts only. */
    public static Folder unchanged(FolderPath sourceFolder, FolderPath targetFolder,
        int sourceCount, int targetCount) {
      return new Folder(sourceFolder, targetFolder, sourceCount, targetCount, List.of(),
          List.of(), List.of(), List.of(), true);
    }

    /** Every source message on the target with the same flags, everything read. */
    public boolean ok() {
      return missing.isEmpty() && flagDifferences.isEmpty() && problems.isEmpty();
    }

    /** A summary line, then one line per difference. */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(sourceFolder + " -> " + targetFolder + ": " + sourceCount + " on source, "
          + targetCount + " on target" + (ok() ? ", ok" : ", DIFFERENT")
          + (byCounts ? " (unchanged on both sides since verified: counts only)" : ""));
      missing.forEach(l -> out.add("  missing on target: " + l));
      extra.forEach(l -> out.add("  extra on target (not on the source, left alone): " + l));
      flagDifferences.forEach(l -> out.add("  flags differ: " + l));
      problems.forEach(l -> out.add("  not compared: " + l));
      return out;
    }
  }

  /** True when every folder is ok. */
  public boolean ok() {
    return folders.stream().allMatch(Folder::ok);
  }

  /** Every folder's lines. */
  public List<String> lines() {
    return folders.stream().flatMap(f -> f.lines().stream()).toList();
  }
}
