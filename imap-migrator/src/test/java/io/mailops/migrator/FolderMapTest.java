package io.mailops.migrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.model.FolderPath;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FolderMapTest {

  private static final List<FolderPath> EMPTY_TARGET = List.of();

  private static Optional<String> target(FolderMap map, String source, String... targetFolders) {
    return target(map, source, true, targetFolders);
  }

  private static Optional<String> target(FolderMap map, String source, boolean subscribed,
      String... targetFolders) {
    List<FolderPath> targets = Arrays.stream(targetFolders).map(FolderPath::of).toList();
    return map.targetFolder(new SourceFolder(FolderPath.of(source), subscribed), targets)
        .map(FolderPath::toString);
  }

  @Test
  void identityShouldKeepEveryPath() {
    SourceFolder f = new SourceFolder(FolderPath.of("INBOX/Sent"), false);
    assertThat(FolderNamer.IDENTITY.targetFolder(f, EMPTY_TARGET)).contains(f.path());
  }

  @Test
  void withoutRulesFoldersShouldKeepTheirPath() {
    FolderMap map = FolderMap.builder().specialUse(false).stripInboxPrefix(false).build();

    assertThat(target(map, "INBOX")).contains("INBOX");
    assertThat(target(map, "Projekte/Übersicht")).contains("Projekte/Übersicht");
    assertThat(target(map, "INBOX/Sent")).contains("INBOX/Sent");
    assertThat(target(map, "Sent Items")).contains("Sent Items");
    assertThat(map.warnings()).isEmpty();
  }

  @Test
  void excludeShouldMatchTheWholePath() {
    FolderMap map = FolderMap.builder().exclude("Trash").exclude("Archive/20(0|1)\\d").build();

    assertThat(target(map, "Trash")).isEmpty();
    assertThat(target(map, "Trash/Old")).as("whole-path match only").contains("Trash/Old");
    assertThat(target(map, "Archive/2015")).isEmpty();
    assertThat(target(map, "Archive/2024")).contains("Archive/2024");
    assertThat(target(map, "INBOX")).contains("INBOX");
  }

  @Test
  void includeShouldLeaveOutEverythingElseAndExcludeShouldWinOverIt() {
    FolderMap map = FolderMap.builder().include("INBOX").include("Projekte(/.*)?")
        .exclude("Projekte/Alt").build();

    assertThat(target(map, "INBOX")).contains("INBOX");
    assertThat(target(map, "Projekte")).contains("Projekte");
    assertThat(target(map, "Projekte/Neu")).contains("Projekte/Neu");
    assertThat(target(map, "Projekte/Alt")).isEmpty();
    assertThat(target(map, "Sent")).isEmpty();
  }

  @Test
  void includeAndExcludeShouldSeeTheSourcePathWithItsInboxPrefix() {
    FolderMap map = FolderMap.builder().exclude("INBOX/Spam").build();

    assertThat(target(map, "INBOX/Spam")).isEmpty();
    assertThat(target(map, "Spam")).contains("Junk");
  }

  @Test
  void subscribedOnlyShouldLeaveOutUnsubscribedFoldersButNotInbox() {
    FolderMap map = FolderMap.builder().subscribedOnly(true).build();

    assertThat(target(map, "Old", false)).isEmpty();
    assertThat(target(map, "Old", true)).contains("Old");
    assertThat(target(map, "INBOX", false)).contains("INBOX");
    assertThat(target(FolderMap.builder().build(), "Old", false)).contains("Old");
  }

  @Test
  void exactMapRulesShouldRenameFoldersAndTheFirstMatchShouldWin() {
    FolderMap map = FolderMap.builder().map("Old Name=New/Name").map("Old Name=Other")
        .map("a\\=b=c").build();

    assertThat(target(map, "Old Name")).contains("New/Name");
    assertThat(target(map, "a=b")).contains("c");
    assertThat(target(map, "Old Name/Sub")).as("exact rules are exact").contains("Old Name/Sub");
  }

  @Test
  void regexMapRulesShouldReplaceGroupsAndComeAfterExactRules() {
    FolderMap map = FolderMap.builder()
        .map("re:^Old/(.*)$=Archive/$1")
        .map("re:Old/(.*)=Elsewhere/$1")
        .map("Old/Keep=Kept")
        .build();

    assertThat(target(map, "Old/2019/Q1")).contains("Archive/2019/Q1");
    assertThat(target(map, "Old/Keep")).as("exact before regex").contains("Kept");
    assertThat(target(map, "Older/x")).contains("Older/x");
  }

  @Test
  void mapRulesShouldWinOverSpecialUseAndInboxStripping() {
    FolderMap map = FolderMap.builder().map("Sent Items=Gesendet").map("re:INBOX/(.*)=Alt/$1")
        .build();

    assertThat(target(map, "Sent Items", "Sent")).contains("Gesendet");
    assertThat(target(map, "INBOX/Projekte")).contains("Alt/Projekte");
  }

  @Test
  void mapRulesShouldAlsoMatchThePathWithoutTheInboxPrefix() {
    FolderMap map = FolderMap.builder().map("Projekte=Work").map("re:Kunden/(.*)=Clients/$1")
        .build();

    assertThat(target(map, "INBOX/Projekte")).contains("Work");
    assertThat(target(map, "INBOX/Kunden/ACME")).contains("Clients/ACME");
    FolderMap keep = FolderMap.builder().stripInboxPrefix(false).map("Projekte=Work").build();
    assertThat(target(keep, "INBOX/Projekte")).contains("INBOX/Projekte");
  }

  @Test
  void excludeShouldWinOverMapRules() {
    FolderMap map = FolderMap.builder().exclude("Old").map("Old=New").build();

    assertThat(target(map, "Old")).isEmpty();
  }

  @Test
  void sentFoldersShouldGoToTheTargetsExistingSentFolderElseSent() {
    FolderMap map = FolderMap.builder().build();

    for (String name : List.of("Sent", "Sent Items", "sent messages", "Sent Mail",
        "Gesendete Objekte", "GESENDET", "INBOX/Sent Items", "inbox/Gesendet")) {
      assertThat(target(map, name)).as(name).contains("Sent");
      assertThat(target(map, name, "INBOX", "Gesendete Objekte")).as(name)
          .contains("Gesendete Objekte");
    }
  }

  @Test
  void everyKindOfSpecialUseFolderShouldBeMapped() {
    FolderMap map = FolderMap.builder().build();

    assertThat(target(map, "Draft")).contains("Drafts");
    assertThat(target(map, "Entwürfe")).contains("Drafts");
    assertThat(target(map, "Deleted Items")).contains("Trash");
    assertThat(target(map, "Deleted Messages")).contains("Trash");
    assertThat(target(map, "Papierkorb")).contains("Trash");
    assertThat(target(map, "Bin")).contains("Trash");
    assertThat(target(map, "Spam")).contains("Junk");
    assertThat(target(map, "Junk E-mail")).contains("Junk");
    assertThat(target(map, "Bulk Mail")).contains("Junk");
    assertThat(target(map, "Archives")).contains("Archive");
    assertThat(target(map, "Archiv", "Archives")).contains("Archives");
    assertThat(target(map, "Trash", "Deleted Items")).contains("Deleted Items");
    assertThat(target(map, "Spam", "Junk E-mail")).contains("Junk E-mail");
    assertThat(target(map, "Drafts", "Entwürfe")).contains("Entwürfe");
  }

  @Test
  void specialUseShouldPreferTheFirstStandardNameAndTopLevelFolders() {
    FolderMap map = FolderMap.builder().build();

    assertThat(target(map, "Sent Mail", "Sent Items", "Sent")).contains("Sent");
    assertThat(target(map, "Sent Mail", "INBOX/Sent", "Sent")).contains("Sent");
    assertThat(target(map, "Sent Mail", "INBOX/Sent Items")).contains("INBOX/Sent Items");
  }

  @Test
  void specialUseShouldOnlyMatchWholeNamesAtTheTopOrUnderInbox() {
    FolderMap map = FolderMap.builder().build();

    assertThat(target(map, "Projekte/Sent Items")).contains("Projekte/Sent Items");
    assertThat(target(map, "Sentinel")).contains("Sentinel");
    assertThat(target(map, "Deleted Items/2019")).as("sub-folders follow")
        .contains("Trash/2019");
  }

  private static Optional<String> target(FolderMap map, String source, Map<String, String> uses,
      String... targetFolders) {
    Map<FolderPath, String> src = new HashMap<>();
    Map<FolderPath, String> dst = new HashMap<>();
    uses.forEach((k, v) -> (k.startsWith("target:") ? dst : src)
        .put(FolderPath.of(k.replaceFirst("^(source|target):", "")), v));
    List<FolderPath> targets = Arrays.stream(targetFolders).map(FolderPath::of).toList();
    return map.targetFolder(new SourceFolder(FolderPath.of(source), true), targets,
        new SpecialUses(src, dst)).map(FolderPath::toString);
  }

  @Test
  void aFolderTheSourceMarksShouldGoToTheTargetsFolderOfThatAttributeWhateverTheNames() {
    FolderMap map = FolderMap.builder().build();
    Map<String, String> gmail = Map.of("source:[Gmail]/Sent Mail", "\\Sent",
        "source:[Gmail]/Trash", "\\Trash", "target:Gesendete Elemente", "\\Sent");

    // Gmail's folders under [Gmail] by their attributes (no name rule would see them there)
    assertThat(target(map, "[Gmail]/Sent Mail", gmail, "INBOX", "Gesendete Elemente", "Sent"))
        .contains("Gesendete Elemente");
    assertThat(target(map, "[Gmail]/Sent Mail/2019", gmail, "Gesendete Elemente"))
        .contains("Gesendete Elemente/2019");
    assertThat(target(map, "[Gmail]/Trash", gmail, "Gesendete Elemente")).contains("Trash");
    assertThat(target(map, "[Gmail]/Trash", gmail, "Deleted Items")).contains("Deleted Items");
    // unmarked folders keep the name rule, and a target's marked folder comes first
    assertThat(target(map, "Sent Items", gmail, "Sent", "Gesendete Elemente"))
        .contains("Gesendete Elemente");
    assertThat(target(map, "[Gmail]/Wichtig", gmail, "Sent")).contains("[Gmail]/Wichtig");
    // a marked folder of a kind the rules do not map (\All) keeps its path
    assertThat(target(map, "[Gmail]/All Mail", Map.of("source:[Gmail]/All Mail", "\\All")))
        .contains("[Gmail]/All Mail");
    // a marked folder under INBOX stays there when the INBOX prefix is kept
    Map<String, String> courier = Map.of("source:INBOX/Gesendete Elemente", "\\Sent");
    assertThat(target(FolderMap.builder().stripInboxPrefix(false).build(),
        "INBOX/Gesendete Elemente", courier)).contains("INBOX/Sent");
    assertThat(target(map, "INBOX/Gesendete Elemente", courier)).contains("Sent");
    // switched off, the attributes are not used either
    assertThat(target(FolderMap.builder().specialUse(false).build(), "[Gmail]/Sent Mail", gmail,
        "Gesendete Elemente")).contains("[Gmail]/Sent Mail");
  }

  @Test
  void specialUseShouldBeSwitchable() {
    FolderMap map = FolderMap.builder().specialUse(false).build();

    assertThat(target(map, "Sent Items", "Sent")).contains("Sent Items");
    assertThat(target(map, "INBOX/Deleted Items")).contains("Deleted Items");
  }

  @Test
  void withoutInboxStrippingSpecialUseShouldStayUnderInbox() {
    FolderMap map = FolderMap.builder().stripInboxPrefix(false).build();

    assertThat(target(map, "INBOX/Sent Items")).contains("INBOX/Sent");
    assertThat(target(map, "INBOX/Sent Items", "INBOX/Gesendet")).contains("INBOX/Gesendet");
    assertThat(target(map, "Sent Items")).contains("Sent");
  }

  @Test
  void inboxPrefixShouldBeStrippedByDefaultAndKeptWhenOff() {
    FolderMap strip = FolderMap.builder().build();
    FolderMap keep = FolderMap.builder().stripInboxPrefix(false).build();

    assertThat(target(strip, "INBOX/Projekte/X")).contains("Projekte/X");
    assertThat(target(strip, "inbox/Projekte")).contains("Projekte");
    assertThat(target(strip, "INBOX")).contains("INBOX");
    assertThat(target(keep, "INBOX/Projekte/X")).contains("INBOX/Projekte/X");
    assertThat(target(keep, "inbox/Projekte")).contains("INBOX/Projekte");
  }

  @Test
  void twoSourceFoldersOnOneTargetShouldBeAllowedAndWarned() {
    FolderMap map = FolderMap.builder().build();
    List<SourceFolder> sources = List.of(
        new SourceFolder(FolderPath.INBOX, true),
        new SourceFolder(FolderPath.of("Sent"), true),
        new SourceFolder(FolderPath.of("INBOX/Sent Items"), true),
        new SourceFolder(FolderPath.of("Projekte"), true),
        new SourceFolder(FolderPath.of("INBOX/Projekte"), true));

    var plan = map.plan(sources, List.of(FolderPath.INBOX));
    plan = map.plan(sources, List.of(FolderPath.INBOX));

    assertThat(plan).containsEntry(FolderPath.of("Sent"), FolderPath.of("Sent"))
        .containsEntry(FolderPath.of("INBOX/Sent Items"), FolderPath.of("Sent"))
        .containsEntry(FolderPath.of("INBOX/Projekte"), FolderPath.of("Projekte"))
        .hasSize(5);
    assertThat(map.warnings()).as("each collision once, also when asked again").containsExactly(
        "source folders 'Sent' and 'INBOX/Sent Items' both go to target folder 'Sent';"
            + " their mail is merged",
        "source folders 'Projekte' and 'INBOX/Projekte' both go to target folder 'Projekte';"
            + " their mail is merged");
  }

  @Test
  void aRegexRuleMakingNoValidNameShouldFallBackWithAWarning() {
    FolderMap map = FolderMap.builder().map("re:(.*)/x=$1//y").build();

    assertThat(target(map, "a/x")).contains("a/x");
    assertThat(map.warnings()).singleElement().asString()
        .contains("--map 're:(.*)/x=$1//y'", "'a/x'");
  }

  @Test
  void badOptionsShouldFailNamingTheOption() {
    assertThatThrownBy(() -> FolderMap.builder().exclude("(")).isInstanceOf(
        IllegalArgumentException.class).hasMessageStartingWith("--exclude '(' is not a valid");
    assertThatThrownBy(() -> FolderMap.builder().include("[a")).hasMessageStartingWith(
        "--include '[a' is not a valid");
    assertThatThrownBy(() -> FolderMap.builder().map("Old")).hasMessageContaining(
        "--map 'Old' has no '='");
    assertThatThrownBy(() -> FolderMap.builder().map("Old=")).hasMessageContaining(
        "to leave a folder out use --exclude");
    assertThatThrownBy(() -> FolderMap.builder().map("Old=/x")).hasMessageContaining(
        "'/x' is not a folder name");
    assertThatThrownBy(() -> FolderMap.builder().map("re:Old/(.*)=New/$2")).hasMessageContaining(
        "uses $2 but the pattern has 1 group(s)");
    assertThatThrownBy(() -> FolderMap.builder().map("re:(=x")).hasMessageContaining(
        "--map '(' is not a valid regular expression");
  }
}
