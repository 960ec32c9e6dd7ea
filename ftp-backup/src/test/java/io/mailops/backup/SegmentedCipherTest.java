package io.mailops.backup;

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

  static final Encryption.Params FAST = new Encryption.Params(64, 1, 1);
  static final SetKey KEY = SetKey.create("correct horse".toCharArray(), FAST);
  static final int SEG = Encryption.SEGMENT_SIZE;
  static final int OVERHEAD = SegmentedCipher.NONCE + SegmentedCipher.TAG;
  static final byte[] AAD = SegmentedCipher.aad("SET/example.com/alice/INBOX/messages.tar.zst", 0);

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static byte[] encrypt(byte[] plain, SetKey key, byte[] aad) throws IOException {
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream out = SegmentedCipher.encrypt(stored, key, aad)) {
      // odd write sizes so segment boundaries fall inside writes
      for (int off = 0; off < plain.length; off += 1000) {
        out.write(plain, off, Math.min(1000, plain.length - off));
      }
    }
    return stored.toByteArray();
  }

  static byte[] decrypt(byte[] stored, SetKey key, byte[] aad) throws IOException {
    try (InputStream in = SegmentedCipher.decrypt(new ByteArrayInputStream(stored), key, aad,
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
    assertThat(SegmentedCipher.open(SegmentedCipher.seal(plain, KEY, AAD), KEY, AAD, "x"))
        .isEqualTo(plain);
  }

  @Test
  void aSingleByteWrittenAtATimeShouldGiveTheSameLayout() throws IOException {
    byte[] plain = random(SEG + 5);
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream out = SegmentedCipher.encrypt(stored, KEY, AAD)) {
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

    assertThatThrownBy(() -> decrypt(stored, KEY, AAD)).isInstanceOf(BackupException.class)
        .hasMessageContaining("the-file").hasMessageContaining("damaged or the password is wrong");
  }

  @Test
  void aFileCutAtASegmentBoundaryOrInsideOneShouldFail() throws IOException {
    byte[] stored = encrypt(random(3 * SEG), KEY, AAD);
    int segment = SEG + OVERHEAD;

    assertThatThrownBy(() -> decrypt(Arrays.copyOf(stored, 2 * segment), KEY, AAD))
        .isInstanceOf(BackupException.class);
    assertThatThrownBy(() -> decrypt(Arrays.copyOf(stored, stored.length - 1), KEY, AAD))
        .isInstanceOf(BackupException.class);
    assertThatThrownBy(() -> decrypt(Arrays.copyOf(stored, 10), KEY, AAD))
        .isInstanceOf(BackupException.class).hasMessageContaining("ends inside segment 0");
    assertThatThrownBy(() -> decrypt(new byte[0], KEY, AAD)).isInstanceOf(BackupException.class);
  }

  @Test
  void swappedSegmentsShouldFail() throws IOException {
    byte[] stored = encrypt(random(3 * SEG), KEY, AAD);
    int segment = SEG + OVERHEAD;
    byte[] swapped = stored.clone();
    System.arraycopy(stored, 0, swapped, segment, segment);
    System.arraycopy(stored, segment, swapped, 0, segment);

    assertThatThrownBy(() -> decrypt(swapped, KEY, AAD)).isInstanceOf(BackupException.class)
        .hasMessageContaining("segment 0");
  }

  @Test
  void aSegmentSplicedFromAnotherFileShouldFail() throws IOException {
    byte[] a = encrypt(random(2 * SEG), KEY, AAD);
    byte[] b = encrypt(random(2 * SEG + 1), KEY, SegmentedCipher.aad("other", 0));
    byte[] spliced = a.clone();
    System.arraycopy(b, 0, spliced, 0, SEG + OVERHEAD);

    assertThatThrownBy(() -> decrypt(spliced, KEY, AAD)).isInstanceOf(BackupException.class);
  }

  @Test
  void aWrongAadOrKeyShouldFail() throws IOException {
    byte[] stored = encrypt(random(100), KEY, AAD);
    SetKey other = SetKey.create("battery staple".toCharArray(), FAST);

    assertThatThrownBy(() -> decrypt(stored, KEY,
        SegmentedCipher.aad("SET/example.com/alice/INBOX/messages.tar.zst", 4096)))
        .isInstanceOf(BackupException.class);
    assertThatThrownBy(() -> decrypt(stored, other, AAD)).isInstanceOf(BackupException.class);
  }

  @Test
  void theCacheShouldUnlockWithTheRightPasswordAndNameTheSetForAWrongOne() throws IOException {
    Encryption enc = KEY.encryption();
    byte[] stored = encrypt(random(500), KEY, AAD);

    SetKey again = new SetKey.Cache("correct horse".toCharArray()).unlock(enc, "SET-A");

    assertThat(decrypt(stored, again, AAD)).isEqualTo(random(500));
    assertThat(enc.cipher()).isEqualTo("AES-256-GCM");
    assertThat(enc.kdf()).isEqualTo("argon2id");
    assertThat(enc.segmentSize()).isEqualTo(65536);
    assertThat(java.util.Base64.getDecoder().decode(enc.salt())).hasSize(16);
    assertThatThrownBy(() -> new SetKey.Cache("wrong".toCharArray()).unlock(enc, "SET-A"))
        .isInstanceOf(BackupException.class).hasMessageStartingWith("wrong password for backup set SET-A");
  }

  @Test
  void theDefaultParametersShouldBe64MibAnd3Iterations() {
    assertThat(Encryption.Params.DEFAULT).isEqualTo(new Encryption.Params(65536, 3, 1));
    assertThatThrownBy(() -> new Encryption.Params(4, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
