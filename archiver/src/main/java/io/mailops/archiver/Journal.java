package io.mailops.archiver;

import io.mailops.storage.crypto.DecryptionException;
import io.mailops.storage.crypto.SegmentedCipher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The current database's append-only {@code journal}: frames of a 4-byte big-endian length and
 * a {@link JournalEntry} as JSON sealed with the current data key (additional data {@code
 * "journal " + offset of the frame}), so entries cannot be moved or spliced. Each append of a
 * group of entries is one write, forced to disk once; a frame cut short by a crash at the end of
 * the file is a torn tail, dropped (and truncated) when the archive is opened for writing. Used
 * by one thread at a time.
 */
final class Journal {

  private final Path file;
  private final SegmentedCipher cipher;

  Journal(Path file, SegmentedCipher cipher) {
    this.file = file;
    this.cipher = cipher;
  }

  /**
   * What the file holds.
   *
   * @param entries the entries that authenticate, in order, up to the first damaged one
   * @param validLength bytes of those entries
   * @param fileLength bytes of the file
   * @param damage why reading stopped before the end ({@code ""}: it did not, or only a torn
   *     tail was left)
   */
  record Contents(List<JournalEntry> entries, long validLength, long fileLength, String damage) {}

  Contents read() throws IOException {
    List<JournalEntry> entries = new ArrayList<>();
    if (!Files.exists(file)) {
      return new Contents(entries, 0, 0, "");
    }
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all);
    while (b.remaining() > 0) {
      int start = b.position();
      if (b.remaining() < 4) {
        break;
      }
      int len = b.getInt();
      if (len < 0 || len > b.remaining()) {
        break;
      }
      byte[] sealed = new byte[len];
      b.get(sealed);
      try {
        byte[] json = cipher.open(sealed, aad(start), "journal entry at offset " + start);
        entries.add(Json.read(json, JournalEntry.class, "journal entry at offset " + start));
      } catch (DecryptionException | ArchiveException e) {
        return new Contents(entries, start, all.length, file + " is damaged at offset " + start
            + " (" + e.getMessage() + ")");
      }
    }
    long valid = entries.isEmpty() ? 0 : lengthOf(all, entries.size());
    return new Contents(entries, valid, all.length, "");
  }

  private static long lengthOf(byte[] all, int frames) {
    ByteBuffer b = ByteBuffer.wrap(all);
    for (int i = 0; i < frames; i++) {
      int len = b.getInt();
      b.position(b.position() + len);
    }
    return b.position();
  }

  /** Cuts a torn tail so appends start after the last whole entry. */
  void truncate(long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length);
      ch.force(true);
    }
  }

  /**
   * Appends {@code entries} in one write and forces them to disk once (a group commit): after a
   * crash the journal holds a prefix of them, the last one possibly torn.
   */
  void append(List<JournalEntry> entries) throws IOException {
    if (entries.isEmpty()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      long offset = ch.size();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (JournalEntry e : entries) {
        out.writeBytes(frame(e, offset + out.size()));
      }
      ch.position(offset);
      ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false);
    }
  }

  /** Replaces the journal by {@code entries} (a new file, renamed over the old one). */
  void rewrite(List<JournalEntry> entries, Path tmpDir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JournalEntry e : entries) {
      out.writeBytes(frame(e, out.size()));
    }
    BlobStore.writeAtomically(tmpDir, file, out.toByteArray());
  }

  private byte[] frame(JournalEntry entry, long offset) {
    byte[] sealed = cipher.seal(Json.write(entry), aad(offset));
    return ByteBuffer.allocate(4 + sealed.length).putInt(sealed.length).put(sealed).array();
  }

  private static byte[] aad(long offset) {
    return SegmentedCipher.aad("journal", offset);
  }
}
