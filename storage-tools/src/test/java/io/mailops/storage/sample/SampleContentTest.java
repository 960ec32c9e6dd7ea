package io.mailops.storage.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.FolderPath;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the default sample (3 domains x 4 accounts x 60 messages, seed 42) contains, checked by
 * reading it back through the store and parsing every message with Jakarta Mail. The sample is
 * generated and parsed once for all tests here; parsing walks every MIME part and decodes it,
 * so a message Jakarta Mail cannot read fails them all.
 */
class SampleContentTest {

  private static final Pattern RFC_5322_DATE =
      Pattern.compile("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}");
  private static final Instant FIRST = Instant.parse("2023-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("2025-12-31T23:59:59Z");

  @TempDir
  static Path tmp;

  static SampleReport report;
  static List<StoredMessage> all;
  static Census census;

  /** What the MIME walk over all messages found. */
  static final class Census {
    final Set<String> leafTypes = new TreeSet<>();
    final Set<String> multipartTypes = new TreeSet<>();
    final Set<String> attachmentTypes = new TreeSet<>();
    final Set<String> attachmentNames = new TreeSet<>();
    final Map<String, Set<Integer>> attachmentHashes = new HashMap<>();
    final List<String> subjects = new ArrayList<>();
    final List<String> rawSubjects = new ArrayList<>();
    final List<String> rawFroms = new ArrayList<>();
    final List<String> messageIds = new ArrayList<>();
    final List<String> dateHeaders = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    int withoutMessageId;
    int nestedMultiparts;
    int mixedWithAttachment;
    int eightBitBodies;
    int crlf;
  }

  @BeforeAll
  static void generateTheDefaultSample() throws Exception {
    try (MaildirStore store = new MaildirStore(tmp, MaildirLayout.standard(), MaildirStore.Settings.defaults())) {
      report = SampleGenerator.generate(store, SampleSettings.defaults(), SampleGenerator.Listener.NONE);
      all = StoredMessage.readAll(store);
    }
    census = new Census();
    Session session = Session.getInstance(new Properties());
    for (int i = 0; i < all.size(); i++) {
      StoredMessage m = all.get(i);
      MimeMessage msg = new MimeMessage(session, new ByteArrayInputStream(m.bytes()));
      String[] ids = msg.getHeader("Message-ID");
      if (ids == null) {
        census.withoutMessageId++;
      } else {
        census.messageIds.add(ids[0]);
      }
      checkDateAddressesAndHeaderBytes(m, msg);
      census.subjects.add(msg.getSubject());
      census.rawSubjects.add(msg.getHeader("Subject", null));
      census.rawFroms.add(msg.getHeader("From", null));
      if (msg.isMimeType("multipart/mixed")) {
        Multipart mp = (Multipart) msg.getContent();
        for (int p = 0; p < mp.getCount(); p++) {
          if (Part.ATTACHMENT.equalsIgnoreCase(mp.getBodyPart(p).getDisposition())) {
            census.mixedWithAttachment++;
            break;
          }
        }
      }
      walk(msg, 0, i);
      String raw = new String(m.bytes(), StandardCharsets.ISO_8859_1);
      if (raw.contains("\r\n")) {
        census.crlf++;
      }
      if (raw.contains("Content-Transfer-Encoding: 8bit") && raw.chars().anyMatch(c -> c >= 0x80)) {
        census.eightBitBodies++;
      }
    }
  }

  private static void walk(Part part, int depth, int message) throws MessagingException, IOException {
    String type = part.getContentType().split(";")[0].trim().toLowerCase();
    if (part.isMimeType("multipart/*")) {
      census.multipartTypes.add(type);
      if (depth > 0) {
        census.nestedMultiparts++;
      }
      Multipart mp = (Multipart) part.getContent();
      assertThat(mp.getCount()).as("parts of a %s", type).isGreaterThanOrEqualTo(2);
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart child = mp.getBodyPart(i);
        walk(child, depth + 1, message);
      }
      return;
    }
    String cte = ((MimePart) part).getEncoding();
    census.leafTypes.add(type + " " + cte);
    Object content = part.getContent();
    if (content instanceof String text) {
      assertThat(text).isNotEmpty();
    }
    try (InputStream in = part.getInputStream()) {
      byte[] decoded = in.readAllBytes();
      assertThat(decoded).isNotEmpty();
      if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
        census.attachmentTypes.add(type);
        census.attachmentNames.add(part.getFileName());
        census.attachmentHashes.computeIfAbsent(StoredMessage.sha256(decoded), k -> new HashSet<>())
            .add(message);
      }
    }
  }

  @Test
  void theDefaultSampleShouldHoldThreeDomainsTwelveAccountsAndSevenHundredTwentyMessages() {
    assertThat(report).isEqualTo(new SampleReport(3, 12, report.folders(), 720,
        all.stream().mapToLong(m -> m.bytes().length).sum()));
    assertThat(report.folders()).isBetween(12 * 8, 12 * 11);
  }

  @Test
  void sizesShouldSpanFromUnderTwoKilobytesToOverOneMegabyteWithMostBetweenOneAndTwentyKilobytes() {
    long[] sizes = all.stream().mapToLong(m -> m.bytes().length).sorted().toArray();
    long small = all.stream().filter(m -> m.bytes().length <= 20 * 1024 + 1024).count();
    long large = all.stream().filter(m -> m.bytes().length >= 100_000 && m.bytes().length <= 1_050_000).count();
    long huge = all.stream().filter(m -> m.bytes().length >= 2_000_000).count();

    assertThat(sizes[0]).isLessThan(2048).isGreaterThan(700);
    assertThat(sizes[sizes.length - 1]).isGreaterThan(2_000_000).isLessThan(4_200_000);
    assertThat(small).as("messages of 1-20 kB").isGreaterThan(sizes.length * 8L / 10);
    assertThat(large).as("messages of 100 kB-1 MB").isBetween(sizes.length * 2L / 100, sizes.length * 9L / 100);
    assertThat(huge).as("messages of 2-4 MB").isBetween(1L, sizes.length * 3L / 100);
  }

  /** Records in the census what is wrong with the Date, the addresses or the header bytes. */
  private static void checkDateAddressesAndHeaderBytes(StoredMessage m, MimeMessage msg) throws MessagingException {
    String what = m.account() + " " + m.folder() + " '" + msg.getSubject() + "': ";
    String date = msg.getHeader("Date", null);
    census.dateHeaders.add(date);
    if (msg.getSentDate() == null || !msg.getSentDate().toInstant().equals(m.internalDate())) {
      census.problems.add(what + "Date " + date + " is not the internal date " + m.internalDate());
    }
    for (Address a : msg.getFrom()) {
      ((InternetAddress) a).validate();
    }
    for (Address a : msg.getAllRecipients()) {
      ((InternetAddress) a).validate();
    }
    String head = new String(m.bytes(), StandardCharsets.ISO_8859_1).split("\r?\n\r?\n", 2)[0];
    if (head.chars().anyMatch(c -> c >= 0x80)) {
      census.problems.add(what + "header has non-ASCII bytes");
    }
    if (Stream.of(head.split("\r?\n")).anyMatch(line -> line.length() > 998)) {
      census.problems.add(what + "header line over 998 characters");
    }
  }

  @Test
  void everyMessageShouldParseAsMimeWithItsDateHeaderEqualToTheInternalDate() {
    assertThat(census.problems).isEmpty();
    assertThat(census.dateHeaders).hasSize(720).allMatch(d -> RFC_5322_DATE.matcher(d).matches());
    assertThat(all).allMatch(m -> !m.internalDate().isBefore(FIRST) && !m.internalDate().isAfter(LAST));
    assertThat(census.subjects).noneMatch(s -> s.contains("=?"));
  }

  @Test
  void internalDatesShouldFitTheirFolders() {
    for (StoredMessage m : all) {
      ZonedDateTime utc = m.internalDate().atZone(ZoneOffset.UTC);
      if (m.folder().equals(FolderPath.of("Archive/2024"))) {
        assertThat(utc.getYear()).isEqualTo(2024);
      } else if (m.folder().equals(FolderPath.of("Reports/Q1"))) {
        assertThat(utc.getMonthValue()).isBetween(1, 3);
      }
    }
    assertThat(all).extracting(m -> m.internalDate().atZone(ZoneOffset.UTC).getYear())
        .contains(2023, 2024, 2025);
  }

  @Test
  void theSampleShouldHoldEveryKindOfHeader() {
    assertThat(census.withoutMessageId).isBetween(1, all.size() * 8 / 100);
    assertThat(new HashSet<>(census.messageIds)).as("Message-IDs are unique").hasSize(census.messageIds.size());
    assertThat(census.rawSubjects).anyMatch(s -> s.startsWith("=?UTF-8?B?"))
        .anyMatch(s -> s.startsWith("=?ISO-8859-1?Q?"))
        .anyMatch(s -> s.startsWith("=?UTF-8?Q?"));
    assertThat(census.rawFroms).anyMatch(s -> s.startsWith("=?UTF-8?B?"))
        .anyMatch(s -> s.startsWith("=?ISO-8859-1?Q?")).anyMatch(s -> s.startsWith("\""));
    assertThat(census.subjects).anyMatch(s -> s.contains("Ü") || s.contains("ä") || s.contains("é"))
        .anyMatch(s -> s.startsWith("Re: ")).anyMatch(s -> s.contains("会議") || s.contains("週報"));
  }

  @Test
  void theSampleShouldHoldEveryKindOfBody() {
    assertThat(census.eightBitBodies).as("8-bit bodies").isPositive();
    assertThat(census.crlf).as("messages with CRLF").isBetween(1, all.size() / 10);
    assertThat(census.leafTypes).contains("text/plain 7bit", "text/plain 8bit",
        "text/plain quoted-printable", "text/plain base64", "text/html quoted-printable",
        "application/pdf base64", "image/png base64", "application/zip base64");
    assertThat(census.multipartTypes).contains("multipart/alternative", "multipart/mixed", "multipart/related");
    assertThat(census.nestedMultiparts).as("multiparts inside multiparts").isPositive();
    assertThat(census.mixedWithAttachment).as("multipart/mixed with an attachment").isPositive();
    assertThat(census.attachmentTypes).contains("application/pdf", "image/png", "application/zip", "text/plain");
    assertThat(census.attachmentNames).anyMatch(n -> n.contains("Übersicht") || n.contains("für")
        || n.contains("Größe"));
  }

  @Test
  void someAttachmentsShouldBeSharedByteForByteBetweenMessages() {
    assertThat(census.attachmentHashes.values()).anyMatch(messages -> messages.size() >= 2);
  }

  @Test
  void flagsShouldFollowTheFolders() throws IOException {
    FolderPath drafts = FolderPath.of("Drafts");
    FolderPath trash = FolderPath.of("Trash");
    assertThat(all).filteredOn(m -> m.flags().has(Flag.DRAFT)).isNotEmpty()
        .allMatch(m -> m.folder().equals(drafts));
    assertThat(all).filteredOn(m -> m.folder().equals(drafts)).allMatch(m -> m.flags().has(Flag.DRAFT));
    assertThat(all).filteredOn(m -> m.flags().has(Flag.DELETED)).isNotEmpty()
        .allMatch(m -> m.folder().equals(trash));
    assertThat(all).anyMatch(m -> m.flags().has(Flag.ANSWERED)).anyMatch(m -> m.flags().has(Flag.FLAGGED));
    double seen = all.stream().filter(m -> m.flags().has(Flag.SEEN)).count() / (double) all.size();
    assertThat(seen).as("share of \\Seen").isBetween(0.6, 0.8);
    Set<String> keywords = new TreeSet<>();
    all.forEach(m -> keywords.addAll(m.flags().keywords()));
    assertThat(keywords).containsExactlyInAnyOrder("$Forwarded", "$Junk", "$Label1", "NonJunk", "Work");

    long unflagged = all.stream().filter(m -> m.flags().isEmpty()).count();
    long inNew;
    try (Stream<Path> files = Files.walk(tmp)) {
      inNew = files.filter(p -> Files.isRegularFile(p) && p.getParent().getFileName().toString().equals("new"))
          .count();
    }
    assertThat(unflagged).isPositive().isEqualTo(inNew);
  }
}
