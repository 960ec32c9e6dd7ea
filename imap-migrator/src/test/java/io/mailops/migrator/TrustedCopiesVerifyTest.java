package io.mailops.migrator;

import static io.mailops.migrator.TestMail.MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.FolderScan;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.memory.InMemoryMailStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MigrationVerify#trusting}: the copies a run made, named by the target's
 * {@code APPENDUID}, are paired with their source messages instead of read again, and every
 * change of such a copy (flags, date, size, gone) is still found.
 */
class TrustedCopiesVerifyTest {

  private static final AccountId SRC = AccountId.of("alice@old.example");
  private static final AccountId DST = AccountId.of("alice@new.example");
  private static final long VALIDITY = 7;

  private InMemoryMailStore source;
  private InMemoryMailStore target;
  private ImapLikeReader targetReader;
  private CountingReader sourceReader;
  private Migrator.Io io;

  @BeforeEach
  void setUp() throws IOException {
    source = InMemoryMailStore.of(SRC);
    target = InMemoryMailStore.of(DST);
    TestMail.populate(source, SRC, "trust");
    sourceReader = new CountingReader(MessageReader.of(source));
    targetReader = new ImapLikeReader(target);
    io = new Migrator.Io(sourceReader, targetReader, new AppendUidWriter(target));
  }

  private Migrator copy() throws IOException {
    Migrator m = new Migrator(source, SRC, target, DST, FolderNamer.IDENTITY,
        MigrationState.inMemory(), Migrator.Options.defaults(), io);
    m.run(Migrator.Listener.NONE);
    sourceReader.read = 0;
    targetReader.read = 0;
    return m;
  }

  private VerifyReport verify(Migrator m) throws IOException {
    return new MigrationVerify(source, SRC, target, DST, FolderNamer.IDENTITY,
        Migrator.Options.defaults(), io).trusting(m.copies()).run();
  }

  /** The target UID of the copy of the first message of source folder {@code folder}. */
  private long copyOfFirst(Migrator m, FolderPath folder) throws IOException {
    MessageRef first = source.scan(SRC, folder).messages().get(0);
    return m.copies().of(folder).get(first.key()).uid();
  }

  @Test
  void copiesNamedByTheTargetShouldBeVerifiedWithoutReadingAnyMessageAgain() throws IOException {
    Migrator m = copy();

    VerifyReport v = verify(m);

    assertThat(m.copies().size()).isEqualTo(MESSAGES);
    assertThat(v.ok()).as(String.join("\n", v.lines())).isTrue();
    assertThat(sourceReader.read).isZero();
    assertThat(targetReader.read).isZero();
    assertThat(v.folders()).allSatisfy(f -> assertThat(f.targetCount()).isEqualTo(f.sourceCount()));
  }

  @Test
  void aCopyWhoseFlagsOrDateChangedShouldBeReported() throws IOException {
    Migrator m = copy();
    targetReader.flags.put(copyOfFirst(m, FolderPath.INBOX), Flags.of(Flag.FLAGGED));
    targetReader.dates.put(copyOfFirst(m, TestMail.SENT), Instant.parse("2001-01-01T00:00:00Z"));

    VerifyReport v = verify(m);

    assertThat(v.ok()).isFalse();
    assertThat(v.lines()).filteredOn(l -> l.startsWith("  flags differ: ")).containsExactly(
        "  flags differ: message " + source.scan(SRC, FolderPath.INBOX).messages().get(0).key()
            + " of alice@old.example folder INBOX (copied by this run as target message 7:"
            + copyOfFirst(m, FolderPath.INBOX) + "): source [\\Seen $Label1], target [\\Flagged]",
        "  flags differ: message " + source.scan(SRC, TestMail.SENT).messages().get(0).key()
            + " of alice@old.example folder Sent (copied by this run as target message 7:"
            + copyOfFirst(m, TestMail.SENT) + "): internal date source 2023-05-04T10:12:12Z,"
            + " target 2001-01-01T00:00:00Z");
  }

  @Test
  void aCopyGoneFromTheTargetShouldBeMissing() throws IOException {
    Migrator m = copy();
    MessageRef gone = target.scan(DST, TestMail.JUNK).messages().get(0);
    target.expunge(DST, gone);

    VerifyReport v = verify(m);

    assertThat(v.ok()).isFalse();
    assertThat(v.lines()).filteredOn(l -> l.startsWith("  missing on target: ")).hasSize(1)
        .allMatch(l -> l.contains(" folder Junk "));
  }

  @Test
  void aCopyWhoseSizeIsNotTheBytesSentShouldBeComparedByFingerprint() throws IOException {
    Migrator m = copy();
    long uid = copyOfFirst(m, TestMail.PROJEKTE);
    targetReader.sizes.put(uid, 1L);

    VerifyReport v = verify(m);

    // not paired: both sides of Projekte are read and fingerprinted (and still agree)
    assertThat(v.ok()).as(String.join("\n", v.lines())).isTrue();
    assertThat(sourceReader.read).isEqualTo(1);
    assertThat(targetReader.read).isEqualTo(1);
  }

  @Test
  void aCopyTheTargetDidNotNameShouldBeComparedByFingerprint() throws IOException {
    Migrator m = copy();
    CopiedMessages none = new CopiedMessages();

    VerifyReport v = new MigrationVerify(source, SRC, target, DST, FolderNamer.IDENTITY,
        Migrator.Options.defaults(), io).trusting(none).run();

    assertThat(v.ok()).as(String.join("\n", v.lines())).isTrue();
    assertThat(sourceReader.read).isEqualTo(MESSAGES);
    assertThat(targetReader.read).isEqualTo(MESSAGES);
    assertThat(m.copies().size()).isEqualTo(MESSAGES);
  }

  /** Appends through the store and names each copy as an IMAP server's APPENDUID does. */
  private static final class AppendUidWriter implements MessageWriter {
    private final InMemoryMailStore store;

    AppendUidWriter(InMemoryMailStore store) {
      this.store = store;
    }

    @Override
    public void append(AccountId account, FolderPath folder, SpooledMessage content, Flags flags,
        Instant date, Outcome outcome) throws IOException {
      MessageRef ref;
      try (InputStream in = content.open()) {
        ref = store.append(account, folder, in, flags, date);
      }
      outcome.stored(VALIDITY, ref.uid().getAsLong());
    }

    @Override
    public void flush() {}
  }

  /** Counts the messages read through it. */
  private static final class CountingReader implements MessageReader {
    private final MessageReader in;
    int read;

    CountingReader(MessageReader in) {
      this.in = in;
    }

    @Override
    public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
      return in.scan(account, folder);
    }

    @Override
    public void read(AccountId account, FolderPath folder, List<MessageRef> refs, Sink sink)
        throws IOException {
      read += refs.size();
      in.read(account, folder, refs, sink);
    }
  }

  /**
   * Lists the store's messages as an IMAP server would, key {@code 7:uid}, with the flags, dates
   * and sizes of the maps in place of the stored ones (a change made on the server); counts
   * the messages read.
   */
  private static final class ImapLikeReader implements MessageReader {
    private final MessageReader store;
    private final InMemoryMailStore memory;
    final Map<Long, Flags> flags = new HashMap<>();
    final Map<Long, Instant> dates = new HashMap<>();
    final Map<Long, Long> sizes = new HashMap<>();
    private final Map<MessageKey, MessageRef> original = new HashMap<>();
    int read;

    ImapLikeReader(InMemoryMailStore memory) {
      this.memory = memory;
      this.store = MessageReader.of(memory);
    }

    @Override
    public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
      List<MessageRef> out = new ArrayList<>();
      for (MessageRef r : memory.scan(account, folder).messages()) {
        long uid = r.uid().getAsLong();
        MessageKey key = MessageKey.of(VALIDITY + ":" + uid);
        MessageRef imap = new MessageRef(folder, key, sizes.getOrDefault(uid, r.size()),
            flags.getOrDefault(uid, r.flags()), dates.getOrDefault(uid, r.internalDate()),
            r.uid(), r.guid(), key.value());
        original.put(key, r);
        out.add(imap);
      }
      return new FolderScan(out, List.of());
    }

    @Override
    public void read(AccountId account, FolderPath folder, List<MessageRef> refs, Sink sink)
        throws IOException {
      read += refs.size();
      Map<MessageKey, MessageRef> back = new HashMap<>();
      List<MessageRef> originals = new ArrayList<>();
      for (MessageRef r : refs) {
        MessageRef o = original.get(r.key());
        back.put(o.key(), r);
        originals.add(o);
      }
      store.read(account, folder, originals, new Sink() {
        @Override
        public void message(MessageRef ref, SpooledMessage content) throws IOException {
          sink.message(back.get(ref.key()), content);
        }

        @Override
        public void gone(MessageRef ref) throws IOException {
          sink.gone(back.get(ref.key()));
        }

        @Override
        public void failed(MessageRef ref, String reason) throws IOException {
          sink.failed(back.get(ref.key()), reason);
        }
      });
    }
  }
}
