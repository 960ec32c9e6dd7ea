package io.mailops.archiver;

/**
 * One journal entry. {@code message}: a stored message ({@code record}) first found at {@code
 * location}. {@code location}: another place where message {@code id} was found (a duplicate,
 * or a location of a message since sealed, kept so re-runs skip it). {@code base}: the chain
 * position {@code seq} and hash {@code hash} the journal continues from after a seal.
 */
record JournalEntry(String type, MessageRecord record, String location, String id, long seq,
    String hash) {

  static final String MESSAGE = "message";
  static final String LOCATION = "location";
  static final String BASE = "base";

  static JournalEntry message(MessageRecord r, String location) {
    return new JournalEntry(MESSAGE, r, location, r.id(), r.seq(), r.hash());
  }

  static JournalEntry location(String location, String id) {
    return new JournalEntry(LOCATION, null, location, id, 0, null);
  }

  static JournalEntry base(long seq, String hash) {
    return new JournalEntry(BASE, null, null, null, seq, hash);
  }
}

