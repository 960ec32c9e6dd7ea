package io.mailops.jobs.migrate;


import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailops.jobs.CliResult;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the migration CLI tests share: a GreenMail IMAP server with one account per test and name
 * ({@link #user}), a password file, the CLI run in-process with {@code MAILOPS_HOME} in a
 * temporary directory, and a mailbox filled and read back the same way in every test.
 */
abstract class MigrateCliFixture {

  static final String SECRET = "s3cret";
  static final AtomicInteger N = new AtomicInteger();

  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort()).withPerMethodLifecycle(false);

  @TempDir
  Path home;

  Map<String, String> env = new HashMap<>();
  Path pw;
  int n;

  @BeforeEach
  void setUp() throws Exception {
    env.put("MAILOPS_HOME", home.toString());
    pw = Files.writeString(home.resolve("pw"), SECRET + "\n");
    n = N.incrementAndGet();
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }

  String imapUri(AccountId a) {
    return "imap://" + a.toString().replace("@", "%40") + "@127.0.0.1:" + GREENMAIL.getImap().getPort()
        + "?starttls=false";
  }

  AccountId user(String name) {
    AccountId a = AccountId.of(name + n + "@old.example");
    GREENMAIL.setUser(a.toString(), a.toString(), SECRET);
    return a;
  }

  MailStore imap(AccountId a) throws Exception {
    return MailStores.open(imapUri(a), (u, h) -> SECRET.toCharArray());
  }

  void populate(AccountId a, int messages) throws Exception {
    try (MailStore s = imap(a)) {
      FolderPath projects = FolderPath.of("Projekte/Übersicht");
      s.createFolder(a, projects);
      for (int i = 0; i < messages; i++) {
        String msg = "Message-ID: <m" + i + "-" + a + ">\r\nFrom: x@example.org\r\nSubject: number " + i
            + "\r\nDate: Mon, 6 May 2024 07:08:09 +0000\r\n\r\nbody " + i + "\r\n";
        s.append(a, i % 3 == 0 ? projects : FolderPath.INBOX,
            new ByteArrayInputStream(msg.getBytes(StandardCharsets.UTF_8)),
            i % 2 == 0 ? Flags.of(Flag.SEEN) : new Flags(java.util.EnumSet.of(Flag.FLAGGED), new TreeSet<>(Set.of("$Label1"))),
            Instant.parse("2024-05-06T07:08:09Z").plusSeconds(3600L * i));
      }
    }
  }

  /** "folder|flags|keywords|date|subject" of every message of the account. */
  static List<String> content(MailStore s, AccountId a) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (FolderPath f : s.folders(a)) {
      for (MessageRef m : s.scan(a, f).messages()) {
        String text = new String(s.open(a, m).readAllBytes(), StandardCharsets.UTF_8);
        out.add(f + "|" + m.flags().system() + "|" + m.flags().keywords() + "|" + m.internalDate() + "|"
            + text.substring(text.indexOf("Subject:"), text.indexOf("\r\n", text.indexOf("Subject:"))));
      }
    }
    out.sort(null);
    return out;
  }
}
