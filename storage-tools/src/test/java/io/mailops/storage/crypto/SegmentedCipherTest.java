package io.mailops.storage.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentedCipherTest {

  static final Argon2id.Params FAST = new Argon2id.Params(64, 1, 1);
  static final byte[] SALT = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final int SEG = 65536;
  static final SegmentedCipher KEY =
      new SegmentedCipher(Argon2id.derive("correct horse".toCharArray(), SALT, FAST), SEG);
  static final int OVERHEAD = SegmentedCipher.NONCE + SegmentedCipher.TAG;
  static final byte[] AAD = SegmentedCipher.aad("SET/example.com/alice/INBOX/messages.tar.zst", 0);

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static byte[] encrypt(byte[] plain, SegmentedCipher key, byte[] aad) throws IOException {
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream out = key.encrypt(stored, aad)) {
      // odd write sizes so segment boundaries fall inside writes
      for (int off = 0; off < plain.length; off += 1000) {
        out.write(plain, off, Math.min(1000, plain.length - off));
      }
    }
    return stored.toByteArray();
  }

  static byte[] decrypt(byte[] stored, SegmentedCipher key, byte[] aad) throws IOException {
    try (InputStream in = key.decrypt(new ByteArrayInputStream(stored), aad,
        "the-file")) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG, 3 * SEG - 7})
  void aRoundTripShouldGiveThePlaintextBackWithOneNonceAndTagPerSegment(int size)
      throws IOException {
    byte[] plain = random(size);

    byte[] stored = encrypt(plain, KEY, AAD);

    int segments = Math.max(1, (size + SEG - 1) / SEG);
    assertThat(stored).hasSize(size + segments * OVERHEAD);
    assertThat(decrypt(stored, KEY, AAD)).isEqualTo(plain);
    assertThat(KEY.open(KEY.seal(plain, AAD), AAD, "x"))
        .isEqualTo(plain);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, SEG, SEG + 1, 3 * SEG - 7})
  void sealAndOpenShouldReadAndWriteTheStreamLayout(int size) throws IOException {
    byte[] plain = random(size + 10);
    byte[] piece = Arrays.copyOfRange(plain, 5, 5 + size);

    byte[] sealed = KEY.seal(plain, 5, size, AAD);

    assertThat(sealed).hasSize((int) KEY.sealedLength(size));
    assertThat(decrypt(sealed, KEY, AAD)).isEqualTo(piece);
    assertThat(KEY.open(encrypt(piece, KEY, AAD), AAD, "x")).isEqualTo(piece);
    assertThat(KEY.open(KEY.seal(piece, AAD), AAD, "x")).isEqualTo(piece);
  }

  @Test
  void openShouldRefuseCutDamagedOrForeignBytes() throws IOException {
    byte[] stored = KEY.seal(random(2 * SEG + 3), AAD);
    int segment = SEG + OVERHEAD;
    byte[] flipped = stored.clone();
    flipped[segment + 40] ^= 1;

    byte[][] bad = {Arrays.copyOf(stored, segment), Arrays.copyOf(stored, 2 * segment),
        Arrays.copyOf(stored, stored.length - 1), Arrays.copyOf(stored, 2 * segment + 5), flipped,
        new byte[0]};
    for (byte[] b : bad) {
      assertThatThrownBy(() -> KEY.open(b, AAD, "the-blob"))
          .isInstanceOf(DecryptionException.class).hasMessageContaining("the-blob");
    }
    assertThatThrownBy(() -> KEY.open(stored, SegmentedCipher.aad("other"), "the-blob"))
        .isInstanceOf(DecryptionException.class).hasMessageContaining("segment 0");
  }

  @Test
  void threadsSealingAtOnceShouldEachGetTheirPlaintextBack() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 16; t++) {
        byte[] plain = random(1000 * t + SEG / 3);
        done.add(pool.submit(
            () -> Arrays.equals(KEY.open(KEY.seal(plain, AAD), AAD, "x"), plain)));
      }
      for (java.util.concurrent.Future<Boolean> f : done) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSingleByteWrittenAtATimeShouldGiveTheSameLayout() throws IOException {
    byte[] plain = random(SEG + 5);
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream out = KEY.encrypt(stored, AAD)) {
      for (byte b : plain) {
        out.write(b);
      }
    }
    assertThat(stored.size()).isEqualTo(plain.length + 2 * OVERHEAD);
    assertThat(decrypt(stored.toByteArray(), KEY, AAD)).isEqualTo(plain);
  }

  @Test
  void aFlippedByteShouldFailNamingTheFile() throws IOException {
    byte[] stored = encrypt(random(2 * SEG), KEY, AAD);
    stored[SEG + 100] ^= 1;

    assertThatThrownBy(() -> decrypt(stored, KEY, AAD)).isInstanceOf(DecryptionException.class)
        .hasMessageContaining("the-file").hasMessageContaining("damaged or the password is wrong");
  }

  @Test
  void aFileCutAtASegmentBoundaryOrInsideOneShouldFail() throws IOException {
    byte[] stored = encrypt(random(3 * SEG), KEY, AAD);
    int segment = SEG + OVERHEAD;

    assertThatThrownBy(() -> decrypt(Arrays.copyOf(stored, 2 * segment), KEY, AAD))
        .isInstanceOf(DecryptionException.class);
    assertThatThrownBy(() -> decrypt(Arrays.copyOf(stored, stored.length - 1), KEY, AAD))
        .isInstanceOf(DecryptionException.class);
    assertThatThrownBy(() -> decrypt(Arrays.copyOf(stored, 10), KEY, AAD))
        .isInstanceOf(DecryptionException.class).hasMessageContaining("ends inside segment 0");
    assertThatThrownBy(() -> decrypt(new byte[0], KEY, AAD)).isInstanceOf(DecryptionException.class);
  }

  @Test
  void swappedSegmentsShouldFail() throws IOException {
    byte[] stored = encrypt(random(3 * SEG), KEY, AAD);
    int segment = SEG + OVERHEAD;
    byte[] swapped = stored.clone();
    System.arraycopy(stored, 0, swapped, segment, segment);
    System.arraycopy(stored, segment, swapped, 0, segment);

    assertThatThrownBy(() -> decrypt(swapped, KEY, AAD)).isInstanceOf(DecryptionException.class)
        .hasMessageContaining("segment 0");
  }

  @Test
  void aSegmentSplicedFromAnotherFileShouldFail() throws IOException {
    byte[] a = encrypt(random(2 * SEG), KEY, AAD);
    byte[] b = encrypt(random(2 * SEG + 1), KEY, SegmentedCipher.aad("other", 0));
    byte[] spliced = a.clone();
    System.arraycopy(b, 0, spliced, 0, SEG + OVERHEAD);

    assertThatThrownBy(() -> decrypt(spliced, KEY, AAD)).isInstanceOf(DecryptionException.class);
  }

  @Test
  void aWrongAadOrKeyShouldFail() throws IOException {
    byte[] stored = encrypt(random(100), KEY, AAD);
    SegmentedCipher other =
        new SegmentedCipher(Argon2id.derive("battery staple".toCharArray(), SALT, FAST), SEG);

    assertThatThrownBy(() -> decrypt(stored, KEY,
        SegmentedCipher.aad("SET/example.com/alice/INBOX/messages.tar.zst", 4096)))
        .isInstanceOf(DecryptionException.class);
    assertThatThrownBy(() -> decrypt(stored, other, AAD)).isInstanceOf(DecryptionException.class);
  }

  @Test
  void argon2idShouldBeDeterministicPerPasswordAndSalt() {
    byte[] other = "fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    char[] pw = "correct horse".toCharArray();

    assertThat(Argon2id.derive(pw, SALT, FAST).getEncoded())
        .isEqualTo(Argon2id.derive(pw, SALT, FAST).getEncoded())
        .hasSize(32)
        .isNotEqualTo(Argon2id.derive(pw, other, FAST).getEncoded());
  }

  @Test
  void theDefaultParametersShouldBe64MibAnd3Iterations() {
    assertThat(Argon2id.Params.DEFAULT).isEqualTo(new Argon2id.Params(65536, 3, 1));
    assertThatThrownBy(() -> new Argon2id.Params(4, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSegmentSizeOutsideTheRangeShouldBeRefused() {
    assertThatThrownBy(() -> new SegmentedCipher(KEY_SECRET, 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100");
  }

  static final javax.crypto.SecretKey KEY_SECRET =
      Argon2id.derive("x".toCharArray(), SALT, FAST);
}
