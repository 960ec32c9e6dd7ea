package io.mailops.storage.check;

import static io.mailops.storage.check.MaildirCheckTest.ALICE;
import static io.mailops.storage.check.MaildirCheckTest.DATE;
import static io.mailops.storage.check.MaildirCheckTest.MSG;
import static io.mailops.storage.check.MaildirCheckTest.inHours;
import static io.mailops.storage.check.MaildirCheckTest.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.check.Action.Outcome;
import io.mailops.storage.check.Finding.Kind;
import io.mailops.storage.maildir.MaildirFixture;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link MaildirRepair} does with each finding: quarantine, create, or leave alone. */
class MaildirRepairTest {

  static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

  @TempDir
  Path tmp;

  Path root;
  Path quarantineDir;
  MaildirFixture alice;
  MaildirStore store;
  Clock clock;

  @BeforeEach
  void setUp() {
    root = tmp.resolve("vmail");
    quarantineDir = tmp.resolve("home/quarantine");
    alice = MaildirFixture.account(root, "example.com", "alice");
    store = new MaildirStore(root, MaildirLayout.standard(), MaildirStore.Settings.defaults());
    clock = Clock.systemUTC();
  }

  List<Finding> check() throws Exception {
    return new MaildirCheck(store, clock).check(ALICE);
  }

  List<Action> repairAll() throws Exception {
    MaildirRepair repair = MaildirRepair.into(store, quarantineDir, clock);
    List<Action> out = new ArrayList<>();
    for (Finding f : check()) {
      out.add(repair.repair(f));
    }
    return out;
  }

  Path quarantined(String pathInMaildir) {
    return quarantineDir.resolve(MaildirRepair.STAMP.format(clock.instant()))
        .resolve("example.com/alice").resolve(pathInMaildir);
  }

  @Test
  void staleTmpFileMovesToQuarantineUnderTimestampDomainUserAndItsPathInTheMaildir() throws Exception {
    Path stale = alice.message("", "tmp", "1714557600.M1P2.vm", MSG, DATE);
    clock = Clock.fixed(inHours(37).instant(), ZoneOffset.UTC);

    List<Action> done = repairAll();

    Path target = quarantined("tmp/1714557600.M1P2.vm");
    assertThat(done).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(Outcome.QUARANTINED);
      assertThat(a.target()).contains(target);
      assertThat(a.detail()).contains(stale.toString()).contains(target.toString());
    });
    assertThat(stale).doesNotExist();
    assertThat(target).hasContent(MSG);
    assertThat(Files.getLastModifiedTime(target).toInstant()).isEqualTo(DATE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.getParent().getParent()
        .getParent().getParent()))).as("the quarantine of one run is private").isEqualTo("rwx------");
  }

  @Test
  void emptyMismatchedAndBadlyNamedFilesAreQuarantinedWithTheirFolderPath() throws Exception {
    alice.folder("Sent");
    alice.message("", "cur", "1714557600.M1P2.vm,S=120:2,S", "", DATE);
    alice.message("Sent", "cur", "1714557601.M1P2.vm,S=4096:2,S", MSG, DATE);
    alice.message("Sent", "new", "1714557602.M1P2.vm:1,x", MSG, DATE);

    List<Action> done = repairAll();

    assertThat(done).extracting(a -> a.finding().kind(), Action::outcome).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(Kind.ZERO_LENGTH, Outcome.QUARANTINED),
        org.assertj.core.groups.Tuple.tuple(Kind.SIZE_MISMATCH, Outcome.QUARANTINED),
        org.assertj.core.groups.Tuple.tuple(Kind.BAD_NAME, Outcome.QUARANTINED));
    assertThat(quarantined("cur/1714557600.M1P2.vm,S=120:2,S")).isEmptyFile();
    assertThat(quarantined(".Sent/cur/1714557601.M1P2.vm,S=4096:2,S")).hasContent(MSG);
    assertThat(quarantined(".Sent/new/1714557602.M1P2.vm:1,x")).hasContent(MSG);
    assertThat(alice.maildir().resolve(".Sent/cur")).isEmptyDirectory();
  }

  @Test
  void ofTheSameMessageInNewAndCurTheCurFileStaysAndTheNewOneIsQuarantined() throws Exception {
    String base = name("1714557600.M1P2.vm", MSG, "");
    alice.message("", "new", base, MSG, DATE);
    Path cur = alice.message("", "cur", base + ":2,S", MSG, DATE);

    assertThat(repairAll()).singleElement().extracting(Action::outcome).isEqualTo(Outcome.QUARANTINED);

    assertThat(cur).hasContent(MSG);
    assertThat(alice.maildir().resolve("new")).isEmptyDirectory();
    assertThat(quarantined("new/" + base)).hasContent(MSG);
  }

  @Test
  void whenNewAndCurDifferBothStayAndTheFindingRemains() throws Exception {
    String base = name("1714557600.M1P2.vm", MSG, "");
    Path nw = alice.message("", "new", base, MSG, DATE);
    Path cur = alice.message("", "cur", base + ":2,S", MSG.replace("hi", "ho"), DATE);

    assertThat(repairAll()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(Outcome.KEPT);
      assertThat(a.outcome().resolves()).isFalse();
    });
    assertThat(nw).hasContent(MSG);
    assertThat(cur).hasContent(MSG.replace("hi", "ho"));
    assertThat(check()).extracting(Finding::kind).containsExactly(Kind.NEW_AND_CUR);
  }

  @Test
  void uidlistIsNeverWrittenItsStaleEntriesAreLeftToDovecot() throws Exception {
    String uidlist = "3 V1714557000 N8\n7 :1714557601.M1P3.vm,S=9:2,S\n";
    Path file = alice.control("", "dovecot-uidlist", uidlist);
    Instant mtime = Files.getLastModifiedTime(file).toInstant();

    assertThat(repairAll()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(Outcome.KEPT);
      assertThat(a.detail()).contains("left to Dovecot");
    });
    assertThat(file).hasContent(uidlist);
    assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(mtime);
  }

  @Test
  void missingSubdirectoriesAreCreatedWithTheOwnerAndModeOfTheirFolder() throws Exception {
    Path sent = alice.folder("Sent");
    Files.setPosixFilePermissions(sent, PosixFilePermissions.fromString("rwxr-x---"));
    Files.delete(sent.resolve("cur"));
    Files.delete(sent.resolve("tmp"));

    List<Action> done = repairAll();

    assertThat(done).extracting(Action::outcome).containsExactly(Outcome.CREATED, Outcome.CREATED);
    for (String sub : new String[] {"cur", "tmp"}) {
      assertThat(sent.resolve(sub)).isDirectory();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sent.resolve(sub))))
          .isEqualTo("rwxr-x---");
      assertThat(Files.getAttribute(sent.resolve(sub), "unix:uid")).isEqualTo(Files.getAttribute(sent, "unix:uid"));
    }
    assertThat(done.get(0).detail()).contains("rwxr-x---");
  }

  @Test
  void checkingAgainAfterARepairFindsNothing() throws Exception {
    alice.folder("Sent");
    alice.message("", "tmp", "1714557600.M1P2.vm", MSG, DATE);
    alice.message("", "cur", "1714557601.M1P2.vm,S=120:2,S", "", DATE);
    alice.message("Sent", "cur", "1714557602.M1P2.vm,S=4096:2,S", MSG, DATE);
    alice.message("Sent", "cur", "garbage:xyz", MSG, DATE);
    String base = name("1714557603.M1P2.vm", MSG, "");
    alice.message("Sent", "new", base, MSG, DATE);
    alice.message("Sent", "cur", base + ":2,RS", MSG, DATE);
    Files.delete(alice.folder("Trash").resolve("new"));
    clock = Clock.fixed(inHours(40).instant(), ZoneOffset.UTC);
    assertThat(check()).hasSize(6);

    assertThat(repairAll()).allSatisfy(a -> assertThat(a.outcome().resolves()).as(a.detail()).isTrue());

    assertThat(check()).isEmpty();
    try (Stream<Path> files = Files.walk(quarantineDir)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(5);
    }
  }

  @Test
  void fileTheServerRenamedAfterTheCheckIsLeftAlone() throws Exception {
    Path empty = alice.message("", "new", "1714557600.M1P2.vm", "", DATE);
    List<Finding> found = check();
    Path renamed = alice.maildir().resolve("cur/1714557600.M1P2.vm:2,S");
    Files.move(empty, renamed);

    Action a = MaildirRepair.into(store, quarantineDir, clock).repair(found.get(0));

    assertThat(a.outcome()).isEqualTo(Outcome.GONE);
    assertThat(renamed).exists();
    assertThat(quarantineDir).doesNotExist();
  }

  @Test
  void fileThatIsNoLongerEmptyWhenRepairedStays() throws Exception {
    Path file = alice.message("", "cur", "1714557600.M1P2.vm:2,S", "", DATE);
    List<Finding> found = check();
    Files.writeString(file, MSG);

    Action a = MaildirRepair.into(store, quarantineDir, clock).repair(found.get(0));

    assertThat(a.outcome()).isEqualTo(Outcome.GONE);
    assertThat(file).hasContent(MSG);
  }

  @Test
  void anExistingQuarantineFileIsNeverOverwritten() throws Exception {
    alice.message("", "cur", "1714557600.M1P2.vm:2,S", "", DATE);
    clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Path target = quarantined("cur/1714557600.M1P2.vm:2,S");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "earlier");

    assertThat(repairAll()).singleElement().extracting(Action::outcome).isEqualTo(Outcome.FAILED);

    assertThat(target).hasContent("earlier");
    assertThat(alice.maildir().resolve("cur/1714557600.M1P2.vm:2,S")).exists();
  }

  @Test
  void quarantineInsideTheStoreIsRefusedAlsoThroughASymlink() throws Exception {
    assertThatThrownBy(() -> MaildirRepair.into(store, root.resolve("example.com/q"), clock))
        .isInstanceOf(MailStoreException.class)
        .hasMessageContaining("is inside the mail store").hasMessageContaining("--quarantine");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), root);
    assertThatThrownBy(() -> MaildirRepair.into(store, link.resolve("q"), clock))
        .isInstanceOf(MailStoreException.class);
    assertThat(MaildirRepair.into(store, quarantineDir, Clock.fixed(NOW, ZoneOffset.UTC)).quarantine())
        .isEqualTo(quarantineDir.resolve("20300102T030405Z"));
  }
}
