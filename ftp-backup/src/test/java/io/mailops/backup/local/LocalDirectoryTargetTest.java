package io.mailops.backup.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.backup.BackupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryTargetTest {

  @TempDir Path tmp;

  @Test
  void deleteShouldRemoveFilesAndTreesIncludingPartFilesAndIgnoreAbsentNames() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("backups"));
    Files.createDirectories(root.resolve("set-1/example.com/alice/INBOX"));
    Files.createDirectories(root.resolve("set-1/empty"));
    Files.writeString(root.resolve("set-1/manifest.json"), "{}");
    Files.writeString(root.resolve("set-1/example.com/alice/INBOX/messages.tar.zst.part"), "x");
    Files.createDirectories(root.resolve("set-2"));
    Files.writeString(root.resolve("set-2/manifest.json"), "{}");
    LocalDirectoryTarget t = new LocalDirectoryTarget(root);

    t.delete("set-2/manifest.json");
    t.delete("set-1");
    t.delete("set-3");
    t.delete("set-3/deeper/file");

    assertThat(t.list("")).containsExactly("set-2");
    assertThat(root.resolve("set-2")).isEmptyDirectory();
  }

  @Test
  void deleteShouldRemoveSymbolicLinksWithoutFollowingThem() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("precious"), "keep me");
    Path root = Files.createDirectories(tmp.resolve("backups"));
    Files.createDirectories(root.resolve("set-1"));
    Files.createSymbolicLink(root.resolve("set-1/link-dir"), outside);
    Files.createSymbolicLink(root.resolve("set-1/link-file"), outside.resolve("precious"));
    Files.createSymbolicLink(root.resolve("set-2"), outside);
    LocalDirectoryTarget t = new LocalDirectoryTarget(root);

    t.delete("set-1");
    t.delete("set-2");

    assertThat(root).isEmptyDirectory();
    assertThat(outside.resolve("precious")).hasContent("keep me");
  }

  @Test
  void deleteThroughASymbolicLinkBelowTheRootShouldBeRefused() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("precious"), "keep me");
    Path root = Files.createDirectories(tmp.resolve("backups"));
    Files.createSymbolicLink(root.resolve("set-1"), outside);
    LocalDirectoryTarget t = new LocalDirectoryTarget(root);

    assertThatThrownBy(() -> t.delete("set-1/precious")).isInstanceOf(BackupException.class)
        .hasMessageContaining("symbolic link").hasMessageContaining("set-1");
    assertThatThrownBy(() -> t.delete("../outside")).isInstanceOf(IOException.class)
        .hasMessageContaining("unsafe name");
    assertThat(outside.resolve("precious")).hasContent("keep me");
  }
}
