package io.mailops.jobs.batch.backup;

import io.mailops.backup.Backup;
import io.mailops.backup.BackupException;
import io.mailops.backup.BackupProgress;
import io.mailops.backup.BackupResult;
import io.mailops.backup.BackupSets;
import io.mailops.backup.FolderEntry;
import io.mailops.backup.ManifestCodec;
import io.mailops.backup.Scope;
import io.mailops.backup.SetId;
import io.mailops.backup.TarFrames;
import io.mailops.jobs.batch.JobLock;
import io.mailops.jobs.batch.StopRequest;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One {@code mailops backup run}: picks full or incremental, takes a lock so that one backup of a
 * scope to a target runs at a time, writes the set through {@link Backup}, and keeps a checkpoint
 * file under {@code $MAILOPS_HOME/backup/state/} after each folder (one JSON line appended per
 * folder, see {@link #save}). A run that finds the
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

  /** Suffix of the checkpoint file (JSON lines) under the state directory. */
  static final String CHECKPOINT = ".checkpoint";

  private BackupRun() {}

  /** Runs {@code r}. */
  public static Summary execute(Request r, Map<String, String> env, Clock clock, Console console)
      throws IOException {
    long t0 = System.nanoTime();
    Files.createDirectories(r.state());
    Files.createDirectories(r.work());
    String key = key(r.target().uri(), r.scope());
    Path lockFile = r.state().resolve(key + ".lock");
    Path checkpoint = r.state().resolve(key + CHECKPOINT);
    // written by mailops before ADR 0024 (one JSON document): read once, replaced by the journal
    Path legacy = r.state().resolve(key + ".json");
    try (JobLock lock = JobLock.tryAcquire(lockFile)) {
      if (lock == null) {
        throw new BackupException("another backup of " + r.scope() + " to " + r.target()
            + " is running (lock " + lockFile + "); wait for it to finish");
      }
      char[] secret = encryptionPassword(r.encryptionPasswordFile(), env);
      try (MailStore store = MailStores.open(r.storage(), PasswordSource.NONE);
          OpenTarget target = r.target().open(env)) {
        BackupProgress resume = resumable(checkpoint, legacy, target);
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
        }
        save(checkpoint, resume);
        Files.deleteIfExists(legacy);
        int total = countFolders(store, r.scope());
        Backup backup = new Backup(store, target, clock, r.work()).password(secret)
            .stopWhen(StopRequest::raised);
        BackupResult result = backup.run(r.scope(), kind, resume, progress -> {
          var last = progress.completed().get(progress.completed().size() - 1);
          append(checkpoint, last);
          console.folderDone(progress.completed().size(), Math.max(total, progress.completed().size()),
              last.account() + "/" + last.folder());
        });
        Files.deleteIfExists(checkpoint);
        return new Summary(result, target.toString(), reason, target.uploaded(),
            Duration.ofNanos(System.nanoTime() - t0));
      } finally {
        if (secret != null) {
          Arrays.fill(secret, '\0');
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
  private static BackupProgress resumable(Path checkpoint, Path legacy, OpenTarget target)
      throws IOException {
    BackupProgress p;
    if (Files.exists(checkpoint)) {
      p = read(checkpoint);
    } else if (Files.exists(legacy)) {
      p = ManifestCodec.read(Files.readAllBytes(legacy), BackupProgress.class, legacy.toString());
    } else {
      return null;
    }
    if (target.size(p.set() + "/" + BackupSets.MANIFEST).isPresent()) {
      // the set completed; only the clean-up was missed
      Files.deleteIfExists(checkpoint);
      Files.deleteIfExists(legacy);
      return null;
    }
    return p;
  }

  /**
   * Starts checkpoint {@code file} with {@code p} (atomically): a first line {@code {"set":…}},
   * then one line per completed folder ({@link FolderEntry} JSON). {@link #append} adds a line per
   * folder: rewriting every completed folder after each one made the checkpoint quadratic in the
   * folders (7% of an incremental's CPU on 457 folders, ADR 0024).
   */
  static void save(Path file, BackupProgress p) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(ManifestCodec.write(Map.of("set", p.set())));
    b.write('\n');
    for (FolderEntry e : p.completed()) {
      b.write(ManifestCodec.write(e));
      b.write('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, b.toByteArray());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Appends completed folder {@code e} to checkpoint {@code file} as one line. */
  static void append(Path file, FolderEntry e) throws IOException {
    byte[] json = ManifestCodec.write(e);
    byte[] line = Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    Files.write(file, line, StandardOpenOption.APPEND);
  }

  /**
   * Reads checkpoint {@code file}: the set and its completed folders. A last line without its
   * newline (the process died while appending it) is left out: that folder is written again.
   */
  static BackupProgress read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    List<FolderEntry> done = new ArrayList<>();
    String set = null;
    int start = 0;
    for (int nl = indexOf(all, start); nl >= 0; start = nl + 1, nl = indexOf(all, start)) {
      byte[] line = Arrays.copyOfRange(all, start, nl);
      if (set == null) {
        var head = ManifestCodec.read(line, SetLine.class, file.toString());
        set = head.set();
      } else {
        done.add(ManifestCodec.read(line, FolderEntry.class, file.toString()));
      }
    }
    if (set == null) {
      throw new BackupException("backup checkpoint " + file + " is damaged (no set line);"
          + " remove it, the next run starts a new set");
    }
    return new BackupProgress(set, done);
  }

  /** The first line of a checkpoint. */
  record SetLine(String set) {}

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
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
    byte[] d = TarFrames.sha256()
        .digest((target + "\n" + scope).getBytes(StandardCharsets.UTF_8));
    return "backup-" + HexFormat.of().formatHex(d, 0, 8);
  }
}
