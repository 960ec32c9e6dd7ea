package io.mailops.jobs.cli;

import io.mailops.archiver.Archive;
import io.mailops.archiver.DiscardPolicy;
import io.mailops.archiver.DocumentParser;
import io.mailops.archiver.PasswordPolicy;
import io.mailops.archiver.RolloverPolicy;
import io.mailops.archiver.index.LuceneArchiveIndex;
import io.mailops.archiver.index.MessageDocument;
import io.mailops.archiver.index.MessageParser;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.storage.crypto.Argon2id;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/** Reads the {@code mailops.archive.*} settings and opens archives for the archive commands. */
final class ArchiveSupport {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private ArchiveSupport() {}

  /** The library options the settings ask for (Lucene index, policies). */
  static io.mailops.archiver.ArchiveOptions options(MailOpsSettings s) {
    return io.mailops.archiver.ArchiveOptions.of(LuceneArchiveIndex::open,
        DocumentParser.of(MessageParser::parse, MessageParser::parse))
        .withPolicy(new PasswordPolicy(Integer.parseInt(
            s.get(ArchiveOptions.KEY + "password-min-length", "12").trim())))
        .withDiscard(discard(s.get(ArchiveOptions.KEY + "discard-attachments", "never")))
        .withKdf(new Argon2id.Params(
            Integer.parseInt(s.get(ArchiveOptions.KEY + "kdf-memory-kib", "65536").trim()),
            Integer.parseInt(s.get(ArchiveOptions.KEY + "kdf-iterations", "3").trim()), 1));
  }

  static Archive open(MailOpsSettings s, Path dir, char[] password) throws IOException {
    try {
      return Archive.open(dir, password, options(s));
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  static Archive init(MailOpsSettings s, Path dir, char[] password) throws IOException {
    try {
      return Archive.init(dir, password, options(s));
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** {@code never}, {@code always}, or a size such as {@code 10M} (attachments over it). */
  static DiscardPolicy discard(String v) {
    String t = v.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "never", "" -> DiscardPolicy.NEVER;
      case "always" -> DiscardPolicy.always();
      default -> DiscardPolicy.over(bytes(t, "mailops.archive.discard-attachments"));
    };
  }

  /** The rollover the settings ask for ({@code mailops.archive.rollover}, {@code rollover-size}). */
  static RolloverPolicy rollover(MailOpsSettings s) {
    String period = s.get(ArchiveOptions.KEY + "rollover", "none");
    String size = s.get(ArchiveOptions.KEY + "rollover-size", "0");
    try {
      return new RolloverPolicy(RolloverPolicy.Period.parse(period),
          bytes(size, "mailops.archive.rollover-size"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mailops.archive.rollover '" + period
          + "': use none, weekly or monthly");
    }
  }

  /** Bytes from {@code 123}, {@code 10k}, {@code 5M}, {@code 2G}. */
  static long bytes(String v, String what) {
    String t = v.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
      unit = switch (t.charAt(t.length() - 1)) {
        case 'K' -> 1024L;
        case 'M' -> 1024L * 1024;
        default -> 1024L * 1024 * 1024;
      };
      t = t.substring(0, t.length() - 1);
    }
    try {
      return Long.parseLong(t.trim()) * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " '" + v + "': give a size such as 500k, 10M or"
          + " 2G, never or always");
    }
  }

  /** {@code YYYY-MM-DD} (UTC midnight) or an ISO-8601 instant. */
  static Instant instant(String v, String option) {
    try {
      return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " '" + v + "': give YYYY-MM-DD or an instant"
          + " such as 2026-01-31T12:00:00Z");
    }
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** Whether {@code user} sent or received the message (any recipient header or envelope). */
  static boolean participant(String user, String id, byte[] raw) {
    MessageDocument d = MessageParser.parse(id, raw, "", Instant.EPOCH);
    String u = user.trim().toLowerCase(Locale.ROOT);
    return Stream.of(d.from(), d.to(), d.cc(), d.bcc(), d.envelopeTo())
        .flatMap(List::stream).anyMatch(a -> a.equalsIgnoreCase(u));
  }
}
