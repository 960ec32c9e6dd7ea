package io.mailops.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.crypto.Argon2id;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

  @TempDir
  Path tmp;

  @Test
  void aBlobDirectoryRemovedDuringARunShouldBeMadeAgain() throws Exception {
    Keys keys = Keys.create("Blob-Store-Test-1".toCharArray(), new Argon2id.Params(64, 1, 1),
        65536).keys();
    Path blobs = tmp.resolve("blobs");
    Path temp = Files.createDirectories(tmp.resolve("tmp"));
    BlobStore store = new BlobStore(blobs, temp, keys.current(), keys);
    byte[] a = "first blob".getBytes(StandardCharsets.UTF_8);
    String id = keys.blobId(a);
    store.write(id, store.seal(id, a));
    assertThat(store.get(id)).isEqualTo(a);
    // the same XX directory is taken from the store's memory the second time; remove it first
    Files.delete(store.file(id));
    Files.delete(store.file(id).getParent());
    store.write(id, store.seal(id, a));
    assertThat(store.get(id)).isEqualTo(a);
    try (Stream<Path> s = Files.list(temp)) {
      assertThat(s.toList()).isEmpty();
    }
  }
}
