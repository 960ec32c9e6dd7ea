package io.mailops.migrator;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares a migrated account with its source, folder by folder as the {@link FolderNamer} maps
 * them: message counts, the multiset of {@link Fingerprint}s, and per fingerprint the flags
 * (system flags, {@code \Deleted} only when {@link Migrator.Options#includeDeleted()}) and
 * keywords. Reads every message of both sides (from headers and sizes where the readers can),
 * except the copies a run made itself when {@link #trusting} pairs them; changes nothing on
 * either side.
 *
 * <p>With a {@link MigrationState}, a folder whose source and target {@link FolderStatus} (with
 * HIGHESTMODSEQ, so flag changes count) are still those kept when an earlier comparison found it
 * complete is reported from the counts alone ({@link VerifyReport.Folder#byCounts()}); the
 * folders found complete now are kept for the next time, with the statuses taken before their
 * comparison (a change during it makes the next comparison a full one).
 */
public final class MigrationVerify {

  private final MailStore source;
  private final AccountId sourceAccount;
  private final MailStore target;
  private final AccountId targetAccount;
  private final FolderNamer namer;
  private final Migrator.Options options;
  private final MessageReader sourceReader;
  private final MessageReader targetReader;
  private final MigrationState state;
  private SourceExpunger expunger;
  private CopiedMessages copies;
  private int deleted;

  /**
   * A comparison of {@code sourceAccount} with {@code targetAccount}; the caller closes the
   * stores.
   */
  public MigrationVerify(MailStore source, AccountId sourceAccount, MailStore target,
      AccountId targetAccount, FolderNamer namer, Migrator.Options options) {
    this(source, sourceAccount, target, targetAccount, namer, options, Migrator.Io.of(source,
        target));
  }

  /**
   * A comparison that reads message contents through the readers of {@code io}; the caller
   * closes the stores and whatever {@code io} uses.
   */
  public MigrationVerify(MailStore source, AccountId sourceAccount, MailStore target,
      AccountId targetAccount, FolderNamer namer, Migrator.Options options, Migrator.Io io) {
    this(source, sourceAccount, target, targetAccount, namer, options, io, null);
  }

  /**
   * A comparison through {@code io} that reads and keeps the verified folders in {@code state}
   * (null: every folder is compared message by message and nothing is kept).
   */
  public MigrationVerify(MailStore source, AccountId sourceAccount, MailStore target,
      AccountId targetAccount, FolderNamer namer, Migrator.Options options, Migrator.Io io,
      MigrationState state) {
    this.state = state;
    this.sourceReader = io.sourceReader();
    this.targetReader = io.targetReader();
    this.source = Objects.requireNonNull(source, "source");
    this.sourceAccount = Objects.requireNonNull(sourceAccount, "sourceAccount");
    this.target = Objects.requireNonNull(target, "target");
    this.targetAccount = Objects.requireNonNull(targetAccount, "targetAccount");
    this.namer = Objects.requireNonNull(namer, "namer");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * This verification, which after comparing each folder removes from the source, with
   * {@code expunger}, the source messages it found on the target by fingerprint (as many of
   * each print as the target holds), and no other; {@code --delete-source-after-verify}. Every
   * folder is then compared message by message.
   */
  public MigrationVerify deletingVerifiedFromSource(SourceExpunger expunger) {
    this.expunger = Objects.requireNonNull(expunger, "expunger");
    return this;
  }

  /**
   * This verification, which pairs each source message that {@code copies} lists (copied by
   * this run, the target naming the copy's UID) with that copy instead of fingerprinting both:
   * the pair is proven when the source scan still lists the message and the target scan lists
   * the copy's UID, both with the size of the bytes that were sent; then their flags and
   * internal dates are compared. Everything else is compared by fingerprint as without. Not used
   * with {@link #deletingVerifiedFromSource} (ADR 0019).
   */
  public MigrationVerify trusting(CopiedMessages copies) {
    this.copies = Objects.requireNonNull(copies, "copies");
    return this;
  }

  /** How many source messages {@link #run} removed ({@link #deletingVerifiedFromSource}). */
  public int deletedFromSource() {
    return deleted;
  }

  /** Compares every migrated folder. */
  public VerifyReport run() throws IOException {
    List<FolderPath> targetFolders = Migrator.targetFolders(target, targetAccount, false);
    List<FolderPath> sourceFolders = new ArrayList<>(new TreeSet<>(source.folders(sourceAccount)));
    Set<FolderPath> subscribed = Migrator.subscribed(source, sourceAccount, options);
    SpecialUses uses = Migrator.specialUses(source, sourceAccount, target, targetAccount,
        targetFolders);
    Map<FolderPath, VerifiedFolder> before = state == null ? Map.of()
        : state.verified(sourceAccount);
    Map<FolderPath, FolderStatus> sourceStatus = state == null ? Map.of()
        : sourceReader.status(sourceAccount, sourceFolders);
    Map<FolderPath, FolderStatus> targetStatus = state == null ? Map.of()
        : targetReader.status(targetAccount, targetFolders);
    Map<FolderPath, VerifiedFolder> after = new HashMap<>();
    List<VerifyReport.Folder> out = new ArrayList<>();
    // the folders to compare message by message, scanned on both sides a batch at a time (a
    // wire reader sends a batch's scans at once: two round trips for many folders, not two each)
    List<Pair> pairs = new ArrayList<>();
    for (FolderPath from : sourceFolders) {
      SourceFolder folder = Migrator.sourceFolder(from, subscribed);
      if (options.subscribedOnly() && !folder.subscribed()) {
        continue;
      }
      FolderPath to = namer.targetFolder(folder, targetFolders, uses).orElse(null);
      if (to != null) {
        pairs.add(new Pair(from, to));
      }
    }
    Map<FolderPath, MessageReader.Scanned> sourceScans = Map.of();
    Map<FolderPath, MessageReader.Scanned> targetScans = Map.of();
    int scannedUpTo = 0;
    for (int i = 0; i < pairs.size(); i++) {
      FolderPath from = pairs.get(i).from();
      FolderPath to = pairs.get(i).to();
      FolderStatus s = sourceStatus.get(from);
      FolderStatus t = targetStatus.get(to);
      if (unchanged(pairs.get(i), before, sourceStatus, targetStatus)) {
        out.add(VerifyReport.Folder.unchanged(from, to, (int) s.messages(), (int) t.messages()));
        after.put(from, before.get(from));
        continue;
      }
      if (i >= scannedUpTo) {
        scannedUpTo = scanBatchEnd(pairs, i, before, sourceStatus, targetStatus);
        List<FolderPath> froms = new ArrayList<>();
        List<FolderPath> tos = new ArrayList<>();
        for (Pair p : pairs.subList(i, scannedUpTo)) {
          if (unchanged(p, before, sourceStatus, targetStatus)) {
            continue;
          }
          froms.add(p.from());
          if (targetFolders.contains(p.to())) {
            tos.add(p.to());
          }
        }
        sourceScans = sourceReader.scanAll(sourceAccount, froms);
        targetScans = targetReader.scanAll(targetAccount, tos);
      }
      FolderScan src = sourceScans.get(from).get();
      FolderScan dst = targetFolders.contains(to) ? targetScans.get(to).get()
          : new FolderScan(List.of(), List.of());
      VerifyReport.Folder f = compare(from, to, src, dst);
      out.add(f);
      if (expunger == null && f.ok() && s != null && t != null && s.highestModSeq() >= 0
          && t.highestModSeq() >= 0) {
        after.put(from, new VerifiedFolder(to, VerifiedFolder.rules(options), s, t));
      }
    }
    if (state != null) {
      state.verified(sourceAccount, after);
    }
    return new VerifyReport(out);
  }

  /** Folders whose scans are read ahead at most, and the messages they may hold together. */
  static final int SCAN_BATCH_FOLDERS = 32;
  static final long SCAN_BATCH_MESSAGES = 100_000;

  /**
   * The end (exclusive) of the batch of {@code pairs} from {@code start} scanned together: at most
   * {@link #SCAN_BATCH_FOLDERS} folders holding at most {@link #SCAN_BATCH_MESSAGES} messages by
   * their statuses (a folder of unknown size counts as that many), at least one; one at a time
   * when source messages are deleted after the comparison, so each scan is as fresh as before.
   * The folders the comparison skips as unchanged are not scanned and not counted.
   */
  private int scanBatchEnd(List<Pair> pairs, int start,
      Map<FolderPath, VerifiedFolder> before, Map<FolderPath, FolderStatus> sourceStatus,
      Map<FolderPath, FolderStatus> targetStatus) {
    if (expunger != null) {
      return start + 1;
    }
    int end = start;
    long messages = 0;
    int folders = 0;
    while (end < pairs.size() && folders < SCAN_BATCH_FOLDERS) {
      FolderStatus s = sourceStatus.get(pairs.get(end).from());
      FolderStatus t = targetStatus.get(pairs.get(end).to());
      if (unchanged(pairs.get(end), before, sourceStatus, targetStatus)) {
        end++;
        continue;
      }
      long n = (s == null ? SCAN_BATCH_MESSAGES : s.messages())
          + (t == null ? SCAN_BATCH_MESSAGES : t.messages());
      if (folders > 0 && messages + n > SCAN_BATCH_MESSAGES) {
        break;
      }
      messages += n;
      folders++;
      end++;
    }
    return end;
  }

  /**
   * Whether the folders of {@code pair} were found complete before and neither changed since
   * (never when source messages are deleted after the comparison).
   */
  private boolean unchanged(Pair pair, Map<FolderPath, VerifiedFolder> before,
      Map<FolderPath, FolderStatus> sourceStatus, Map<FolderPath, FolderStatus> targetStatus) {
    VerifiedFolder v = before.get(pair.from());
    FolderStatus s = sourceStatus.get(pair.from());
    FolderStatus t = targetStatus.get(pair.to());
    return expunger == null && v != null && s != null && t != null
        && v.unchanged(pair.to(), VerifiedFolder.rules(options), s, t);
  }

  /** A source folder and the target folder it maps to. */
  private record Pair(FolderPath from, FolderPath to) {}

  private VerifyReport.Folder compare(FolderPath from, FolderPath to, FolderScan src,
      FolderScan dst) throws IOException {
    List<String> problems = new ArrayList<>();
    src.skipped().forEach(s -> problems.add("source " + s));
    dst.skipped().forEach(s -> problems.add("target " + s));
    List<String> flags = new ArrayList<>();
    List<MessageRef> srcRest = src.messages();
    List<MessageRef> dstRest = dst.messages();
    Map<MessageKey, CopiedMessages.Copy> copied = copies == null || expunger != null ? Map.of()
        : copies.of(from);
    if (!copied.isEmpty()) {
      Map<MessageKey, MessageRef> targetByKey = new HashMap<>();
      for (MessageRef r : dst.messages()) {
        targetByKey.put(r.key(), r);
      }
      Set<MessageKey> paired = new HashSet<>();
      srcRest = new ArrayList<>();
      for (MessageRef s : src.messages()) {
        MessageRef t = pairOf(s, copied.get(s.key()), to, targetByKey);
        if (t == null || !paired.add(t.key())) {
          srcRest.add(s);
          continue;
        }
        String want = expected(s.flags()).toString();
        String have = t.flags().toString();
        if (!want.equals(have)) {
          flags.add(describeCopy(s, t) + ": source [" + want + "], target [" + have + "]");
        }
        Instant sd = s.internalDate().truncatedTo(ChronoUnit.SECONDS);
        Instant td = t.internalDate().truncatedTo(ChronoUnit.SECONDS);
        if (!sd.equals(td)) {
          flags.add(describeCopy(s, t) + ": internal date source " + sd + ", target " + td);
        }
      }
      if (!paired.isEmpty()) {
        List<MessageRef> rest = new ArrayList<>();
        for (MessageRef r : dst.messages()) {
          if (!paired.contains(r.key())) {
            rest.add(r);
          }
        }
        dstRest = rest;
      } else {
        srcRest = src.messages();
      }
    }
    Map<String, List<MessageRef>> a =
        sourceReader.prints(sourceAccount, from, srcRest, options.mode(), problems);
    Map<String, List<MessageRef>> b =
        targetReader.prints(targetAccount, to, dstRest, options.mode(), problems);
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    for (Map.Entry<String, List<MessageRef>> e : a.entrySet()) {
      List<MessageRef> mine = e.getValue();
      List<MessageRef> theirs = b.getOrDefault(e.getKey(), List.of());
      for (int i = theirs.size(); i < mine.size(); i++) {
        missing.add(describe(sourceAccount, mine.get(i), e.getKey()));
      }
      List<String> want = mine.stream().map(r -> expected(r.flags()).toString()).sorted().toList();
      List<String> have = theirs.stream().map(r -> r.flags().toString()).sorted().toList();
      if (mine.size() == theirs.size() && !want.equals(have)) {
        flags.add(describe(sourceAccount, mine.get(0), e.getKey()) + ": source " + show(want)
            + ", target " + show(have) + " (target message " + theirs.get(0).key() + ")");
      }
    }
    for (Map.Entry<String, List<MessageRef>> e : b.entrySet()) {
      List<MessageRef> theirs = e.getValue();
      int mine = a.getOrDefault(e.getKey(), List.of()).size();
      for (int i = mine; i < theirs.size(); i++) {
        extra.add(describe(targetAccount, theirs.get(i), e.getKey()));
      }
    }
    if (expunger != null) {
      List<MessageRef> present = new ArrayList<>();
      for (Map.Entry<String, List<MessageRef>> e : a.entrySet()) {
        List<MessageRef> mine = e.getValue();
        int theirs = b.getOrDefault(e.getKey(), List.of()).size();
        present.addAll(mine.subList(0, Math.min(theirs, mine.size())));
      }
      deleted += expunger.expunge(sourceAccount, from, present, problems);
    }
    missing.sort(Comparator.naturalOrder());
    extra.sort(Comparator.naturalOrder());
    return new VerifyReport.Folder(from, to, src.messages().size(), dst.messages().size(), missing,
        extra, flags, problems);
  }

  /**
   * The target message of {@code targetByKey} that is the copy {@code copy} of source message
   * {@code s} into {@code to}, or null when that is not proven: no copy recorded, another target
   * folder, the copy's UID not (or no longer) in the target scan, or a size in either scan that
   * is not the number of bytes sent.
   */
  private static MessageRef pairOf(MessageRef s, CopiedMessages.Copy copy, FolderPath to,
      Map<MessageKey, MessageRef> targetByKey) {
    if (copy == null || !copy.targetFolder().equals(to) || s.size() != copy.size()) {
      return null;
    }
    MessageRef t = targetByKey.get(MessageKey.of(copy.uidValidity() + ":" + copy.uid()));
    return t == null || t.size() != copy.size() ? null : t;
  }

  private String describeCopy(MessageRef s, MessageRef t) {
    return "message " + s.key() + " of " + sourceAccount + " folder " + s.folder()
        + " (copied by this run as target message " + t.key() + ")";
  }

  private static String describe(AccountId account, MessageRef ref, String print) {
    return "message " + ref.key() + " of " + account + " folder " + ref.folder() + " (fingerprint "
        + print.substring(0, 12) + ")";
  }

  private static String show(List<String> flags) {
    return flags.stream().map(f -> "[" + f + "]").reduce((x, y) -> x + " " + y).orElse("[]");
  }

  /** The source flags the target should have. */
  private Flags expected(Flags f) {
    return options.includeDeleted() ? f : without(f, Flag.DELETED);
  }

  private static Flags without(Flags f, Flag flag) {
    EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
    s.addAll(f.system());
    s.remove(flag);
    return new Flags(s, new TreeSet<>(f.keywords()));
  }
}
