package io.mailops.archiver;

import java.util.List;

/**
 * What one {@link Archive#ingest} run did.
 *
 * @param stored messages stored now
 * @param duplicates messages whose exact bytes were already archived (another copy; the location
 *     is recorded)
 * @param alreadyIngested messages of locations ingested by an earlier run
 * @param newBlobs encrypted blobs written (messages and attachments not stored before)
 * @param discardedAttachments attachments replaced by a stub under the discard policy
 * @param skipped what could not be read, each "location: reason"; non-empty means partial
 */
public record IngestResult(int stored, int duplicates, int alreadyIngested, int newBlobs,
    int discardedAttachments, List<String> skipped) {

  public IngestResult {
    skipped = List.copyOf(skipped);
  }

  /** What happened to one message. */
  public enum Outcome {
    STORED, DUPLICATE, ALREADY_INGESTED
  }
}
