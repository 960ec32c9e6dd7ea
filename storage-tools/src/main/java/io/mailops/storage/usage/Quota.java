package io.mailops.storage.usage;

import io.mailops.storage.MailStoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Maildir++ quota of one account as Dovecot's {@code maildirsize} in the Maildir root states
 * it: the limits from the first line ({@code <bytes>S,<count>C}, either part optional, 0 = no
 * limit) and the usage = the sum of the {@code <bytes> <count>} lines after it. This is the
 * server's running tally, not a count of the files; Dovecot recalculates it now and then.
 * Read as Dovecot reads it ({@code quota-maildir.c}): a last line without a newline is an append
 * in progress and is left out; NUL bytes, a bad line or a negative sum make the file broken.
 */
public record Quota(OptionalLong limitBytes, OptionalLong limitMessages, long usedBytes,
    long usedMessages) {

  /** The file's name in an account's Maildir root. */
  public static final String FILE = "maildirsize";

  /** How full an account is against its soft warning threshold. */
  public enum State {
    /** Below the warning threshold, or no limit. */
    OK,
    /** At or above the warning threshold. */
    WARN,
    /** At or above 100 % of a limit. */
    FULL
  }

  private static final Pattern LIMIT = Pattern.compile("(\\d{1,18})([SC])");
  private static final Pattern DELTA = Pattern.compile("\\s*(-?\\d{1,18})\\s+(-?\\d{1,10})\\s*");

  public Quota {
    Objects.requireNonNull(limitBytes, "limitBytes");
    Objects.requireNonNull(limitMessages, "limitMessages");
    if (usedBytes < 0 || usedMessages < 0 || limitBytes.orElse(1) <= 0 || limitMessages.orElse(1) <= 0) {
      throw new IllegalArgumentException("invalid quota: limits " + limitBytes + "/" + limitMessages
          + ", used " + usedBytes + " bytes/" + usedMessages + " messages (limits > 0, usage >= 0)");
    }
  }

  /**
   * Reads {@code maildirsize} of the Maildir {@code maildir}; empty when there is none (the
   * account has no Maildir++ quota).
   *
   * @throws MailStoreException naming the file and what is wrong, if it is broken or unreadable
   */
  public static Optional<Quota> read(Path maildir) throws IOException {
    Path file = maildir.resolve(FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (AccessDeniedException e) {
      throw new MailStoreException("cannot read " + file + ": permission denied; run as the mail user"
          + " or add it to the mail group", e);
    }
    try {
      return Optional.of(parse(new String(bytes, StandardCharsets.US_ASCII)));
    } catch (IllegalArgumentException e) {
      throw new MailStoreException(file + " is broken (" + e.getMessage() + "); Dovecot rebuilds it"
          + " when it next updates the quota, or run 'doveadm quota recalc -u USER'", e);
    }
  }

  /**
   * Parses the content of a {@code maildirsize} file.
   *
   * @throws IllegalArgumentException naming the line, if it is broken
   */
  public static Quota parse(String content) {
    if (content.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("it holds NUL bytes");
    }
    int end = content.lastIndexOf('\n');
    if (end < 0) {
      throw new IllegalArgumentException("no complete first line");
    }
    String[] lines = content.substring(0, end).split("\n", -1);
    long limitBytes = 0;
    long limitCount = 0;
    if (!lines[0].isEmpty()) {
      for (String part : lines[0].split(",", -1)) {
        Matcher m = LIMIT.matcher(part);
        if (!m.matches()) {
          throw new IllegalArgumentException("line 1: limit '" + part + "' is not <bytes>S or <count>C");
        }
        long v = Long.parseLong(m.group(1));
        if (m.group(2).equals("S")) {
          limitBytes = v;
        } else {
          limitCount = v;
        }
      }
    }
    long bytes = 0;
    long count = 0;
    for (int i = 1; i < lines.length; i++) {
      Matcher m = DELTA.matcher(lines[i]);
      if (!m.matches()) {
        throw new IllegalArgumentException("line " + (i + 1) + ": expected '<bytes> <count>', got '"
            + lines[i] + "'");
      }
      bytes += Long.parseLong(m.group(1));
      count += Long.parseLong(m.group(2));
    }
    if (bytes < 0 || count < 0) {
      throw new IllegalArgumentException("the lines sum to " + bytes + " bytes and " + count
          + " messages, below zero");
    }
    return new Quota(limitBytes == 0 ? OptionalLong.empty() : OptionalLong.of(limitBytes),
        limitCount == 0 ? OptionalLong.empty() : OptionalLong.of(limitCount), bytes, count);
  }

  /** The higher of bytes and messages used, in percent of their limit; empty without a limit. */
  public OptionalDouble percent() {
    double p = -1;
    if (limitBytes.isPresent()) {
      p = Math.max(p, 100.0 * usedBytes / limitBytes.getAsLong());
    }
    if (limitMessages.isPresent()) {
      p = Math.max(p, 100.0 * usedMessages / limitMessages.getAsLong());
    }
    return p < 0 ? OptionalDouble.empty() : OptionalDouble.of(p);
  }

  /**
   * {@link State#FULL} at 100 % or more, {@link State#WARN} at {@code warnPercent} or more,
   * else {@link State#OK}.
   *
   * @throws IllegalArgumentException unless {@code 0 < warnPercent <= 100}
   */
  public State state(int warnPercent) {
    if (warnPercent <= 0 || warnPercent > 100) {
      throw new IllegalArgumentException("quota warning threshold " + warnPercent
          + " % is out of range; use 1 to 100");
    }
    double p = percent().orElse(0);
    return p >= 100 ? State.FULL : p >= warnPercent ? State.WARN : State.OK;
  }
}
