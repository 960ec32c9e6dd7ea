package io.mailops.archiver;

import io.mailops.storage.crypto.Argon2id;
import java.time.Clock;

/**
 * How an archive is created and run. {@code kdf} and {@code segmentSize} only matter to
 * {@link Archive#init} (an existing archive keeps those it was made with). Immutable; change one
 * setting with the {@code with…} methods.
 *
 * @param indexes opens the search indexes
 * @param parser parses messages for the index
 * @param kdf the Argon2id cost of the master key
 * @param segmentSize plaintext bytes per AES-GCM segment
 * @param policy the password rule {@link Archive#init} enforces
 * @param discard which attachments are not kept
 * @param indexBatch messages between index commits during ingest
 * @param clock the time of ingest, seal and audit entries
 */
public record ArchiveOptions(IndexFactory indexes, DocumentParser parser, Argon2id.Params kdf,
    int segmentSize, PasswordPolicy policy, DiscardPolicy discard, int indexBatch, Clock clock) {

  /** Plaintext bytes per segment unless told otherwise. */
  public static final int SEGMENT_SIZE = 65536;

  public ArchiveOptions {
    if (indexes == null || parser == null || kdf == null || policy == null || discard == null
        || clock == null) {
      throw new IllegalArgumentException("archive options need an index factory, a parser, KDF"
          + " parameters, a password policy, a discard policy and a clock");
    }
    if (segmentSize < 1024 || segmentSize > 16 * 1024 * 1024 || indexBatch < 1) {
      throw new IllegalArgumentException("invalid archive options: segment size " + segmentSize
          + " (1024..16777216), index batch " + indexBatch + " (>= 1)");
    }
  }

  /**
   * The defaults: Argon2id 64 MiB/3/1, 64 KiB segments, {@link PasswordPolicy#DEFAULT}, keep
   * every attachment, an index commit every 2,000 messages, the system clock.
   */
  public static ArchiveOptions of(IndexFactory indexes, DocumentParser parser) {
    return new ArchiveOptions(indexes, parser, Argon2id.Params.DEFAULT, SEGMENT_SIZE,
        PasswordPolicy.DEFAULT, DiscardPolicy.NEVER, 2000, Clock.systemUTC());
  }

  public ArchiveOptions withKdf(Argon2id.Params p) {
    return new ArchiveOptions(indexes, parser, p, segmentSize, policy, discard, indexBatch, clock);
  }

  public ArchiveOptions withPolicy(PasswordPolicy p) {
    return new ArchiveOptions(indexes, parser, kdf, segmentSize, p, discard, indexBatch, clock);
  }

  public ArchiveOptions withDiscard(DiscardPolicy d) {
    return new ArchiveOptions(indexes, parser, kdf, segmentSize, policy, d, indexBatch, clock);
  }

  public ArchiveOptions withIndexBatch(int n) {
    return new ArchiveOptions(indexes, parser, kdf, segmentSize, policy, discard, n, clock);
  }

  public ArchiveOptions withClock(Clock c) {
    return new ArchiveOptions(indexes, parser, kdf, segmentSize, policy, discard, indexBatch, c);
  }
}
