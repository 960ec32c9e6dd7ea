package io.mailops.migrator;

/**
 * What IMAP {@code STATUS} tells about a folder without opening it: enough to see that nothing
 * was added, removed or (with CONDSTORE) changed since an earlier look. Two equal statuses of the
 * same folder mean, by RFC 3501 and RFC 7162: no message appended (UIDNEXT), none expunged with
 * the count unchanged (MESSAGES with UIDNEXT), the same UIDs (UIDVALIDITY) and, when
 * {@code highestModSeq} is known, no flag or keyword changed.
 *
 * @param uidValidity the folder's UIDVALIDITY
 * @param uidNext the folder's UIDNEXT
 * @param messages the number of messages
 * @param highestModSeq the HIGHESTMODSEQ, or -1 when the server has no CONDSTORE
 */
public record FolderStatus(long uidValidity, long uidNext, long messages, long highestModSeq) {

  /** The form kept in a state file: {@code uidvalidity/uidnext/messages/highestmodseq}. */
  public String token() {
    return uidValidity + "/" + uidNext + "/" + messages + "/" + highestModSeq;
  }

  /** Parses {@link #token}; fails with {@link IllegalArgumentException}. */
  public static FolderStatus parse(String token) {
    String[] p = token.split("/", -1);
    if (p.length != 4) {
      throw new IllegalArgumentException("not a folder status: '" + token + "'");
    }
    try {
      return new FolderStatus(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]),
          Long.parseLong(p[3]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a folder status: '" + token + "'", e);
    }
  }

  // equals and hashCode written out: a record's generated ones are linked at their first call
  // through ObjectMethods' bootstrap (method handles spun at run time, which the class-data
  // archive cannot keep), a cost every short command paid for this record (docs/adr/0039)
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof FolderStatus f && uidValidity == f.uidValidity
        && uidNext == f.uidNext && messages == f.messages && highestModSeq == f.highestModSeq;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(uidValidity) * 961 + Long.hashCode(uidNext) * 31
        + Long.hashCode(messages) + Long.hashCode(highestModSeq) * 29791;
  }
}
