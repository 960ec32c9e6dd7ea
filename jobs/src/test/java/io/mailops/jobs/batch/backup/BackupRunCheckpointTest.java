package io.mailops.jobs.batch.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.backup.BackupException;
import io.mailops.backup.BackupProgress;
import io.mailops.backup.FolderEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup checkpoint journal: one line per finished folder, a torn last line left out. */
class BackupRunCheckpointTest {

  private static final String SET = "20261122T040000Z-full-all";

  @TempDir
  Path dir;

  private static FolderEntry folder(String name) {
    return new FolderEntry("alice@example.com", name, "example.com/alice/." + name, 120,
        "a".repeat(64), 0, "", 3, 3);
  }

  @Test
  void appendedFoldersAreReadBackInOrder() throws Exception {
    Path f = dir.resolve("backup-x" + BackupRun.CHECKPOINT);
    BackupRun.save(f, new BackupProgress(SET, List.of()));
    BackupRun.append(f, folder("A"));
    BackupRun.append(f, folder("B"));

    BackupProgress p = BackupRun.read(f);

    assertThat(p.set()).isEqualTo(SET);
    assertThat(p.completed()).containsExactly(folder("A"), folder("B"));
    assertThat(Files.readAllLines(f)).hasSize(3);
  }

  @Test
  void aLineTornByAKillIsLeftOutAndTheNextSaveDropsIt() throws Exception {
    Path f = dir.resolve("backup-x" + BackupRun.CHECKPOINT);
    BackupRun.save(f, new BackupProgress(SET, List.of(folder("A"))));
    String torn = new String(io.mailops.backup.ManifestCodec.write(folder("B")),
        StandardCharsets.UTF_8);
    Files.writeString(f, torn.substring(0, torn.length() / 2), StandardOpenOption.APPEND);

    BackupProgress p = BackupRun.read(f);
    assertThat(p.completed()).containsExactly(folder("A"));

    // the resumed run starts its checkpoint from what was read: whole lines only
    BackupRun.save(f, p);
    BackupRun.append(f, folder("C"));
    assertThat(BackupRun.read(f).completed()).containsExactly(folder("A"), folder("C"));
  }

  @Test
  void aCheckpointWithoutItsSetLineNamesTheFile() throws Exception {
    Path f = dir.resolve("backup-x" + BackupRun.CHECKPOINT);
    Files.writeString(f, "{\"set\":\"" + SET);

    assertThatThrownBy(() -> BackupRun.read(f)).isInstanceOf(BackupException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("remove it");
  }
}
