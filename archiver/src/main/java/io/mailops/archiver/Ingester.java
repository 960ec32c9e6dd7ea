package io.mailops.archiver;

import io.mailops.archiver.index.MessageDocument;
import io.mailops.archiver.mime.MimeSplitter;
import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.Skip;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * One {@link Archive#ingest} run. Per message, in this order: attachment and skeleton blobs
 * (content-addressed, so a blob left by a crash is simply reused), then one journal entry (the
 * record, its location and its chain link, all or nothing), then the index (committed every
 * {@link ArchiveOptions#indexBatch} messages and at the end; what a crash leaves out is re-added
 * when the archive is opened). Used by one thread.
 */
final class Ingester {

  private final Current current;
  private final Keys keys;
  private final ArchiveOptions options;

  Ingester(Current current, Keys keys, ArchiveOptions options) {
    this.current = current;
    this.keys = keys;
    this.options = options;
  }

  IngestResult ingest(MailStore source, String sourceName, IngestListener progress)
      throws IOException {
    Counts n = new Counts();
    try {
      for (AccountId account : source.accounts()) {
        for (FolderPath folder : source.folders(account)) {
          FolderScan scan = source.scan(account, folder);
          for (Skip skip : scan.skipped()) {
            String where = sourceName + "/" + account + "/" + folder + "/" + skip.subject();
            n.skipped.add(where + ": " + skip.reason());
            progress.skipped(where, skip.reason());
          }
          for (MessageRef m : scan.messages()) {
            String loc = sourceName + "/" + account + "/" + folder + "/" + m.key();
            IngestResult.Outcome o = ingestOne(source, account, m, loc, n, progress);
            if (o != null) {
              progress.message(loc, o);
            }
          }
        }
      }
    } finally {
      if (n.pending > 0) {
        current.commitIndex();
      }
    }
    return new IngestResult(n.stored, n.duplicates, n.already, n.blobs, n.discarded, n.skipped);
  }

  private static final class Counts {
    int stored;
    int duplicates;
    int already;
    int blobs;
    int discarded;
    int pending;
    final List<String> skipped = new ArrayList<>();
  }

  private IngestResult.Outcome ingestOne(MailStore source, AccountId account, MessageRef m,
      String loc, Counts n, IngestListener progress) throws IOException {
    if (current.locations.containsKey(loc)) {
      n.already++;
      return IngestResult.Outcome.ALREADY_INGESTED;
    }
    byte[] raw;
    try (InputStream in = source.open(account, m)) {
      raw = in.readAllBytes();
    } catch (MessageGoneException e) {
      n.skipped.add(loc + ": " + e.getMessage());
      progress.skipped(loc, e.getMessage());
      return null;
    }
    String digest = Digests.sha256Hex(raw);
    String id = keys.messageId(digest);
    if (current.knownIds.contains(id)) {
      current.journal.append(JournalEntry.location(loc, id));
      current.locations.put(loc, id);
      n.duplicates++;
      return IngestResult.Outcome.DUPLICATE;
    }
    store(raw, digest, id, loc, n);
    n.stored++;
    if (++n.pending >= options.indexBatch()) {
      current.commitIndex();
      n.pending = 0;
    }
    return IngestResult.Outcome.STORED;
  }

  /** Blobs first, then the journal entry (record, location, chain), then the index. */
  private void store(byte[] raw, String digest, String id, String loc, Counts n)
      throws IOException {
    ByteArrayOutputStream skeleton = new ByteArrayOutputStream(raw.length);
    List<MessageRecord.Part> parts = new ArrayList<>();
    List<MessageRecord.Stub> stubs = new ArrayList<>();
    int pos = 0;
    for (MimeSplitter.Attachment a : MimeSplitter.attachments(raw)) {
      skeleton.write(raw, pos, a.start() - pos);
      byte[] body = Arrays.copyOfRange(raw, a.start(), a.end());
      if (options.discard().discards(body.length)) {
        MessageRecord.Stub stub = new MessageRecord.Stub(a.name(), a.type(), body.length,
            Digests.sha256Hex(body));
        stubs.add(stub);
        skeleton.writeBytes(stubText(stub, a.encoding()));
        n.discarded++;
      } else {
        String blob = keys.blobId(body);
        if (current.blobs.put(blob, body)) {
          n.blobs++;
        }
        parts.add(new MessageRecord.Part(skeleton.size(), blob, body.length));
      }
      pos = a.end();
    }
    skeleton.write(raw, pos, raw.length - pos);
    byte[] sk = skeleton.toByteArray();
    String skeletonId = keys.blobId(sk);
    if (current.blobs.put(skeletonId, sk)) {
      n.blobs++;
    }
    Instant now = options.clock().instant();
    MessageDocument doc = options.parser().parse(id, raw, loc, now);
    long seq = current.lastSeq + 1;
    String prev = current.lastHash;
    String storedDigest = stubs.isEmpty() ? digest
        : Digests.sha256Hex(Current.assemble(new MessageRecord(id, seq, digest, raw.length,
            doc.date(), now, loc, skeletonId, parts, stubs, "", prev, ""), current.blobs::get));
    MessageRecord r = new MessageRecord(id, seq, digest, raw.length, doc.date(), now, loc,
        skeletonId, parts, stubs, storedDigest, prev, Digests.chain(seq, id, digest, prev));
    current.journal.append(JournalEntry.message(r, loc));
    current.records.put(id, r);
    current.locations.put(loc, id);
    current.knownIds.add(id);
    current.lastSeq = seq;
    current.lastHash = r.hash();
    current.index.add(doc);
  }

  private static byte[] stubText(MessageRecord.Stub s, String encoding) {
    String text = "[attachment discarded by the mail archive: name=" + s.name() + " type="
        + s.type() + " size=" + s.size() + " sha256=" + s.sha256() + "]";
    if (encoding.equals("base64")) {
      return Base64.getMimeEncoder().encode(text.getBytes(StandardCharsets.UTF_8));
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
