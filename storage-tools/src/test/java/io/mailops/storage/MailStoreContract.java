package io.mailops.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MailStore} must have. A test class implements this interface,
 * returns a fresh store in {@link #store()} (for example from a {@code @BeforeEach} method; the
 * test class closes it) holding {@link #account()} with at least an INBOX, and says whether the
 * store keeps flags.
 *
 * <p>Messages use CRLF line ends, the form every store (IMAP included) returns unchanged.
 */
public interface MailStoreContract {

  /** The store under test, fresh for each test. */
  MailStore store();

  /** An account that exists in {@link #store()}. */
  AccountId account();

  /** False for stores that cannot hold flags and keywords (plain .eml files, mbox on append). */
  default boolean keepsFlags() {
    return true;
  }

  /**
   * False for a test server known to report wrong sizes in scans (GreenMail 2.1 answers
   * RFC822.SIZE with the character count of the body); bytes are still compared exactly.
   */
  default boolean scansReportExactSizes() {
    return true;
  }

  /** A folder path with a non-ASCII nested segment, created by several tests. */
  FolderPath NESTED = FolderPath.of("Projekte/Übersicht");

  /** An internal date with whole seconds, as IMAP and mbox keep it. */
  Instant DATE = Instant.parse("2024-03-05T10:15:30Z");

  /** A message with lines every store must keep: From lines, 8-bit text, a long line. */
  static byte[] sampleMessage(String subject) {
    String text = "Return-Path: <alice@example.com>\r\n"
        + "From: Alice <alice@example.com>\r\n"
        + "To: Bob <bob@example.com>\r\n"
        + "Subject: " + subject + "\r\n"
        + "Message-ID: <" + subject.hashCode() + "@example.com>\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n"
        + "\r\n"
        + "From me to you: Grüße aus Köln.\r\n"
        + ">From x, quoted once already\r\n"
        + "\r\n"
        + "x".repeat(1500) + "\r\n"
        + "-- \r\nAlice\r\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] read(MessageRef ref) throws IOException {
    try (InputStream in = store().open(account(), ref)) {
      return in.readAllBytes();
    }
  }

  private MessageRef append(FolderPath folder, byte[] message, Flags flags) throws IOException {
    return store().append(account(), folder, new ByteArrayInputStream(message), flags, DATE);
  }

  @Test
  default void accountsShouldListTheAccountSortedAndDomainsShouldMatch() throws IOException {
    List<AccountId> accounts = store().accounts();

    assertThat(accounts).contains(account()).isSortedAccordingTo(Comparator.naturalOrder())
        .doesNotHaveDuplicates();
    assertThat(store().domains()).contains(account().domain())
        .isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
  }

  @Test
  default void foldersShouldListInboxFirstThenTheCreatedFoldersSorted() throws IOException {
    store().createFolder(account(), FolderPath.of("Zeta"));
    store().createFolder(account(), NESTED);
    store().createFolder(account(), FolderPath.of("Archiv"));

    List<FolderPath> folders = store().folders(account());

    assertThat(folders.get(0)).isEqualTo(FolderPath.INBOX);
    assertThat(folders).contains(FolderPath.of("Zeta"), NESTED, FolderPath.of("Archiv"))
        .isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
  }

  @Test
  default void createFolderShouldBeANoOpWhenTheFolderExists() throws IOException {
    store().createFolder(account(), NESTED);
    MessageRef ref = append(NESTED, sampleMessage("kept"), Flags.NONE);

    store().createFolder(account(), NESTED);
    store().createFolder(account(), FolderPath.INBOX);

    assertThat(store().scan(account(), NESTED).messages()).extracting(MessageRef::key)
        .containsExactly(ref.key());
  }

  @Test
  default void scanOfAnEmptyFolderShouldBeEmpty() throws IOException {
    store().createFolder(account(), FolderPath.of("Leer"));

    FolderScan scan = store().scan(account(), FolderPath.of("Leer"));

    assertThat(scan.messages()).isEmpty();
    assertThat(scan.skipped()).isEmpty();
    assertThat(scan.totalSize()).isZero();
  }

  @Test
  default void appendThenScanShouldReturnTheMessageWithItsBytesSizeAndDate() throws IOException {
    store().createFolder(account(), NESTED);
    byte[] message = sampleMessage("Übersicht");

    MessageRef appended = append(NESTED, message, Flags.NONE);
    FolderScan scan = store().scan(account(), NESTED);

    assertThat(scan.skipped()).isEmpty();
    assertThat(scan.messages()).hasSize(1);
    MessageRef scanned = scan.messages().get(0);
    assertThat(scanned.key()).isEqualTo(appended.key());
    assertThat(scanned.folder()).isEqualTo(NESTED);
    assertThat(appended.size()).isEqualTo(message.length);
    if (scansReportExactSizes()) {
      assertThat(scanned.size()).isEqualTo(message.length);
    }
    assertThat(scanned.internalDate().truncatedTo(ChronoUnit.SECONDS)).isEqualTo(DATE);
    assertThat(appended.internalDate().truncatedTo(ChronoUnit.SECONDS)).isEqualTo(DATE);
    assertThat(sha256(read(scanned))).isEqualTo(sha256(message));
  }

  @Test
  default void openAfterAppendShouldReturnTheExactBytes() throws IOException {
    byte[] message = sampleMessage("exact");

    MessageRef appended = append(FolderPath.INBOX, message, Flags.NONE);

    assertThat(read(appended)).isEqualTo(message);
  }

  @Test
  default void appendShouldKeepFlagsAndKeywordsWhereTheStoreKeepsThem() throws IOException {
    Flags flags = Flags.of(Set.of(Flag.SEEN, Flag.FLAGGED, Flag.ANSWERED), Set.of("$Label1", "NonJunk"));

    MessageRef appended = append(FolderPath.INBOX, sampleMessage("flags"), flags);
    MessageRef scanned = store().scan(account(), FolderPath.INBOX).messages().get(0);

    if (keepsFlags()) {
      assertThat(appended.flags()).isEqualTo(flags);
      assertThat(scanned.flags()).isEqualTo(flags);
    } else {
      assertThat(appended.flags()).isEqualTo(Flags.NONE);
      assertThat(scanned.flags()).isEqualTo(appended.flags());
    }
  }

  @Test
  default void appendingSeveralShouldGiveDistinctKeysThatStayStable() throws IOException {
    List<MessageRef> appended = new ArrayList<>();
    appended.add(append(FolderPath.INBOX, sampleMessage("one"), Flags.NONE));
    appended.add(append(FolderPath.INBOX, sampleMessage("two"), Flags.NONE));
    appended.add(append(FolderPath.INBOX, sampleMessage("one"), Flags.NONE));

    List<MessageKey> first = keys(store().scan(account(), FolderPath.INBOX));
    List<MessageKey> second = keys(store().scan(account(), FolderPath.INBOX));

    assertThat(appended).extracting(MessageRef::key).doesNotHaveDuplicates();
    assertThat(first).containsExactlyInAnyOrderElementsOf(
        appended.stream().map(MessageRef::key).toList());
    assertThat(second).isEqualTo(first);
    for (MessageRef ref : appended) {
      assertThat(read(ref)).as("bytes of %s", ref.key()).isEqualTo(sampleMessage(
          appended.indexOf(ref) == 1 ? "two" : "one"));
    }
  }

  @Test
  default void scanShouldListMessagesSortedByKeyWithTheirTotalSize() throws IOException {
    long total = 0;
    for (int i = 0; i < 6; i++) {
      byte[] m = sampleMessage("sorted " + i);
      total += m.length;
      append(FolderPath.INBOX, m, Flags.NONE);
    }

    FolderScan scan = store().scan(account(), FolderPath.INBOX);

    assertThat(scan.messages()).hasSize(6).extracting(MessageRef::key)
        .isSortedAccordingTo(Comparator.naturalOrder());
    if (scansReportExactSizes()) {
      assertThat(scan.totalSize()).isEqualTo(total);
    }
  }

  @Test
  default void scanOfAMissingFolderShouldFailNamingTheFolder() {
    assertThatThrownBy(() -> store().scan(account(), FolderPath.of("Fehlt/Nirgends")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("Fehlt/Nirgends");
  }

  @Test
  default void appendToAMissingFolderShouldFailNamingTheFolder() {
    assertThatThrownBy(() -> append(FolderPath.of("Fehlt"), sampleMessage("x"), Flags.NONE))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("Fehlt");
  }

  @Test
  default void foldersOfAnUnknownAccountShouldFailNamingTheAccount() {
    AccountId nobody = new AccountId("nobody", "nowhere.invalid");

    assertThatThrownBy(() -> store().folders(nobody))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("nobody@nowhere.invalid");
  }

  private static List<MessageKey> keys(FolderScan scan) {
    return scan.messages().stream().map(MessageRef::key).toList();
  }
}
