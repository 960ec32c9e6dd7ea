package io.mailops.jobs.batch.backup;

import io.mailops.backup.Backup;
import io.mailops.backup.BackupException;
import io.mailops.backup.BackupProgress;
import io.mailops.backup.BackupResult;
import io.mailops.backup.BackupSets;
import io.mailops.backup.ManifestCodec;
import io.mailops.backup.Scope;
import io.mailops.backup.SetId;
import io.mailops.jobs.batch.JobLock;
import io.mailops.jobs.batch.StopRequest;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One {@code mailops backup run}: picks full or incremental, takes a lock so that one backup of a
 * scope to a target runs at a time, writes the set through {@link Backup}, and keeps a checkpoint
 * file under {@code $MAILOPS_HOME/backup/state/} after each folder. A run that finds the
 * checkpoint of an interrupted run (killed, failed, machine restarted) continues that set and
 * uploads none of its finished folders again. The checkpoint is removed when the set is
 * complete. A {@link StopRequest} (the daemon's SIGTERM) ends the run between folders with
 * {@link Backup.Stopped}, the checkpoint holding whole folders only.
 */
public final class BackupRun {

  /** Told after each folder: folders done, folders in all, the folder, its messages. */
  public interface Console {
    Console NONE = (done, total, folder) -> { };

    void folderDone(int done, int total, String folder);
  }

  /**
   * What to back up.
   *
   * @param storage the store URI
   * @param target where the sets go
   * @param scope what to back up
   * @param kind {@code full}, {@code incremental} or {@code auto} (incremental while the newest full
   *     set of the scope is younger than {@code fullEveryDays})
   * @param encryptionPasswordFile the encryption password, or null (also
   *     {@code MAILOPS_BACKUP_PASSWORD}); no encryption without one
   * @param fullEveryDays age of the newest full set at which {@code auto} takes a full one
   * @param state directory for locks and checkpoints
   * @param work scratch directory for tars before upload
   */
  public record Request(String storage, TargetSpec target, Scope scope, String kind,
      Path encryptionPasswordFile, int fullEveryDays, Path state, Path work) {}

  /** The outcome: the library's result plus what only the run knows. */
  public record Summary(BackupResult result, String target, String kindReason, long bytesUploaded,
      Duration duration) {}

  private BackupRun() {}

  /** Runs {@code r}. */
  public static Summary execute(Request r, Map<String, String> env, Clock clock, Console console)
      throws IOException {
    long t0 = System.nanoTime();
    Files.createDirectories(r.state());
    Files.createDirectories(r.work());
    String key = key(r.target().uri(), r.scope());
    Path lockFile = r.state().resolve(key + ".lock");
    Path checkpoint = r.state().resolve(key + ".json");
    try (JobLock lock = JobLock.tryAcquire(lockFile)) {
      if (lock == null) {
        throw new BackupException("another backup of " + r.scope() + " to " + r.target()
            + " is running (lock " + lockFile + "); wait for it to finish");
      }
      char[] secret = encryptionPassword(r.encryptionPasswordFile(), env);
      try (MailStore store = MailStores.open(r.storage(), PasswordSource.NONE);
          OpenTarget target = r.target().open(env)) {
        BackupProgress resume = resumable(checkpoint, target);
        String reason;
        SetId.Kind kind;
        if (resume != null) {
          kind = SetId.parse(resume.set()).kind();
          reason = "continuing the interrupted set " + resume.set() + " ("
              + resume.completed().size() + " folders were done)";
        } else {
          String[] k = chooseKind(r, target, clock);
          kind = SetId.Kind.valueOf(k[0]);
          reason = k[1];
          resume = new BackupProgress(SetId.of(clock.instant(), kind, r.scope()).toString(), List.of());
          save(checkpoint, resume);
        }
        int total = countFolders(store, r.scope());
        Backup backup = new Backup(store, target, clock, r.work()).password(secret)
            .stopWhen(StopRequest::raised);
        BackupResult result = backup.run(r.scope(), kind, resume, progress -> {
          save(checkpoint, progress);
          var last = progress.completed().get(progress.completed().size() - 1);
          console.folderDone(progress.completed().size(), Math.max(total, progress.completed().size()),
              last.account() + "/" + last.folder());
        });
        Files.deleteIfExists(checkpoint);
        return new Summary(result, target.toString(), reason, target.uploaded(),
            Duration.ofNanos(System.nanoTime() - t0));
      } finally {
        if (secret != null) {
          java.util.Arrays.fill(secret, '\0');
        }
      }
    }
  }

  /** Whether a process holds the lock of {@code r}'s target and scope now. */
  public static boolean locked(Request r) throws IOException {
    return JobLock.held(r.state().resolve(key(r.target().uri(), r.scope()) + ".lock"));
  }

  /** The encryption password from {@code file} or {@code MAILOPS_BACKUP_PASSWORD}, else null. */
  public static char[] encryptionPassword(Path file, Map<String, String> env) throws IOException {
    if (file != null) {
      return TargetSpec.firstLine(file, "--encryption-password-file");
    }
    String e = env.get("MAILOPS_BACKUP_PASSWORD");
    return e == null || e.isEmpty() ? null : e.toCharArray();
  }

  /** {@code FULL|INCREMENTAL} and why. */
  private static String[] chooseKind(Request r, OpenTarget target, Clock clock) throws IOException {
    switch (r.kind()) {
      case "full":
        return new String[] {"FULL", "full backup (--full)"};
      case "incremental":
        return new String[] {"INCREMENTAL", "incremental backup (--incremental)"};
      case "auto":
        break;
      default:
        throw new IllegalArgumentException("backup kind '" + r.kind() + "': use full, incremental or auto");
    }
    String label = SetId.of(Instant.EPOCH, SetId.Kind.FULL, r.scope()).scopeLabel();
    SetId lastFull = null;
    for (SetId id : new BackupSets(target).list()) {
      if (id.scopeLabel().equals(label) && id.kind() == SetId.Kind.FULL) {
        lastFull = id;
      }
    }
    if (lastFull == null) {
      return new String[] {"FULL", "full backup: no earlier full set of " + r.scope() + " on the target"};
    }
    Duration age = Duration.between(lastFull.time(), clock.instant());
    if (age.compareTo(Duration.ofDays(r.fullEveryDays())) >= 0) {
      return new String[] {"FULL", "full backup: the last full set " + lastFull + " is "
          + age.toDays() + " days old (mailops.backup.full-every-days: " + r.fullEveryDays() + ")"};
    }
    return new String[] {"INCREMENTAL", "incremental backup on the chain of " + lastFull};
  }

  /** The checkpoint, if it names a set that is still incomplete on the target. */
  private static BackupProgress resumable(Path checkpoint, OpenTarget target) throws IOException {
    if (!Files.exists(checkpoint)) {
      return null;
    }
    BackupProgress p = ManifestCodec.read(Files.readAllBytes(checkpoint), BackupProgress.class,
        checkpoint.toString());
    if (target.size(p.set() + "/" + BackupSets.MANIFEST).isPresent()) {
      Files.delete(checkpoint); // the set completed; only the clean-up was missed
      return null;
    }
    return p;
  }

  private static void save(Path checkpoint, BackupProgress p) throws IOException {
    Path tmp = checkpoint.resolveSibling(checkpoint.getFileName() + ".tmp");
    Files.write(tmp, ManifestCodec.write(p));
    Files.move(tmp, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static int countFolders(MailStore store, Scope scope) throws IOException {
    int n = 0;
    for (AccountId a : store.accounts()) {
      if (scope.account() != null && !scope.account().equals(a)
          || scope.domain() != null && !scope.domain().equals(a.domain())) {
        continue;
      }
      for (FolderPath f : store.folders(a)) {
        if (scope.covers(a, f)) {
          n++;
        }
      }
    }
    return n;
  }

  /** The checkpoint and lock name of a target and scope. */
  static String key(String target, Scope scope) {
    byte[] d = io.mailops.backup.TarFrames.sha256()
        .digest((target + "\n" + scope).getBytes(StandardCharsets.UTF_8));
    return "backup-" + HexFormat.of().formatHex(d, 0, 8);
  }
}
