package io.mailops.storage.sample;

import io.mailops.storage.model.Flags;
import io.mailops.storage.sample.Population.Person;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything decided about one sample message before its bytes are written: where it goes,
 * its internal date (also its Date: header, shown in {@code zone}), flags, people, subject,
 * language, Message-ID (absent on a few), the message it answers, its size class and target
 * size, its MIME shape, line ending, the encoding of non-ASCII header words, and the seed
 * of its text and attachments.
 */
record MessageSpec(
    SampleFolder folder,
    Instant date,
    ZoneOffset zone,
    Flags flags,
    Person owner,
    Person from,
    List<Person> to,
    List<Person> cc,
    String subject,
    Language language,
    Optional<String> messageId,
    Optional<String> inReplyTo,
    SizeClass sizeClass,
    int targetBytes,
    BodyKind kind,
    boolean crlf,
    EncodedWords headerEncoding,
    long contentSeed) {

  /** How big a message is meant to be; {@code min..max} bytes, give or take the headers. */
  enum SizeClass {
    TINY(1_000, 1_999),
    REGULAR(2_000, 20_000),
    LARGE(100_000, 1_000_000),
    HUGE(2_100_000, 3_900_000);

    final int min;
    final int max;

    SizeClass(int min, int max) {
      this.min = min;
      this.max = max;
    }
  }

  /** The MIME shape of the body. */
  enum BodyKind {
    /** text/plain, us-ascii, 7bit. */
    PLAIN_7BIT,
    /** text/plain, UTF-8, Content-Transfer-Encoding 8bit. */
    PLAIN_8BIT,
    /** text/plain, quoted-printable. */
    PLAIN_QP,
    /** text/plain, UTF-8 in base64. */
    PLAIN_BASE64,
    /** multipart/alternative of text/plain and text/html. */
    ALTERNATIVE,
    /** multipart/mixed of text/plain and attachments. */
    MIXED,
    /** multipart/mixed of multipart/alternative (text, multipart/related html+image) and attachments. */
    NESTED
  }

  MessageSpec {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(inReplyTo, "inReplyTo");
    Objects.requireNonNull(sizeClass, "sizeClass");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(headerEncoding, "headerEncoding");
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    if (to.isEmpty()) {
      throw new IllegalArgumentException("a sample message needs a recipient, got none for '" + subject + "'");
    }
    if (date.isBefore(SampleFolder.FIRST) || date.isAfter(SampleFolder.LAST) || date.getNano() != 0) {
      throw new IllegalArgumentException("sample dates are whole seconds in 2023..2025, got " + date);
    }
  }

  /** Whether the message was delivered to the owner (it then has Received headers). */
  boolean incoming() {
    return !from.equals(owner);
  }
}
