package io.mailops.jobs.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailops.jobs.CliResult;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mailops archive …} end to end on a small sample store and an mbox with a Bcc-only
 * recipient: ingest, search, user scope, show, export, resend, seal, restore, verify.
 */
class ArchiveCommandTest {

  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  static final String PASSWORD = "Correct-Horse-7";
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Only Delivered-To names the Bcc recipient; the headers name others. */
  static final String BCC_MESSAGE = "Return-Path: <boss@corp.example>\n"
      + "Delivered-To: secret@corp.example\n"
      + "From: Boss <boss@corp.example>\n"
      + "To: team@corp.example\n"
      + "Subject: Confidential merger plan\n"
      + "Date: Tue, 03 Mar 2026 10:00:00 +0000\n"
      + "Message-ID: <merger-1@corp.example>\n"
      + "MIME-Version: 1.0\n"
      + "Content-Type: text/plain; charset=utf-8\n"
      + "\n"
      + "Stri\u00e7tly between us: the merger closes on Friday.\n";

  @TempDir
  Path home;

  Map<String, String> env = new HashMap<>();
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    env.put("MAILOPS_HOME", home.toString());
    env.put("HOME", home.toString());
    env.put("MAILOPS_ARCHIVE_PASSWORD", PASSWORD);
    // a cheap key derivation keeps the test fast; the archive records what init used
    config = home.resolve("test.yml");
    Files.writeString(config, "mailops:\n  archive:\n    kdf-memory-kib: 1024\n"
        + "    kdf-iterations: 1\n    smtp: 127.0.0.1:" + SMTP.getSmtp().getPort() + "\n");
  }

  CliResult run(String... args) {
    return CliResult.run(env, config, args);
  }

  CliResult ok(String... args) {
    CliResult r = run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
    return r;
  }

  Path mbox() throws Exception {
    Path f = home.resolve("journal.mbox");
    Files.writeString(f, "From boss@corp.example Tue Mar  3 10:00:00 2026\n" + BCC_MESSAGE,
        StandardCharsets.UTF_8);
    return f;
  }

  static List<JsonNode> lines(String out) {
    return out.lines().filter(l -> !l.isBlank()).map(l -> JSON.readTree(l)).toList();
  }

  static int number(String out, String label) {
    Matcher m = Pattern.compile("(\\d+) " + label).matcher(out);
    assertThat(m.find()).as(label + " in " + out).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void aWeakPasswordIsRefusedAndNothingIsCreated() {
    env.put("MAILOPS_ARCHIVE_PASSWORD", "short1");
    CliResult r = run("archive", "init");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("12");
    assertThat(home.resolve("archive/archive.json")).doesNotExist();
  }

  @Test
  void aWrongPasswordIsOneLineAndExitOne() {
    ok("archive", "init");
    env.put("MAILOPS_ARCHIVE_PASSWORD", "Another-Passw0rd");
    CliResult r = run("archive", "search", "--where", "subject:contains:x");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("wrong archive password");
  }

  /** {@code show --raw} prints the original bytes, here 8-bit Latin-1 that is not UTF-8. */
  @Test
  void showRawPrintsTheOriginalBytesWhateverTheirEncoding() throws Exception {
    byte[] latin1 = ("From: Ren\u00e9 <rene@corp.example>\r\nTo: team@corp.example\r\n"
        + "Subject: Caf\u00e9\r\nMessage-ID: <latin-1@corp.example>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=iso-8859-1\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n\r\nD\u00e9j\u00e0 vu, \u00e7a.\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    Path eml = Files.createDirectories(home.resolve("eml"));
    Files.write(eml.resolve("latin-1.eml"), latin1);
    ok("archive", "init");
    ok("archive", "ingest", "--from", "eml:" + eml);
    String id = lines(ok("archive", "search", "--where", "from:is:rene@corp.example", "--json")
        .out()).get(0).get("id").asString();

    assertThat(ok("archive", "show", id, "--raw").outBytes()).isEqualTo(latin1);
  }

  @Test
  void ingestSearchShowExportResendSealRestoreAndVerify() throws Exception {
    ok("storage", "sample", "--domains", "1", "--accounts", "2", "--messages", "15");
    ok("archive", "init");
    String sample = "maildir:" + home.resolve("sample");
    CliResult first = ok("archive", "ingest", "--from", sample);
    int stored = number(first.out(), "stored");
    assertThat(stored).isGreaterThan(20);
    CliResult again = ok("archive", "ingest", "--from", sample);
    assertThat(number(again.out(), "stored")).isZero();
    assertThat(number(again.out(), "already archived")).isEqualTo(stored);
    ok("archive", "ingest", "--from", "mbox:" + mbox());

    // search: JSON Lines with the contract's keys
    CliResult bcc = ok("archive", "search", "--where", "subject:contains:merger", "--json");
    List<JsonNode> hits = lines(bcc.out());
    assertThat(hits).hasSize(1);
    JsonNode hit = hits.get(0);
    assertThat(hit.propertyNames()).contains("id", "message_id", "date", "from", "to", "cc",
        "subject", "size");
    assertThat(hit.get("message_id").asString()).isEqualTo("merger-1@corp.example");
    assertThat(hit.get("size").asLong()).isEqualTo(BCC_MESSAGE.getBytes(StandardCharsets.UTF_8).length);
    String id = hit.get("id").asString();

    // five criteria, all vs any
    String[] five = {"--where", "subject:contains:merger", "--where", "from:is:boss@corp.example",
        "--where", "to:contains:corp.example", "--where", "date:after:2026-03-01",
        "--where", "size:smaller:1M"};
    assertThat(lines(ok(concat(new String[] {"archive", "search", "--json"}, five)).out()))
        .hasSize(1);
    String[] anyOf = {"archive", "search", "--json", "--match", "any", "--where",
        "subject:contains:merger", "--where", "from:contains:example.com", "--limit", "1000"};
    assertThat(lines(ok(anyOf).out()).size()).isGreaterThan(1);
    assertThat(run("archive", "search", "--where", "a:b:c", "--where", "b:c:d", "--where",
        "c:d:e", "--where", "d:e:f", "--where", "e:f:g", "--where", "f:g:h").code()).isEqualTo(2);

    // user scope: the Bcc-only recipient finds it, someone else does not and cannot open it
    assertThat(lines(ok("archive", "search", "--as", "secret@corp.example", "--where",
        "subject:contains:merger", "--json").out())).hasSize(1);
    assertThat(lines(ok("archive", "search", "--as", "nosy@corp.example", "--where",
        "subject:contains:merger", "--json").out())).isEmpty();
    CliResult denied = run("archive", "show", id, "--as", "nosy@corp.example");
    assertThat(denied.code()).isEqualTo(1);
    assertThat(denied.err()).contains("no message " + id + " for nosy@corp.example");

    // show: headers and body
    CliResult show = ok("archive", "show", id);
    assertThat(show.out()).contains("Subject: Confidential merger plan")
        .contains("From: boss@corp.example").contains("the merger closes on Friday");
    assertThat(ok("archive", "show", id, "--headers").out())
        .contains("Delivered-To: secret@corp.example");

    // export: exact bytes, eml and mbox
    Path eml = home.resolve("export");
    ok("archive", "export", id, "--format", "eml", "--out", eml.toString());
    assertThat(Files.readAllBytes(eml.resolve(id + ".eml")))
        .isEqualTo(BCC_MESSAGE.getBytes(StandardCharsets.UTF_8));
    Path mboxOut = home.resolve("out/found.mbox");
    ok("archive", "export", "--where", "from:contains:example.com", "--format", "mbox", "--out",
        mboxOut.toString());
    long froms = Files.readAllLines(mboxOut, StandardCharsets.ISO_8859_1).stream()
        .filter(l -> l.startsWith("From ")).count();
    assertThat(froms).isGreaterThan(0);

    // resend: the original message, Message-ID unchanged, to the given address
    ok("archive", "resend", id, "--to", "auditor@corp.example");
    assertThat(SMTP.waitForIncomingEmail(5000, 1)).isTrue();
    MimeMessage got = SMTP.getReceivedMessages()[0];
    assertThat(got.getMessageID()).isEqualTo("<merger-1@corp.example>");
    // delivered to the envelope recipient; the headers still name the original ones
    var auditor = SMTP.getUserManager().getUserByEmail("auditor@corp.example");
    assertThat(auditor).isNotNull();
    assertThat(SMTP.getManagers().getImapHostManager().getInbox(auditor).getMessageCount())
        .isEqualTo(1);
    assertThat(got.getAllRecipients()[0].toString()).isEqualTo("team@corp.example");
    assertThat(GreenMailUtil.getBody(got)).contains("merger closes on Friday");

    // audit log: who did what
    List<String> audit = Files.readAllLines(home.resolve("archive/audit.log"));
    assertThat(String.join("\n", audit)).contains("\"action\":\"search\"")
        .contains("\"action\":\"show\"").contains("\"action\":\"export\"")
        .contains("\"action\":\"resend\"").contains("\"actor\":\"secret@corp.example\"")
        .contains("\"actor\":\"admin\"");

    // seal: the current database empties, the volume restores with the same hits
    List<String> before = ids(ok(anyOf).out());
    CliResult seal = ok("archive", "seal");
    Matcher vm = Pattern.compile("Sealed volume (\\S+):").matcher(seal.out());
    assertThat(vm.find()).as(seal.out()).isTrue();
    String volume = vm.group(1);
    assertThat(lines(ok(anyOf).out())).isEmpty();
    assertThat(ok("archive", "volumes").out()).contains(volume).contains("intact");
    ok("archive", "restore-volume", volume);
    String[] anyOfSearch = concat(anyOf, new String[] {"--db", "search"});
    assertThat(ids(ok(anyOfSearch).out())).containsExactlyInAnyOrderElementsOf(before);
    assertThat(ok("archive", "verify", "--deep").out()).contains("Intact");

    // one flipped byte in the volume file is named
    Path file;
    try (Stream<Path> s = Files.list(home.resolve("archive/volumes"))) {
      file = s.filter(p -> p.getFileName().toString().contains(volume)).findFirst().orElseThrow();
    }
    flip(file, Files.size(file) / 2);
    CliResult broken = run("archive", "verify");
    assertThat(broken.code()).as(broken.out() + broken.err()).isEqualTo(1);
    assertThat(broken.out()).contains("NOT INTACT").contains(volume);
  }

  static List<String> ids(String out) {
    return lines(out).stream().map(n -> n.get("id").asString()).toList();
  }

  static String[] concat(String[] a, String[] b) {
    String[] r = new String[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  static void flip(Path file, long offset) throws Exception {
    try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x01));
      b.rewind();
      ch.write(b, offset);
    }
  }
}
