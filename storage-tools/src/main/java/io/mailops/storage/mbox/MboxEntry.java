package io.mailops.storage.mbox;

import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * One message found in an mbox file: the offset of its From_ line, the byte range of its
 * (still quoted) content without the separating blank line, its size once un-quoted, the
 * offsets of the lines that carry a quoting {@code >} (when asked for) and the flag headers
 * mutt and Dovecot write ({@code Status:}, {@code X-Status:}, {@code X-Keywords:}).
 */
record MboxEntry(long fromOffset, String fromLine, long contentStart, long contentEnd,
    long size, long[] quotedLines, String status, String xStatus, String keywords) {

  /** The key of the message: {@code offset-} and the decimal offset of its From_ line. */
  String key() {
    return "offset-" + fromOffset;
  }

  /**
   * The flags from the headers: {@code Status: R} is \Seen ({@code O} is ignored),
   * {@code X-Status:} A/F/T/D are \Answered, \Flagged, \Draft, \Deleted, and
   * {@code X-Keywords:} holds keywords separated by spaces or commas. Keywords that are not IMAP
   * atoms are left out and added to {@code rejected}.
   */
  Flags flags(List<String> rejected) {
    EnumSet<Flag> system = EnumSet.noneOf(Flag.class);
    if (status != null && status.toUpperCase(Locale.ROOT).indexOf('R') >= 0) {
      system.add(Flag.SEEN);
    }
    if (xStatus != null) {
      String x = xStatus.toUpperCase(Locale.ROOT);
      addIf(x, 'A', Flag.ANSWERED, system);
      addIf(x, 'F', Flag.FLAGGED, system);
      addIf(x, 'T', Flag.DRAFT, system);
      addIf(x, 'D', Flag.DELETED, system);
    }
    TreeSet<String> kws = new TreeSet<>();
    if (keywords != null) {
      for (String kw : keywords.strip().split("[\\s,]+")) {
        if (kw.isEmpty()) {
          continue;
        }
        try {
          new Flags(null, new TreeSet<>(List.of(kw)));
          kws.add(kw);
        } catch (IllegalArgumentException e) {
          rejected.add(kw);
        }
      }
    }
    return new Flags(system, kws);
  }

  private static void addIf(String letters, char c, Flag flag, EnumSet<Flag> out) {
    if (letters.indexOf(c) >= 0) {
      out.add(flag);
    }
  }
}
