package io.mailops.migrator;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.Skip;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies one account from a source {@link MailStore} to a target one, folder by folder (INBOX
 * first), with exact bytes, flags, keywords and internal dates.
 *
 * <p>For each source folder the {@link FolderNamer} picks the target folder (empty: left out),
 * which is created if missing. A source message whose key the {@link MigrationState} holds is
 * skipped unread; any other is read (in memory up to 8 MiB, else spooled to a temporary file),
 * skipped as a duplicate if the target folder already has a message with the same
 * {@link Fingerprint} (each target message matches one source message; a message is only
 * fingerprinted while the target folder has messages left to match), else appended, and only
 * then recorded in the state, so a run stopped at any moment can simply be run again. The target
 * folder is fingerprinted once, and only when a message needs it; if some of its messages cannot
 * be read, nothing is copied into it (every message not done yet is listed as failed) rather
 * than risk a duplicate.
 *
 * <p>A folder that the last verification found complete ({@link MigrationState#verified}) is
 * not scanned at all while the readers' {@link FolderStatus} of it and of its target folder
 * (with HIGHESTMODSEQ) are still those of that verification: its messages count as already done.
 *
 * <p>A message the target refuses, or the source cannot deliver, is listed as failed with its
 * folder, key and reason and the run goes on; a message expunged on the source meanwhile is
 * skipped. Other failures (a folder that cannot be listed or created, a state that cannot be
 * written, an exception from the {@link Listener}) stop the run; what was recorded stays. The
 * source is only scanned and read. One run at a time per instance.
 *
 * <p>With {@link #reconnecting}, a folder whose connection died is migrated again on new
 * connections. {@link Options#preserveUids()} gives the copies in a Maildir target the source's
 * UIDs ({@link MaildirStore#claimUids}); {@link Options#syncFlags()} sets the flags of earlier
 * copies to the source's (see {@code syncFlags}). ADR 0013 has the details.
 */
public final class Migrator {

  /**
   * How to migrate.
   *
   * @param dryRun scan and compare only: no folder created, no message appended, no state written
   * @param includeDeleted copy the {@code \Deleted} flag too (default false: the message is
   *     copied without it)
   * @param mode how messages are identified for dedupe
   * @param subscribedOnly migrate subscribed folders only (folders whose subscription the source
   *     store does not report count as subscribed)
   * @param preserveUids keep the source's UIDVALIDITY, UIDs and UIDNEXT: only into a Maildir
   *     target ({@link MaildirStore#claimUids}), only into folders that are empty or were filled
   *     this way before
   * @param syncFlags apply flags and keywords changed on the source since the last run to the
   *     copies on the target
   */
  public record Options(boolean dryRun, boolean includeDeleted, Fingerprint.Mode mode,
      boolean subscribedOnly, boolean preserveUids, boolean syncFlags) {

    public Options {
      Objects.requireNonNull(mode, "mode");
    }

    /** Without {@code preserveUids} and {@code syncFlags}. */
    public Options(boolean dryRun, boolean includeDeleted, Fingerprint.Mode mode,
        boolean subscribedOnly) {
      this(dryRun, includeDeleted, mode, subscribedOnly, false, false);
    }

    /** These options with {@code preserveUids} set as given. */
    public Options withPreserveUids(boolean preserve) {
      return new Options(dryRun, includeDeleted, mode, subscribedOnly, preserve, syncFlags);
    }

    /** These options with {@code syncFlags} set as given. */
    public Options withSyncFlags(boolean sync) {
      return new Options(dryRun, includeDeleted, mode, subscribedOnly, preserveUids, sync);
    }

    /** Copy for real, drop {@code \Deleted}, dedupe by headers, every folder. */
    public static Options defaults() {
      return new Options(false, false, Fingerprint.Mode.HEADERS, false);
    }
  }

  /**
   * Progress of the folder being migrated, after each message.
   *
   * @param skipped duplicates, already done and vanished together
   */
  public record Progress(FolderPath sourceFolder, FolderPath targetFolder, int total, int copied,
      int skipped, int failed, long bytes) {}

  /** Told about the run's progress; called on the migrating thread. An exception stops the run. */
  public interface Listener {

    /** Tells nobody. */
    Listener NONE = new Listener() {};

    /** A folder's scan is done; {@code messages} are about to be handled. */
    default void folderStarted(FolderPath sourceFolder, FolderPath targetFolder, int messages) {}

    /** One more message of the current folder was handled. */
    default void progress(Progress progress) {}

    /** The folder is done. */
    default void folderDone(FolderReport report) {}
  }

  private final MailStore source;
  private final AccountId sourceAccount;
  private final MailStore target;
  private final AccountId targetAccount;
  private final FolderNamer namer;
  private final MigrationState state;
  private final Options options;
  private Io io;
  private final CopiedMessages copies = new CopiedMessages();
  private Reconnect reconnect;
  private int attempts;
  private Duration firstWait = Duration.ZERO;

  /** Opens the message traffic anew after a connection died ({@link ConnectionLostException}). */
  public interface Reconnect {

    /** Closes what the old {@link Io} used and returns one on new connections. */
    Io reopen() throws IOException;
  }

  /**
   * How message contents travel: the reader of the source, the reader of the target (for
   * dedupe) and the writer of the target. {@link #of} goes through the stores one message at a
   * time; the wire-level readers and writers of {@code io.mailops.migrator.wire} pipeline.
   */
  public record Io(MessageReader sourceReader, MessageReader targetReader,
      MessageWriter targetWriter) {

    public Io {
      Objects.requireNonNull(sourceReader, "sourceReader");
      Objects.requireNonNull(targetReader, "targetReader");
      Objects.requireNonNull(targetWriter, "targetWriter");
    }

    /** Through the stores themselves. */
    public static Io of(MailStore source, MailStore target) {
      return new Io(MessageReader.of(source), MessageReader.of(target), MessageWriter.of(target));
    }
  }

  /**
   * A migration of {@code sourceAccount} to {@code targetAccount}; the caller closes the
   * stores.
   */
  public Migrator(MailStore source, AccountId sourceAccount, MailStore target,
      AccountId targetAccount, FolderNamer namer, MigrationState state, Options options) {
    this(source, sourceAccount, target, targetAccount, namer, state, options,
        Io.of(source, target));
  }

  /**
   * A migration whose message contents travel through {@code io}; the stores still list, scan
   * and create folders. The caller closes the stores and whatever {@code io} uses.
   */
  public Migrator(MailStore source, AccountId sourceAccount, MailStore target,
      AccountId targetAccount, FolderNamer namer, MigrationState state, Options options, Io io) {
    this.io = Objects.requireNonNull(io, "io");
    this.source = Objects.requireNonNull(source, "source");
    this.sourceAccount = Objects.requireNonNull(sourceAccount, "sourceAccount");
    this.target = Objects.requireNonNull(target, "target");
    this.targetAccount = Objects.requireNonNull(targetAccount, "targetAccount");
    this.namer = Objects.requireNonNull(namer, "namer");
    this.state = Objects.requireNonNull(state, "state");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * This migration, which on a {@link ConnectionLostException} while migrating a folder reopens
   * the connections with {@code reconnect} and migrates the folder again, at most
   * {@code attempts} times per folder, waiting {@code firstWait} before the first attempt and
   * twice as long before each next one (at most 60 s). What the state recorded is not copied
   * again; appends whose answer was lost are found on the target by fingerprint.
   */
  public Migrator reconnecting(Reconnect reconnect, int attempts, Duration firstWait) {
    if (attempts < 0) {
      throw new IllegalArgumentException("reconnect attempts must be >= 0, got " + attempts);
    }
    this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
    this.attempts = attempts;
    this.firstWait = Objects.requireNonNull(firstWait, "firstWait");
    return this;
  }

  /**
   * The messages this instance appended whose copies the target named by UID
   * ({@code APPENDUID}); for {@link MigrationVerify#trusting}. Filled by {@link #run}.
   */
  public CopiedMessages copies() {
    return copies;
  }

  /** Migrates every folder; see the class comment. */
  public AccountReport run(Listener listener) throws IOException {
    Objects.requireNonNull(listener, "listener");
    if (options.preserveUids() && !(target instanceof MaildirStore)) {
      throw new MailStoreException("--preserve-uids keeps UIDs only in a Maildir target"
          + " (maildir:/var/vmail), but account " + targetAccount + " goes to " + target
          + "; leave out --preserve-uids or migrate into the Maildir on the new server");
    }
    List<FolderPath> sourceFolders = new ArrayList<>(new TreeSet<>(source.folders(sourceAccount)));
    Set<FolderPath> subscribed = subscribed(source, sourceAccount, options);
    List<FolderPath> targetFolders = new ArrayList<>(targetFolders(target, targetAccount,
        !options.dryRun()));
    SpecialUses uses = specialUses(source, sourceAccount, target, targetAccount, targetFolders);
    List<FolderReport> reports = new ArrayList<>();
    List<FolderPath> excluded = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Skip s : source.folderProblems(sourceAccount)) {
      problems.add("source account " + sourceAccount + ", " + s.subject() + ": " + s.reason()
          + " (not migrated)");
    }
    Map<FolderPath, VerifiedFolder> verified = options.dryRun() ? Map.of()
        : state.verified(sourceAccount);
    Map<FolderPath, FolderStatus> sourceStatus = verified.isEmpty() ? Map.of()
        : io.sourceReader().status(sourceAccount, sourceFolders);
    Map<FolderPath, FolderStatus> targetStatus = verified.isEmpty() ? Map.of()
        : io.targetReader().status(targetAccount, targetFolders);
    Set<FolderPath> made = options.dryRun() ? Set.of()
        : createAtOnce(sourceFolders, targetFolders, subscribed, uses);
    for (FolderPath from : sourceFolders) {
      SourceFolder folder = sourceFolder(from, subscribed);
      if (options.subscribedOnly() && !folder.subscribed()) {
        excluded.add(from);
        continue;
      }
      FolderPath to = namer.targetFolder(folder, List.copyOf(targetFolders), uses).orElse(null);
      if (to == null) {
        excluded.add(from);
        continue;
      }
      boolean exists = targetFolders.contains(to);
      if (!exists && !options.dryRun()) {
        if (!made.contains(to)) {
          // subscribed as a mail client subscribes what it creates (the writer's CREATE at
          // once sent SUBSCRIBE too); a Maildir target gets Dovecot's subscriptions file
          target.createFolder(targetAccount, to);
          target.subscribe(targetAccount, to);
        }
        targetFolders.add(to);
        exists = true;
      }
      VerifiedFolder v = verified.get(from);
      FolderStatus st = sourceStatus.get(from);
      FolderStatus tt = targetStatus.get(to);
      FolderReport report;
      if (v != null && st != null && tt != null
          && v.unchanged(to, VerifiedFolder.rules(options), st, tt)) {
        // verified complete before and neither side changed since: nothing to copy
        int n = (int) st.messages();
        listener.folderStarted(from, to, n);
        report = new FolderReport(from, to, n, (int) tt.messages(), 0, 0, n, 0, 0, List.of(), 0);
      } else {
        report = migrateFolderResuming(from, to, exists, listener, v);
      }
      reports.add(report);
      listener.folderDone(report);
    }
    return new AccountReport(sourceAccount, targetAccount, options.dryRun(), reports, excluded,
        problems);
  }

  /**
   * Creates at once (where the target's writer can, {@link MessageWriter#createFolders}) the
   * target folders the loop of {@link #run} will create one by one, each with its missing
   * parents: the same mapping over the same growing list of target folders; returns those made.
   * None when the writer's connection fails here: the loop then creates them through the store,
   * and copying the first folder reconnects.
   */
  private Set<FolderPath> createAtOnce(List<FolderPath> sourceFolders,
      List<FolderPath> targetFolders, Set<FolderPath> subscribed, SpecialUses uses) {
    List<FolderPath> known = new ArrayList<>(targetFolders);
    Set<FolderPath> there = new HashSet<>(targetFolders);
    List<FolderPath> missing = new ArrayList<>();
    for (FolderPath from : sourceFolders) {
      SourceFolder folder = sourceFolder(from, subscribed);
      if (options.subscribedOnly() && !folder.subscribed()) {
        continue;
      }
      FolderPath to = namer.targetFolder(folder, List.copyOf(known), uses).orElse(null);
      if (to == null || known.contains(to)) {
        continue;
      }
      known.add(to);
      List<String> segments = to.segments();
      for (int i = 1; i <= segments.size(); i++) {
        FolderPath prefix = new FolderPath(segments.subList(0, i));
        if (!prefix.isInbox() && there.add(prefix)) {
          missing.add(prefix);
        }
      }
    }
    if (missing.isEmpty()) {
      return Set.of();
    }
    try {
      return io.targetWriter().createFolders(targetAccount, missing);
    } catch (IOException e) {
      return Set.of();
    }
  }

  /**
   * The special-use attributes of both sides' latest listings (the stores' own, no round trip
   * for IMAP stores that just listed); none for a target that is not there yet.
   */
  static SpecialUses specialUses(MailStore source, AccountId sourceAccount, MailStore target,
      AccountId targetAccount, List<FolderPath> targetFolders) throws IOException {
    return new SpecialUses(source.specialUse(sourceAccount),
        targetFolders.isEmpty() ? Map.of() : target.specialUse(targetAccount));
  }

  /**
   * With {@code --subscribed-only}, the folders subscribed on the source ({@link
   * MailStore#subscriptions}); null when every folder counts as subscribed (the option is off,
   * or the store keeps no subscriptions).
   */
  static Set<FolderPath> subscribed(MailStore source, AccountId account, Options options)
      throws IOException {
    return options.subscribedOnly() ? source.subscriptions(account).orElse(null) : null;
  }

  /**
   * {@code from} as the folder rules see it: subscribed unless {@code subscribed} says not;
   * INBOX always (it is migrated with {@code --subscribed-only} too, as the folder rules say).
   */
  static SourceFolder sourceFolder(FolderPath from, Set<FolderPath> subscribed) {
    return new SourceFolder(from, subscribed == null || from.isInbox()
        || subscribed.contains(from));
  }

  /**
   * The folders of {@code account} on {@code store}; with {@code create} the account is created
   * first where the store needs that (a fresh Maildir), otherwise a missing account has none.
   */
  static List<FolderPath> targetFolders(MailStore store, AccountId account, boolean create)
      throws IOException {
    if (create) {
      store.createFolder(account, FolderPath.INBOX);
      return store.folders(account);
    }
    try {
      return store.folders(account);
    } catch (MailStoreException e) {
      List<AccountId> accounts;
      try {
        accounts = store.accounts();
      } catch (MailStoreException noStoreYet) {
        return List.of(); // a Maildir root that a real run would create
      }
      if (!accounts.contains(account)) {
        return List.of();
      }
      throw e;
    }
  }

  /** {@link #migrateFolder}, again on new connections after a lost one (see {@link #reconnecting}). */
  private FolderReport migrateFolderResuming(FolderPath from, FolderPath to, boolean targetExists,
      Listener listener, VerifiedFolder verified) throws IOException {
    Counts prior = new Counts();
    Duration wait = firstWait;
    for (int attempt = 0; ; attempt++) {
      Counts c = new Counts();
      c.copied = prior.copied;
      c.duplicates = prior.duplicates;
      c.bytes = prior.bytes;
      c.copiedKeys.addAll(prior.copiedKeys);
      c.doneNow.addAll(prior.doneNow);
      try {
        return migrateFolder(from, to, targetExists, listener, verified, c);
      } catch (ConnectionLostException e) {
        if (reconnect == null || attempt >= attempts) {
          throw e;
        }
        try {
          // if the target's connection is the live one, learn the answers to appends in flight
          io.targetWriter().flush();
        } catch (IOException targetDeadToo) {
          // those are found on the target by fingerprint
        }
        prior = c;
        while (true) {
          sleep(wait);
          wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(60)) > 0
              ? Duration.ofSeconds(60) : wait.multipliedBy(2);
          try {
            io = reconnect.reopen();
            break;
          } catch (MailStoreException again) {
            if (++attempt >= attempts) {
              throw new ConnectionLostException(e.getMessage() + "; reconnecting failed "
                  + attempts + " times, last: " + again.getMessage(), again);
            }
          }
        }
      }
    }
  }

  private static void sleep(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to reconnect");
    }
  }

  /** By UID; messages without one (a stable sort keeps their order) after those with one. */
  static final Comparator<MessageRef> UID_ORDER =
      Comparator.comparingLong(r -> r.uid().orElse(Long.MAX_VALUE));

  private FolderReport migrateFolder(FolderPath from, FolderPath to, boolean targetExists,
      Listener listener, VerifiedFolder verified, Counts c) throws IOException {
    FolderScan scan = io.sourceReader().scan(sourceAccount, from);
    Set<MessageKey> done = state.done(sourceAccount, from);
    List<MessageRef> existing =
        targetExists ? io.targetReader().scan(targetAccount, to).messages() : List.of();
    for (Skip s : scan.skipped()) {
      c.fail("folder " + from + " of " + sourceAccount + ", " + s.subject() + ": " + s.reason());
    }
    int total = scan.messages().size();
    if (options.preserveUids() && !options.dryRun()) {
      claimUids(from, to, scan);
    }
    listener.folderStarted(from, to, total);
    List<MessageRef> todo = new ArrayList<>();
    for (MessageRef ref : scan.messages()) {
      if (c.doneNow.contains(ref.key())) {
        progress(listener, from, to, total, c); // copied or matched by an attempt before
      } else if (done.contains(ref.key())) {
        c.alreadyDone++;
        progress(listener, from, to, total, c);
      } else {
        todo.add(ref);
      }
    }
    // appended in the source's UID order, so that the target's order received is the source's:
    // an IMAP scan lists by UID already; a Maildir scan lists by file name, and its
    // dovecot-uidlist gives Dovecot's order (a renamed file, or two delivered in the same second,
    // sort differently by name); files Dovecot has not numbered yet come last, by name
    todo.sort(UID_ORDER);
    if (!todo.isEmpty()) {
      Map<String, Integer> targetPrints = targetPrints(existing, to, c);
      if (c.unindexed != null) {
        for (MessageRef ref : todo) {
          c.fail("folder " + from + " of " + sourceAccount + ", message " + ref.key()
              + ": not copied, " + c.unindexed);
          progress(listener, from, to, total, c);
        }
      } else {
        io.sourceReader().read(sourceAccount, from, todo, new CopySink(to, targetPrints, c,
            () -> progress(listener, from, to, total, c)));
        io.targetWriter().flush();
      }
    }
    int flagsUpdated = 0;
    if (options.syncFlags() && !options.dryRun() && !existing.isEmpty()) {
      List<MessageRef> earlier = new ArrayList<>();
      for (MessageRef ref : scan.messages()) {
        if (!c.copiedKeys.contains(ref.key())) {
          earlier.add(ref);
        }
      }
      List<String> problems = new ArrayList<>();
      flagsUpdated = new FlagSync(io, sourceAccount, targetAccount, options, this::flags)
          .sync(from, to, earlier, existing, verified, problems);
      problems.forEach(c::fail);
    }
    return new FolderReport(from, to, total, existing.size() + c.copied,
        c.copied, c.duplicates, c.alreadyDone, c.vanished, c.failed, c.failures, c.bytes,
        flagsUpdated);
  }

  /**
   * Gives target folder {@code to} the UIDVALIDITY and UIDNEXT of source folder {@code from}
   * (STATUS; without it, the UIDVALIDITY of the keys and the highest UID + 1).
   */
  private void claimUids(FolderPath from, FolderPath to, FolderScan scan) throws IOException {
    FolderStatus st = io.sourceReader().status(sourceAccount, List.of(from)).get(from);
    long validity = st != null ? st.uidValidity() : -1;
    long next = st != null ? st.uidNext() : 1;
    for (MessageRef ref : scan.messages()) {
      if (ref.uid().isEmpty()) {
        throw new MailStoreException("--preserve-uids: the source does not tell the UID of "
            + "message " + ref.key() + " in folder " + from + " of " + sourceAccount
            + "; run without --preserve-uids");
      }
      next = Math.max(next, ref.uid().getAsLong() + 1);
      if (validity < 0) {
        String k = ref.key().value();
        validity = Long.parseLong(k.substring(0, k.indexOf(':')));
      }
    }
    if (validity < 0) {
      return; // an empty folder of a source that tells no STATUS: Dovecot picks its own
    }
    ((MaildirStore) target).claimUids(targetAccount, to, validity, next);
  }

  private static void progress(Listener listener, FolderPath from, FolderPath to, int total,
      Counts c) {
    listener.progress(new Progress(from, to, total, c.copied,
        c.duplicates + c.alreadyDone + c.vanished, c.failed, c.bytes));
  }

  /** Something to run that may fail with an I/O error. */
  private interface Step {
    void run() throws IOException;
  }

  /**
   * The fingerprints of the target folder's messages, each with its count. If some cannot be
   * read, nothing is copied into the folder ({@code c.unindexed} says why): a message the index
   * lacks could be appended a second time.
   */
  private Map<String, Integer> targetPrints(List<MessageRef> existing, FolderPath to, Counts c)
      throws IOException {
    Map<String, Integer> out = new HashMap<>();
    if (existing.isEmpty()) {
      return out;
    }
    List<String> problems = new ArrayList<>();
    FolderPrints.of(io.targetReader(), targetAccount, to, existing, options.mode(), problems)
        .forEach((print, refs) -> out.put(print, refs.size()));
    if (!problems.isEmpty()) {
      c.failures.addAll(problems);
      c.unindexed = problems.size() + " message(s) of target folder " + to + " of " + targetAccount
          + " cannot be read to check for duplicates; fix them (see above) and run again";
    }
    return out;
  }

  /** Fingerprints each source message, skips duplicates and appends the rest. */
  private final class CopySink implements MessageReader.Sink {
    private final FolderPath to;
    private final Map<String, Integer> targetPrints;
    private final Counts c;
    private final Step progress;

    CopySink(FolderPath to, Map<String, Integer> targetPrints, Counts c, Step progress) {
      this.to = to;
      this.targetPrints = targetPrints;
      this.c = c;
      this.progress = progress;
    }

    @Override
    public void message(MessageRef ref, SpooledMessage spool) throws IOException {
      // a message can only be a duplicate of a target message not matched yet: with none left
      // (a new or empty target folder) it is not fingerprinted at all
      String print = null;
      Integer have = null;
      if (!targetPrints.isEmpty()) {
        try (InputStream in = spool.open()) {
          print = Fingerprint.of(in, options.mode());
        }
        have = targetPrints.get(print);
      }
      if (have != null) {
        if (have == 1) {
          targetPrints.remove(print);
        } else {
          targetPrints.put(print, have - 1);
        }
        c.duplicates++;
        if (!options.dryRun()) {
          state.markDone(sourceAccount, ref.folder(), ref.key());
          c.doneNow.add(ref.key());
        }
        progress.run();
        return;
      }
      if (options.dryRun()) {
        c.copied++;
        c.bytes += spool.size();
        progress.run();
        return;
      }
      long size = spool.size();
      if (options.preserveUids()) {
        try (InputStream in = spool.open()) {
          ((MaildirStore) target).appendWithUid(targetAccount, to, ref.uid().getAsLong(), in,
              flags(ref.flags()), ref.internalDate());
        } catch (MailStoreException e) {
          c.fail(where(ref) + ": not stored in folder " + to + " of " + targetAccount + " ("
              + e.getMessage() + ")");
          progress.run();
          return;
        }
        stored(ref, size);
        return;
      }
      io.targetWriter().append(targetAccount, to, spool, flags(ref.flags()), ref.internalDate(),
          new MessageWriter.Outcome() {
            @Override
            public void stored() throws IOException {
              CopySink.this.stored(ref, size);
            }

            @Override
            public void stored(long uidValidity, long uid) throws IOException {
              copies.add(ref.folder(), ref.key(),
                  new CopiedMessages.Copy(to, uidValidity, uid, size));
              CopySink.this.stored(ref, size);
            }

            @Override
            public void refused(String reason) throws IOException {
              c.fail(where(ref) + ": the target refused it in folder " + to + " of "
                  + targetAccount + " (" + reason + "); fix the cause and run again, it is"
                  + " retried");
              progress.run();
            }
          });
    }

    /** Records {@code ref} as copied: in the state (so a re-run skips it) and in the counts. */
    private void stored(MessageRef ref, long size) throws IOException {
      state.markDone(sourceAccount, ref.folder(), ref.key());
      c.copiedKeys.add(ref.key());
      c.doneNow.add(ref.key());
      c.copied++;
      c.bytes += size;
      progress.run();
    }

    @Override
    public void gone(MessageRef ref) throws IOException {
      c.vanished++;
      progress.run();
    }

    @Override
    public void failed(MessageRef ref, String reason) throws IOException {
      c.fail(where(ref) + ": cannot read it from the source (" + reason
          + "); run the migration again to retry");
      progress.run();
    }

    private String where(MessageRef ref) {
      return "folder " + ref.folder() + " of " + sourceAccount + ", message " + ref.key();
    }
  }

  /** The flags to give the copy: all but {@code \Deleted} unless it is included. */
  Flags flags(Flags f) {
    if (options.includeDeleted() || !f.has(Flag.DELETED)) {
      return f;
    }
    EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
    s.addAll(f.system());
    s.remove(Flag.DELETED);
    return new Flags(s, new TreeSet<>(f.keywords()));
  }

  /** Counters of one folder. */
  private static final class Counts {
    int copied;
    int duplicates;
    int alreadyDone;
    int vanished;
    int failed;
    long bytes;
    String unindexed;
    final List<String> failures = new ArrayList<>();
    final Set<MessageKey> copiedKeys = new HashSet<>();
    /** Keys recorded done by this run (counted as copied or duplicate already). */
    final Set<MessageKey> doneNow = new HashSet<>();

    void fail(String line) {
      failed++;
      failures.add(line);
    }
  }
}
