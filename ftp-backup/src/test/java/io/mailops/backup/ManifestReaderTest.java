package io.mailops.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streaming reader of the manifests (ADR 0037) makes the same records as databind with
 * Jackson 3's default rules, on manifests as the backup writes them and on the checked-in sets of
 * older mailops, and refuses what databind refuses.
 */
class ManifestReaderTest {

  static final JsonMapper DATABIND = JsonMapper.builder().build();
  static final String SET = "20261122T131722Z-full-all";
  static final String INC = "20261122T131800Z-incremental-all";
  static final String SHA = "0123456789abcdef".repeat(4);

  static <T> T both(byte[] json, Class<T> type) {
    T expected = DATABIND.readValue(json, type);
    T got = ManifestReader.read(json, type);
    assertThat(got).isEqualTo(expected);
    return got;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static MessageEntry message(String messageId, List<String> flags, List<String> keywords) {
    return new MessageEntry(SHA, 1234, "2026-11-22T13:17:22Z", flags, keywords, "cur", messageId,
        new Location(SET, "example.com/alice/INBOX/messages.tar.zst", "1.M1P1.host", 512, 1300));
  }

  @Test
  void shouldReadWhatTheBackupWritesAsDatabindDoes() {
    Encryption enc = new Encryption(Encryption.CIPHER, Encryption.SEGMENT_SIZE, Encryption.KDF,
        "c2FsdA==", 65536, 3, 1, "a2V5");
    FolderEntry plain = new FolderEntry("alice@example.com", "INBOX", "example.com/alice/INBOX",
        2048, SHA, 99999, SHA, 2, 2);
    FolderEntry ref = new FolderEntry("alice@example.com", "Sent", "example.com/alice/.Sent", 10,
        SHA, 0, "", 1, 0, SET, new FolderEntry.DeltaBase(SET, 300, SHA));
    SetManifest set = new SetManifest(SetManifest.FORMAT_DELTA, INC, "incremental", "all",
        "2026-11-22T13:18:00Z", SET, List.of(plain, ref), List.of("a: unreadable \"x\""), enc);
    assertThat(both(ManifestCodec.write(set), SetManifest.class)).isEqualTo(set);
    SetManifest noEnc = new SetManifest(SetManifest.FORMAT, SET, "full", "all",
        "2026-11-22T13:17:22Z", null, List.of(plain), List.of());
    assertThat(both(ManifestCodec.write(noEnc), SetManifest.class)).isEqualTo(noEnc);

    List<ControlFile> control = List.of(new ControlFile("dovecot-uidlist", 120, SHA),
        new ControlFile("dovecot-keywords", 7, SHA, SET, SHA));
    FolderManifest fm = new FolderManifest(INC, "alice@example.com", "INBOX", control, Map.of(
        "1.M1P1.host", message("<a@b>", List.of("\\Seen", "\\Flagged"), List.of("$Label1")),
        "2.M2P2.host", message(null, List.of(), List.of()),
        "3.M3P3.h\u00e9 \"q\"", message("<\u00fc@x>", List.of("\\Answered"), List.of())));
    assertThat(both(ManifestCodec.write(fm), FolderManifest.class)).isEqualTo(fm);
    FolderManifest now = new FolderManifest(INC, "alice@example.com", "INBOX", control, Map.of(
        "1.M1P1.host", message("<a@b>", List.of("\\Seen"), List.of()),
        "4.M4P4.host", message("<n@b>", List.of(), List.of())));
    FolderDelta delta = FolderDelta.between(fm, now);
    assertThat(both(ManifestCodec.write(delta), FolderDelta.class)).isEqualTo(delta);
  }

  @Test
  void shouldReadTheCheckedInSetsOfOlderMailopsAsDatabindDoes() throws IOException {
    Path root = Path.of("src/test/resources/old-sets/format3");
    int sets = 0;
    int folders = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.getFileName().toString().equals(BackupSets.MANIFEST)).toList()) {
        byte[] json = Files.readAllBytes(f);
        if (f.getParent().getParent().equals(root)) {
          both(json, SetManifest.class);
          sets++;
        } else {
          both(json, FolderManifest.class);
          folders++;
        }
      }
    }
    assertThat(sets).isEqualTo(2);
    assertThat(folders).isGreaterThan(10);
  }

  @Test
  void shouldFollowDatabindsDefaultsForUnknownMissingAndCoercedValues() {
    String loc = "\"location\":{\"set\":\"" + SET + "\",\"file\":\"f\",\"entry\":\"e\","
        + "\"offset\":\"5\",\"length\":7.0,\"future\":[1,{\"x\":2}]}";
    String doc = "{\"set\":\"" + SET + "\",\"account\":\"a@b\",\"folder\":\"INBOX\","
        + "\"unknown\":{\"a\":[null,true]},\"messages\":{\"1.M1P1.x\":{\"sha256\":\"" + SHA
        + "\",\"size\":1,\"internalDate\":\"2000-01-01T00:00:00Z\",\"state\":\"new\","
        + "\"messageId\":12," + loc + "}}}";
    FolderManifest fm = both(utf8(doc), FolderManifest.class);
    assertThat(fm.controlFiles()).isEmpty();
    assertThat(fm.messages().get("1.M1P1.x").messageId()).isEqualTo("12");
    assertThat(fm.messages().get("1.M1P1.x").location().offset()).isEqualTo(5);
    assertThat(fm.messages().get("1.M1P1.x").flags()).isEmpty();
  }

  @Test
  void shouldRefuseWhatDatabindRefusesAndNameTheFile() {
    String head = "{\"format\":1,\"set\":\"" + SET + "\",\"kind\":\"full\",\"scope\":\"all\","
        + "\"created\":\"x\",\"parent\":null,\"folders\":";
    List<String> bad = List.of(
        head + "[{\"account\":\"a@b\",\"folder\":\"INBOX\",\"dir\":\"d\",\"manifestSize\":null,"
            + "\"manifestSha256\":\"00\"}]}", // null for a number
        head + "[]} {}", // trailing content
        head + "{}}", // an object for a list
        head + "[{\"account\":\"a@b\",\"folder\":\"INBOX\"}]}", // the record's own check
        head + "[]", // cut off
        "{\"format\":9}", // unsupported format (the record's check)
        "[]");
    for (String json : bad) {
      assertThatThrownBy(() -> DATABIND.readValue(utf8(json), SetManifest.class))
          .as("databind on %s", json).isInstanceOf(RuntimeException.class);
      assertThatThrownBy(() -> ManifestCodec.read(utf8(json), SetManifest.class, "S/manifest.json"))
          .as("reader on %s", json).isInstanceOf(BackupException.class)
          .hasMessageStartingWith("manifest S/manifest.json is damaged (");
    }
    String nullFlag = "{\"set\":\"" + SET + "\",\"account\":\"a@b\",\"folder\":\"INBOX\","
        + "\"messages\":{\"1.M1P1.x\":{\"sha256\":\"" + SHA + "\",\"size\":1,\"internalDate\":\"d\","
        + "\"flags\":[null],\"state\":\"cur\",\"location\":{\"set\":\"s\",\"file\":\"f\","
        + "\"entry\":\"e\",\"offset\":0,\"length\":1}}}}";
    assertThatThrownBy(() -> ManifestCodec.read(utf8(nullFlag), FolderManifest.class, "F"))
        .isInstanceOf(BackupException.class).hasMessageStartingWith("manifest F is damaged (");
  }
}
