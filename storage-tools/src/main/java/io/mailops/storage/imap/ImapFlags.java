package io.mailops.storage.imap;

import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;

/**
 * Converts between the model's {@link Flags} and Jakarta Mail's. {@code \Recent} (session state,
 * not a stored flag) and {@code \*} are dropped; keywords that are not IMAP atoms are left out
 * and reported.
 */
final class ImapFlags {

  private ImapFlags() {}

  static Flags fromJakarta(jakarta.mail.Flags in, List<String> rejected) {
    EnumSet<Flag> system = EnumSet.noneOf(Flag.class);
    for (jakarta.mail.Flags.Flag f : in.getSystemFlags()) {
      if (f == jakarta.mail.Flags.Flag.SEEN) {
        system.add(Flag.SEEN);
      } else if (f == jakarta.mail.Flags.Flag.ANSWERED) {
        system.add(Flag.ANSWERED);
      } else if (f == jakarta.mail.Flags.Flag.FLAGGED) {
        system.add(Flag.FLAGGED);
      } else if (f == jakarta.mail.Flags.Flag.DELETED) {
        system.add(Flag.DELETED);
      } else if (f == jakarta.mail.Flags.Flag.DRAFT) {
        system.add(Flag.DRAFT);
      }
    }
    TreeSet<String> keywords = new TreeSet<>();
    for (String kw : in.getUserFlags()) {
      try {
        new Flags(null, new TreeSet<>(List.of(kw)));
        keywords.add(kw);
      } catch (IllegalArgumentException e) {
        rejected.add(kw);
      }
    }
    return new Flags(system, keywords);
  }

  static jakarta.mail.Flags toJakarta(Flags in) {
    jakarta.mail.Flags out = new jakarta.mail.Flags();
    for (Flag f : in.system()) {
      out.add(switch (f) {
        case SEEN -> jakarta.mail.Flags.Flag.SEEN;
        case ANSWERED -> jakarta.mail.Flags.Flag.ANSWERED;
        case FLAGGED -> jakarta.mail.Flags.Flag.FLAGGED;
        case DELETED -> jakarta.mail.Flags.Flag.DELETED;
        case DRAFT -> jakarta.mail.Flags.Flag.DRAFT;
      });
    }
    for (String kw : in.keywords()) {
      out.add(kw);
    }
    return out;
  }
}
