package io.mailops.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.crypto.Argon2id;
import io.mailops.storage.crypto.SegmentedCipher;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SetKeyTest {

  static final Argon2id.Params FAST = new Argon2id.Params(64, 1, 1);
  static final SetKey KEY = SetKey.create("correct horse".toCharArray(), FAST);
  static final byte[] AAD = SegmentedCipher.aad("SET/example.com/alice/INBOX/messages.tar.zst", 0);

  @Test
  void theCacheShouldUnlockWithTheRightPasswordAndNameTheSetForAWrongOne() throws Exception {
    Encryption enc = KEY.encryption();
    byte[] stored = KEY.cipher().seal("hello".getBytes(), AAD);

    SetKey again = new SetKey.Cache("correct horse".toCharArray()).unlock(enc, "SET-A");

    assertThat(again.open(stored, AAD, "x")).isEqualTo("hello".getBytes());
    assertThat(enc.cipher()).isEqualTo("AES-256-GCM");
    assertThat(enc.kdf()).isEqualTo("argon2id");
    assertThat(enc.segmentSize()).isEqualTo(65536);
    assertThat(Base64.getDecoder().decode(enc.salt())).hasSize(16);
    assertThatThrownBy(() -> new SetKey.Cache("wrong".toCharArray()).unlock(enc, "SET-A"))
        .isInstanceOf(BackupException.class)
        .hasMessageStartingWith("wrong password for backup set SET-A");
  }

  @Test
  void aDamagedFileShouldFailAsABackupExceptionThatSaysWhatToRun() {
    byte[] stored = KEY.cipher().seal(new byte[300], AAD);
    stored[40] ^= 1;

    assertThatThrownBy(() -> KEY.open(stored, AAD, "the-file"))
        .isInstanceOf(BackupException.class).hasMessageContaining("the-file")
        .hasMessageContaining("damaged or the password is wrong")
        .hasMessageEndingWith("run 'backup verify --deep'");
  }
}
