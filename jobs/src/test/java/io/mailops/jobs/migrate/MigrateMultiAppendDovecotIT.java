package io.mailops.jobs.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.migrator.MessageWriter;
import io.mailops.migrator.wire.WireConnection;
import io.mailops.migrator.wire.WireWriter;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.interop.DovecotServer;
import io.mailops.storage.interop.ImapTestClient;
import io.mailops.storage.interop.TestMessages;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MULTIAPPEND (RFC 3502, docs/adr/0022) against the harness's real Dovecot, which announces it:
 * the UIDs Dovecot names for a batch belong to the messages in their order (bytes, flags,
 * keywords, INTERNALDATE read back by UID), and a message Dovecot refuses inside a batch (a
 * zero-byte message: "Can't save a zero byte message", which fails the whole batch) is reported
 * alone while the rest of its batch is stored, by the writer and by {@code mailops migrate run}.
 * Uses the dedicated users {@code mig-maildir-used}, {@code mig-maildir-dst} and
 * {@code mig-imap-dst} of {@code MIGRATE_USERS}, wiping them first.
 */
class MigrateMultiAppendDovecotIT {

  static DovecotServer s;

  @TempDir Path home;

  @BeforeAll
  static void load() throws Exception {
    s = DovecotServer.load("MIGRATE_USERS");
  }

  private static Flags flags(Random rnd) {
    EnumSet<Flag> sys = EnumSet.noneOf(Flag.class);
    for (Flag f : List.of(Flag.SEEN, Flag.ANSWERED, Flag.FLAGGED, Flag.DRAFT)) {
      if (rnd.nextInt(3) == 0) {
        sys.add(f);
      }
    }
    TreeSet<String> kw = new TreeSet<>();
    for (String k : List.of("$Label1", "$Forwarded", "Projekt_Alpha")) {
      if (rnd.nextInt(4) == 0) {
        kw.add(k);
      }
    }
    return new Flags(sys, kw);
  }

  @Test
  @Timeout(300)
  void batchesGiveEveryMessageTheUidDovecotNamedAndARefusedMessageFailsAlone() throws Exception {
    AccountId dst = s.user("mig-maildir-used@example.net");
    s.wipe(dst);
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      imap.create("Archiv/Übersicht");
    }
    FolderPath other = FolderPath.of("Archiv/Übersicht");
    Random rnd = new Random(3502L);
    int n = 160;
    List<byte[]> bytes = new ArrayList<>();
    List<Flags> flags = new ArrayList<>();
    List<Instant> dates = new ArrayList<>();
    List<FolderPath> folders = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant date = TestMessages.date(rnd).plusMillis(rnd.nextInt(1000));
      String id = "multi-" + i;
      // 70: empty, refused by Dovecot inside the second batch; 100: above the 8 MiB in-memory
      // limit, spooled and sent alone
      bytes.add(i == 70 ? new byte[0] : TestMessages.message(id, "Multi " + id,
          i == 100 ? 9_000_000 : TestMessages.size(rnd), date, rnd));
      flags.add(flags(rnd));
      dates.add(date);
      folders.add(i < 130 ? FolderPath.INBOX : other);
    }
    Map<Integer, String> outcomes = new TreeMap<>();
    try (WireConnection c = WireConnection.open(ImapLocation.parse(URI.create(s.imapUri(dst))),
        (u, h) -> s.password().toCharArray())) {
      WireWriter w = new WireWriter(c);
      assertThat(w.batches()).as("Dovecot announces MULTIAPPEND and LITERAL+").isTrue();
      for (int i = 0; i < n; i++) {
        int k = i;
        try (SpooledMessage m = SpooledMessage.read(new ByteArrayInputStream(bytes.get(i)))) {
          w.append(dst, folders.get(i), m, flags.get(i), dates.get(i), new MessageWriter.Outcome() {
            @Override
            public void stored() {
              outcomes.put(k, "stored without a UID");
            }

            @Override
            public void stored(long uidValidity, long uid) {
              outcomes.put(k, uidValidity + ":" + uid);
            }

            @Override
            public void refused(String reason) {
              outcomes.put(k, "refused: " + reason);
            }
          });
        }
      }
      w.flush();
    }
    assertThat(outcomes).hasSize(n);
    assertThat(outcomes.get(70)).startsWith("refused: ").contains("zero byte");
    Map<String, ImapTestClient.Fetched> byUid = new HashMap<>();
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      for (String f : List.of("INBOX", "Archiv/Übersicht")) {
        for (ImapTestClient.Fetched m : imap.fetchAll(f)) {
          byUid.put(f + " " + m.uid(), m);
        }
      }
    }
    assertThat(byUid).as("messages on the target").hasSize(n - 1);
    SoftAssertions softly = new SoftAssertions();
    for (int i = 0; i < n; i++) {
      if (i == 70) {
        continue;
      }
      String o = outcomes.get(i);
      softly.assertThat(o).as("message %d", i).matches("\\d+:\\d+");
      if (!o.matches("\\d+:\\d+")) {
        continue;
      }
      String folder = folders.get(i).equals(FolderPath.INBOX) ? "INBOX" : "Archiv/Übersicht";
      ImapTestClient.Fetched m = byUid.get(folder + " " + o.substring(o.indexOf(':') + 1));
      softly.assertThat(m).as("message %d at UID %s of %s", i, o, folder).isNotNull();
      if (m != null) {
        softly.assertThat(ImapTestClient.sha(m.body())).as("bytes of message %d", i)
            .isEqualTo(ImapTestClient.sha(bytes.get(i)));
        softly.assertThat(m.flags()).as("flags of message %d", i).isEqualTo(flags.get(i));
        softly.assertThat(m.internalDate()).as("INTERNALDATE of message %d", i)
            .isEqualTo(dates.get(i).truncatedTo(ChronoUnit.SECONDS));
      }
    }
    softly.assertAll();
  }

  @Test
  @Timeout(600)
  void migrateRunReportsTheOneMessageDovecotRefusedInABatchAndCopiesTheRestOnce()
      throws Exception {
    AccountId src = s.user("mig-maildir-dst@example.net");
    AccountId dst = s.user("mig-imap-dst@example.net");
    s.wipe(src);
    s.wipe(dst);
    Random rnd = new Random(3L);
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      for (int i = 0; i < 100; i++) {
        if (i == 40) {
          // a zero-byte message, which Dovecot serves but refuses to store: put into the
          // Maildir and given its UID (41) by a sync
          Path cur = s.maildir(src).resolve("cur");
          Path empty = cur.resolve("1700000000.M1P1.mailops-test:2,S");
          Files.write(empty, new byte[0]);
          Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
          Files.setAttribute(empty, "unix:uid", s.mailUid());
          Files.setAttribute(empty, "unix:gid", s.mailGid());
          imap.select("INBOX");
        }
        Instant date = TestMessages.date(rnd);
        String id = "multi-run-" + i;
        imap.append("INBOX", TestMessages.message(id, "Run " + id, TestMessages.size(rnd), date,
            rnd), TestMessages.flags(rnd).replace("\\Deleted", "").replaceAll(" +", " ").trim(), date,
            ZoneOffset.ofHours(1));
      }
    }
    Map<String, Integer> source;
    try (ImapTestClient imap = ImapTestClient.login(s, src.toString())) {
      source = imap.snapshot().get("INBOX");
    }
    assertThat(source.values().stream().mapToInt(x -> x).sum()).isEqualTo(101);
    String empty = source.keySet().stream()
        .filter(k -> k.startsWith(ImapTestClient.sha(new byte[0]))).findFirst().orElseThrow();

    Path pw = Files.writeString(home.resolve("pw"), s.password() + "\n");
    Map<String, String> env = Map.of("MAILOPS_HOME", home.toString());
    String[] args = {"migrate", "run", "--source", s.imapUri(src), "--source-password-file",
        pw.toString(), "--target", s.imapUri(dst), "--target-password-file", pw.toString()};
    CliResult first = CliResult.run(env, args);
    assertThat(first.code()).as(first.out() + first.err()).isEqualTo(3);
    assertThat(first.out() + first.err()).as(first.out() + first.err())
        .contains("100 copied").contains("zero byte");
    assertThat((first.out() + first.err()).lines().filter(l -> l.contains("zero byte")).count())
        .as("lines naming the refused message:\n%s", first.out() + first.err()).isEqualTo(1);

    Map<String, Integer> expected = new TreeMap<>(source);
    expected.remove(empty);
    Map<String, Integer> target;
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      target = imap.snapshot().get("INBOX");
    }
    assertThat(target).as("SHA-256 | flags | keywords | INTERNALDATE -> count on the target")
        .isEqualTo(expected);

    CliResult again = CliResult.run(env, args);
    assertThat(again.code()).as(again.out() + again.err()).isEqualTo(3);
    assertThat(again.out()).as(again.out()).contains("0 copied");
    try (ImapTestClient imap = ImapTestClient.login(s, dst.toString())) {
      assertThat(imap.snapshot().get("INBOX")).as("after a second run: no duplicate")
          .isEqualTo(expected);
    }
  }
}
