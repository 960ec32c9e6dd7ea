package io.mailops.backup;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class ManifestCodecTest {

  /**
   * {@code backup restore} calls the warm-up before every restore: a sample that no longer
   * parses (a record gained a check or a required field) would fail every restore.
   */
  @Test
  void warmUpShouldReadItsSampleOfEveryManifestTypeWithoutError() {
    assertThatCode(ManifestCodec::warmUp).doesNotThrowAnyException();
    assertThatCode(Restore::warmUp).doesNotThrowAnyException();
  }
}
