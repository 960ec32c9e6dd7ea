package io.mailops.migrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Test messages, a standard mailbox to migrate, and snapshots to compare stores by. */
final class TestMail {

  static final FolderPath SENT = FolderPath.of("Sent");
  static final FolderPath PROJEKTE = FolderPath.of("Projekte");
  static final FolderPath UBERSICHT = FolderPath.of("Projekte/Übersicht");
  static final FolderPath JUNK = FolderPath.of("Junk");
  static final Instant DATE = Instant.parse("2023-05-04T10:11:12Z");

  private TestMail() {}

  /** A CRLF message; {@code id} null leaves out the Message-ID. */
  static byte[] message(String id, String subject, String body) {
    String m = (id == null ? "" : "Message-ID: <" + id + "@example.com>\r\n")
        + "Date: Thu, 4 May 2023 10:11:12 +0000\r\n"
        + "From: Alice <alice@example.com>\r\n"
        + "To: Bob <bob@example.com>\r\n"
        + "Subject: " + subject + "\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n"
        + "\r\n"
        + body + "\r\n";
    return m.getBytes(StandardCharsets.UTF_8);
  }

  /** A message of more than 1 MiB. */
  static byte[] large(String id) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; b.length() < 1_200_000; i++) {
      b.append("line ").append(i).append(" of a large message, to be copied byte for byte\r\n");
    }
    return message(id, "large", b.toString());
  }

  static void append(MailStore store, AccountId account, FolderPath folder, byte[] message,
      Flags flags, Instant date) throws IOException {
    store.createFolder(account, folder);
    store.append(account, folder, new ByteArrayInputStream(message), flags, date);
  }

  /**
   * The standard mailbox: INBOX (4 messages: keywords, \Deleted, no Message-ID), Sent (2),
   * Projekte (1), Projekte/Übersicht (2, one > 1 MiB), Junk (1).
   */
  static void populate(MailStore store, AccountId account, String tag) throws IOException {
    Flags seenLabel = Flags.of(Set.of(Flag.SEEN), Set.of("$Label1"));
    append(store, account, FolderPath.INBOX, message(tag + "-i1", "Hallo " + tag, "Grüße"),
        seenLabel, DATE);
    append(store, account, FolderPath.INBOX, message(tag + "-i2", "Re: Hallo", "answered"),
        Flags.of(Set.of(Flag.SEEN, Flag.ANSWERED, Flag.FLAGGED), Set.of("$Label2", "NonJunk")),
        DATE.plusSeconds(3600));
    append(store, account, FolderPath.INBOX, message(tag + "-i3", "deleted", "bye"),
        Flags.of(Flag.SEEN, Flag.DELETED), DATE.plusSeconds(7200));
    append(store, account, FolderPath.INBOX, message(null, "no id " + tag, "no Message-ID here"),
        Flags.NONE, DATE.minus(400, ChronoUnit.DAYS));
    append(store, account, SENT, message(tag + "-s1", "sent 1", "one"), Flags.of(Flag.SEEN),
        DATE.plusSeconds(60));
    append(store, account, SENT, message(tag + "-s2", "sent 2", "two"),
        Flags.of(Flag.SEEN, Flag.DRAFT), DATE.plusSeconds(120));
    append(store, account, PROJEKTE, message(tag + "-p1", "Projekt", "plan"), Flags.NONE, DATE);
    append(store, account, UBERSICHT, large(tag + "-big"), Flags.of(Flag.FLAGGED), DATE);
    append(store, account, UBERSICHT, message(tag + "-u2", "Übersicht", "äöü"),
        Flags.of(Set.of(), Set.of("$Label1")), DATE.plusSeconds(5));
    append(store, account, JUNK, message(tag + "-j1", "spam", "buy"), Flags.NONE, DATE);
  }

  /** A folder of {@link #MANY} messages, subjects {@code m1} to {@code m120}, for order checks. */
  static final FolderPath MANY_FOLDER = FolderPath.of("Many");

  /**
   * Messages in {@link #MANY_FOLDER}: more than 9, so that UID 10 comes after UID 9, and more
   * than the wire reader's 100 per {@code UID FETCH}, so that the order of its batches shows.
   */
  static final int MANY = 120;

  /**
   * Fills {@link #MANY_FOLDER} of {@code login} on {@code greenMail} with messages {@code m1} to
   * {@code m120}, in that order (in-process: an IMAP append per message through Jakarta Mail
   * waits ~45 ms each for GreenMail's continuation).
   */
  static void populateMany(GreenMailExtension greenMail, String login, String tag)
      throws Exception {
    ImapHostManager imap = greenMail.getManagers().getImapHostManager();
    MailFolder f = imap.createMailbox(greenMail.getUserManager().getUser(login),
        MANY_FOLDER.toString());
    Session session = Session.getInstance(new Properties());
    for (int i = 1; i <= MANY; i++) {
      f.appendMessage(new MimeMessage(session,
          new ByteArrayInputStream(message(tag + "-many" + i, "m" + i, "number " + i))),
          new jakarta.mail.Flags(), Date.from(DATE.plusSeconds(i)));
    }
  }

  /**
   * The subjects of {@code folder} of {@code user} on the IMAP server at {@code port}, in the
   * folder's order (message sequence numbers, which follow the UIDs), read with Jakarta Mail.
   */
  static List<String> subjectsInOrder(int port, String user, String password, FolderPath folder)
      throws Exception {
    Store s = Session.getInstance(new Properties()).getStore("imap");
    s.connect("127.0.0.1", port, user, password);
    try (s) {
      Folder f = s.getFolder(folder.toString());
      f.open(Folder.READ_ONLY);
      Message[] messages = f.getMessages();
      FetchProfile envelope = new FetchProfile();
      envelope.add(FetchProfile.Item.ENVELOPE);
      f.fetch(messages, envelope);
      List<String> out = new ArrayList<>();
      for (Message m : messages) {
        out.add(m.getSubject());
      }
      f.close(false);
      return out;
    }
  }

  /** A copy that may fail. */
  interface Copy {
    void run() throws Exception;
  }

  /**
   * Fills {@link #MANY_FOLDER} of {@code src} ({@link #populateMany}), runs {@code copy} and
   * checks that the target folder of {@code dst} lists m1, m2, …, m120 in that order, as the
   * source does (not m1, m10, m100, …, as keys sorted as text would give).
   */
  static void checkOrderKept(GreenMailExtension greenMail, AccountId src, AccountId dst,
      String password, Copy copy) throws Exception {
    int port = greenMail.getImap().getPort();
    populateMany(greenMail, src.toString(), "order" + src.user());
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= MANY; i++) {
      expected.add("m" + i);
    }
    assertThat(subjectsInOrder(port, src.toString(), password, MANY_FOLDER)).isEqualTo(expected);
    copy.run();
    assertThat(subjectsInOrder(port, dst.toString(), password, MANY_FOLDER)).isEqualTo(expected);
  }

  /** Messages in the standard mailbox. */
  static final int MESSAGES = 10;

  /**
   * Per folder, the sorted list of "SHA-256 of bytes | flags | internal date (seconds)", flags
   * without \Deleted unless {@code keepDeleted}.
   */
  static Map<FolderPath, List<String>> snapshot(MailStore store, AccountId account,
      Predicate<FolderPath> folders, boolean keepDeleted) throws IOException {
    Map<FolderPath, List<String>> out = new TreeMap<>();
    for (FolderPath f : store.folders(account)) {
      if (!folders.test(f)) {
        continue;
      }
      FolderScan scan = store.scan(account, f);
      List<String> lines = new ArrayList<>();
      for (MessageRef ref : scan.messages()) {
        byte[] bytes;
        try (InputStream in = store.open(account, ref)) {
          bytes = in.readAllBytes();
        }
        EnumSet<Flag> system = EnumSet.noneOf(Flag.class);
        system.addAll(ref.flags().system());
        if (!keepDeleted) {
          system.remove(Flag.DELETED);
        }
        lines.add(sha256(bytes) + " | " + new Flags(system, new TreeSet<>(ref.flags().keywords()))
            + " | " + ref.internalDate().truncatedTo(ChronoUnit.SECONDS));
      }
      lines.sort(null);
      out.put(f, lines);
    }
    return out;
  }

  static String sha256(byte[] b) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
