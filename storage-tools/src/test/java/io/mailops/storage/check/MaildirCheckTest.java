package io.mailops.storage.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.check.Finding.Kind;
import io.mailops.storage.check.Finding.Remedy;
import io.mailops.storage.maildir.MaildirFixture;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of damage {@link MaildirCheck} reports, and the healthy Dovecot tree it leaves alone. */
class MaildirCheckTest {

  static final AccountId ALICE = AccountId.of("alice@example.com");
  static final Instant DATE = Instant.parse("2024-05-01T10:00:00Z");
  static final String MSG = "From: bob@example.org\nSubject: hi\n\nbody\n";

  @TempDir
  Path root;

  MaildirFixture alice;
  MaildirStore store;

  @BeforeEach
  void setUp() {
    alice = MaildirFixture.account(root, "example.com", "alice");
    store = new MaildirStore(root, MaildirLayout.standard(), MaildirStore.Settings.defaults());
  }

  /** A Dovecot-style name with the right {@code S=} for {@code content}. */
  static String name(String unique, String content, String info) {
    return unique + ",S=" + content.getBytes(StandardCharsets.UTF_8).length + info;
  }

  List<Finding> check(Clock clock) throws Exception {
    return new MaildirCheck(store, clock).check(ALICE);
  }

  List<Finding> check() throws Exception {
    return check(Clock.systemUTC());
  }

  static Clock inHours(long hours) {
    return Clock.fixed(Instant.now().plus(Duration.ofHours(hours)), ZoneOffset.UTC);
  }

  @Test
  void healthyDovecotMaildirHasNoFindings() throws Exception {
    // as dovecot 2.3 leaves it: flagged messages may stay in new/, uidlist names may be stale
    alice.message("", "new", name("1795310943.M243798P4832.vm", MSG, ",W=44:2,RS"), MSG, DATE);
    alice.message("", "new", name("1795310943.M320110P4838.vm", MSG, ""), MSG, DATE);
    alice.message("", "cur", name("1795310943.M290721P4836.vm", MSG, ":2,S"), MSG, DATE);
    alice.message("", "cur", ".hidden-by-spec", "", DATE);
    alice.control("", "dovecot-uidlist", "3 V1795310945 N4\n"
        + "1 :" + name("1795310943.M243798P4832.vm", MSG, ",W=44") + "\n"
        + "2 :" + name("1795310943.M290721P4836.vm", MSG, "") + "\n"
        + "3 :" + name("1795310943.M320110P4838.vm", MSG, "") + "\n");
    alice.control("", "maildirsize", "10485760S,1000C\n120 3\n");
    alice.folder("Projekte.&ANw-bersicht");
    Files.writeString(alice.maildir().resolve("tmp/1795310999.M1P1.vm"), "being delivered");

    assertThat(check()).isEmpty();
  }

  @Test
  void tmpFileUntouchedFor36HoursIsStaleAndAYoungerOneIsNot() throws Exception {
    Path tmp = alice.message("", "tmp", "1714557600.M1P2.vm", MSG, DATE);

    assertThat(check(inHours(35))).as("mtime is the old internal date, but ctime is now").isEmpty();
    List<Finding> later = check(inHours(37));
    assertThat(later).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.STALE_TMP);
      assertThat(f.path()).isEqualTo(tmp);
      assertThat(f.folder()).contains(FolderPath.INBOX);
      assertThat(f.remedy()).isEqualTo(Remedy.QUARANTINE);
      assertThat(f.detail()).contains("36 h");
    });
  }

  @Test
  void emptyMessageFileIsZeroLengthEvenWhenItsNameClaimsASize() throws Exception {
    Path empty = alice.message("", "cur", "1714557600.M1P2.vm,S=120:2,S", "", DATE);

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.ZERO_LENGTH);
      assertThat(f.path()).isEqualTo(empty);
    });
  }

  @Test
  void sizeInTheNameThatDiffersFromTheFileIsASizeMismatch() throws Exception {
    alice.folder("Sent");
    Path cut = alice.message("Sent", "cur", "1714557600.M1P2.vm,S=4096,W=4200:2,S", MSG, DATE);

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.SIZE_MISMATCH);
      assertThat(f.path()).isEqualTo(cut);
      assertThat(f.folder()).contains(FolderPath.of("Sent"));
      assertThat(f.detail()).contains("S=4096").contains(MSG.length() + " bytes");
    });
  }

  @Test
  void nameThatIsNoMaildirNameIsReportedAndDotFilesAreIgnored() throws Exception {
    Path bad = alice.message("", "cur", "1714557600.M1P2.vm:1,S", MSG, DATE);
    alice.message("", "new", ".nfs000123", MSG, DATE);

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.BAD_NAME);
      assertThat(f.path()).isEqualTo(bad);
      assertThat(f.remedy()).isEqualTo(Remedy.QUARANTINE);
      assertThat(f.detail()).contains("unknown info '1,S'");
    });
  }

  @Test
  void directoryInCurIsReportedButNotMoved() throws Exception {
    Path dir = Files.createDirectory(alice.maildir().resolve("cur/1714557600.M1P2.vm"));

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.BAD_NAME);
      assertThat(f.path()).isEqualTo(dir);
      assertThat(f.remedy()).isEqualTo(Remedy.NONE);
    });
  }

  @Test
  void sameBaseNameInNewAndCurIsFoundAndSaysWhetherTheBytesAreTheSame() throws Exception {
    String same = name("1714557600.M1P2.vm", MSG, "");
    Path sameNew = alice.message("", "new", same, MSG, DATE);
    alice.message("", "cur", same + ":2,S", MSG, DATE);
    String other = "From: x@example.org\nSubject: hi\n\nbody\n";
    String differ = name("1714557601.M1P3.vm", other, "");
    Path differNew = alice.message("", "new", differ, other, DATE);
    alice.message("", "cur", differ + ":2,", other.replace("x@", "y@"), DATE);

    List<Finding> found = check();
    assertThat(found).extracting(Finding::kind).containsOnly(Kind.NEW_AND_CUR);
    assertThat(found).extracting(Finding::path, Finding::remedy).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(sameNew, Remedy.QUARANTINE),
        org.assertj.core.groups.Tuple.tuple(differNew, Remedy.NONE));
    assertThat(found).filteredOn(f -> f.path().equals(differNew)).singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("bytes differ"));
  }

  @Test
  void uidlistEntryWhoseFileIsGoneIsReportedWithItsUid() throws Exception {
    String kept = name("1714557600.M1P2.vm", MSG, "");
    alice.message("", "cur", kept + ":2,S", MSG, DATE);
    alice.control("", "dovecot-uidlist", "3 V1714557000 N8\n1 :" + kept + "\n7 :1714557601.M1P3.vm,S=9:2,S\n");

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.UIDLIST_WITHOUT_FILE);
      assertThat(f.path()).isEqualTo(alice.maildir().resolve("dovecot-uidlist"));
      assertThat(f.detail()).contains("UID 7").contains("1714557601.M1P3.vm,S=9");
      assertThat(f.remedy()).isEqualTo(Remedy.NONE);
    });
  }

  @Test
  void brokenUidlistIsReportedAndNotRepaired() throws Exception {
    alice.control("", "dovecot-uidlist", "9 nonsense\n");

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.BROKEN_UIDLIST);
      assertThat(f.remedy()).isEqualTo(Remedy.NONE);
      assertThat(f.detail()).contains("unsupported version '9'");
    });
  }

  @Test
  void folderWithoutCurNewOrTmpIsReportedOncePerMissingDirectory() throws Exception {
    Path trash = alice.folder("Trash");
    Files.delete(trash.resolve("cur"));
    Files.delete(trash.resolve("tmp"));
    Files.delete(alice.maildir().resolve("new"));

    assertThat(check()).extracting(Finding::kind, Finding::path).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Kind.MISSING_SUBDIR, alice.maildir().resolve("new")),
        org.assertj.core.groups.Tuple.tuple(Kind.MISSING_SUBDIR, trash.resolve("cur")),
        org.assertj.core.groups.Tuple.tuple(Kind.MISSING_SUBDIR, trash.resolve("tmp")));
    assertThat(check()).allSatisfy(f -> assertThat(f.remedy()).isEqualTo(Remedy.CREATE_DIRECTORY));
  }

  @Test
  void fileWhereADirectoryShouldBeIsReportedForAPerson() throws Exception {
    Path trash = alice.folder("Trash");
    Files.delete(trash.resolve("tmp"));
    Files.writeString(trash.resolve("tmp"), "oops");

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.MISSING_SUBDIR);
      assertThat(f.remedy()).isEqualTo(Remedy.NONE);
      assertThat(f.detail()).contains("not a directory");
    });
  }

  @Test
  void folderNameThatIsNotModifiedUtf7IsReportedWithoutAFolder() throws Exception {
    alice.folder("Bad&Name");

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.BAD_FOLDER_NAME);
      assertThat(f.folder()).isEqualTo(Optional.empty());
      assertThat(f.path().toString()).endsWith(".Bad&Name");
    });
  }

  @Test
  void labelsAreTheCommandLineNames() {
    assertThat(Kind.NEW_AND_CUR.label()).isEqualTo("new-and-cur");
    assertThat(Kind.UIDLIST_WITHOUT_FILE.label()).isEqualTo("uidlist-without-file");
  }
}
