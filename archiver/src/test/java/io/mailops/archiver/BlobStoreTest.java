package io.mailops.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.mailops.storage.crypto.Argon2id;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
    try (ZstdCompressCtx compressor = BlobStore.compressor()) {
      store.write(id, store.seal(id, a, compressor));
      assertThat(store.get(id)).isEqualTo(a);
      // the same XX directory is taken from the store's memory the second time; remove it first
      Files.delete(store.file(id));
      Files.delete(store.file(id).getParent());
      store.write(id, store.seal(id, a, compressor));
      assertThat(store.get(id)).isEqualTo(a);
    }
    try (Stream<Path> s = Files.list(temp)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void aReusedCompressorShouldGiveTheFramesOfACompressionPerCall() {
    Random random = new Random(42);
    List<byte[]> inputs = new ArrayList<>();
    inputs.add(new byte[0]);
    inputs.add(new byte[] {7});
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      int size = switch (i % 4) {
        case 0 -> random.nextInt(200);
        case 1 -> random.nextInt(20_000);
        case 2 -> random.nextInt(300_000);
        default -> 1 + random.nextInt(3_000_000);
      };
      byte[] b = new byte[size];
      if (i % 3 == 0) {
        random.nextBytes(b);   // incompressible, as an encrypted or packed attachment
      } else {
        while (text.length() < size) {
          text.append("Line ").append(random.nextInt(1000)).append(" of a message body, ")
              .append(i % 2 == 0 ? "base64 " + Integer.toString(random.nextInt(), 36) : "text")
              .append("\r\n");
        }
        byte[] t = text.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, 0, size);
      }
      inputs.add(b);
    }
    // one context for inputs of every size in turn, as a worker uses it
    try (ZstdCompressCtx compressor = BlobStore.compressor()) {
      for (byte[] in : inputs) {
        byte[] reused = compressor.compress(in);
        assertThat(reused).isEqualTo(BlobStore.compress(in));
        assertThat(Zstd.decompress(reused, in.length)).isEqualTo(in);
      }
    }
  }

  @Test
  void aBlobShouldReplaceALeftoverTemporaryFileAndBeTheOwnersAlone() throws Exception {
    Keys keys = Keys.create("Blob-Store-Test-2".toCharArray(), new Argon2id.Params(64, 1, 1),
        65536).keys();
    Path temp = Files.createDirectories(tmp.resolve("tmp"));
    BlobStore store = new BlobStore(tmp.resolve("blobs"), temp, keys.current(), keys);
    byte[] a = "a blob whose temporary file a crash left behind".getBytes(StandardCharsets.UTF_8);
    String id = keys.blobId(a);
    byte[] leftover = new byte[100_000];
    Arrays.fill(leftover, (byte) 'x');
    Files.write(temp.resolve(id + ".tmp"), leftover);
    try (ZstdCompressCtx compressor = BlobStore.compressor()) {
      store.write(id, store.seal(id, a, compressor));
    }
    assertThat(store.get(id)).isEqualTo(a);
    assertThat(Files.size(store.file(id))).isLessThan(1000);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file(id))))
        .isEqualTo("rw-------");
    try (Stream<Path> s = Files.list(temp)) {
      assertThat(s.toList()).isEmpty();
    }
  }
}
