package io.mailops.migrator;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** {@code --sync-flags} for one folder of a {@link Migrator} run; see {@link #sync}. */
final class FlagSync {

  private final Migrator.Io io;
  private final AccountId sourceAccount;
  private final AccountId targetAccount;
  private final Migrator.Options options;
  private final UnaryOperator<Flags> copied;

  /**
   * {@code copied}: the flags a copy gets of the source's ({@code \Deleted} only if included).
   */
  FlagSync(Migrator.Io io, AccountId sourceAccount, AccountId targetAccount,
      Migrator.Options options, UnaryOperator<Flags> copied) {
    this.io = io;
    this.sourceAccount = sourceAccount;
    this.targetAccount = targetAccount;
    this.options = options;
    this.copied = copied;
  }

  /**
   * {@code --sync-flags}: gives the copies that were on the target before this run ({@code
   * existing}) the flags and keywords of their source messages, matched by fingerprint. When the
   * folder was verified complete before ({@code verified}, flags equal then) and the source
   * tells which messages changed since that verification's HIGHESTMODSEQ (CONDSTORE), only
   * those are compared; otherwise every message is. Source and target are fingerprinted the same
   * way, so messages match whichever reader computed them. Among messages with the same print,
   * pairs with equal flags are matched first.
   */
  int sync(FolderPath from, FolderPath to, List<MessageRef> earlier, List<MessageRef> existing,
      VerifiedFolder verified, List<String> problems) throws IOException {
    List<MessageRef> candidates = new ArrayList<>(earlier);
    if (verified != null && verified.targetFolder().equals(to)
        && verified.source().highestModSeq() > 0) {
      Optional<Set<Long>> changed = io.sourceReader().changedSince(sourceAccount, from,
          verified.source().uidValidity(), verified.source().highestModSeq());
      if (changed.isPresent()) {
        Set<Long> uids = changed.get();
        candidates.removeIf(r -> r.uid().isEmpty() || !uids.contains(r.uid().getAsLong()));
      }
    }
    if (candidates.isEmpty()) {
      return 0;
    }
    Map<String, List<MessageRef>> sourcePrints = io.sourceReader().prints(sourceAccount, from,
        candidates, options.mode(), problems);
    Map<String, List<MessageRef>> targetPrints = io.targetReader().prints(targetAccount, to,
        existing, options.mode(), problems);
    Map<MessageRef, Flags> changes = new LinkedHashMap<>();
    for (Map.Entry<String, List<MessageRef>> e : sourcePrints.entrySet()) {
      List<MessageRef> targets = new ArrayList<>(targetPrints.getOrDefault(e.getKey(), List.of()));
      List<MessageRef> sources = new ArrayList<>(e.getValue());
      // equal pairs first: a print held by several messages with different flags
      for (Iterator<MessageRef> it = sources.iterator(); it.hasNext(); ) {
        MessageRef s = it.next();
        for (Iterator<MessageRef> jt = targets.iterator(); jt.hasNext(); ) {
          MessageRef t = jt.next();
          if (wanted(s, t).equals(t.flags())) {
            it.remove();
            jt.remove();
            break;
          }
        }
      }
      for (int i = 0; i < Math.min(sources.size(), targets.size()); i++) {
        changes.put(targets.get(i), wanted(sources.get(i), targets.get(i)));
      }
    }
    return changes.isEmpty() ? 0
        : io.targetWriter().replaceFlags(targetAccount, to, changes, problems);
  }

  /**
   * The flags copy {@code t} of source message {@code s} should have: the source's; a
   * {@code \Deleted} is copied only with {@code includeDeleted}, and one the copy has is kept.
   */
  private Flags wanted(MessageRef s, MessageRef t) {
    Flags f = copied.apply(s.flags());
    if (!options.includeDeleted() && t.flags().has(Flag.DELETED) && !f.has(Flag.DELETED)) {
      EnumSet<Flag> sys = EnumSet.of(Flag.DELETED);
      sys.addAll(f.system());
      return new Flags(sys, new TreeSet<>(f.keywords()));
    }
    return f;
  }
}
