package io.mailops.backup.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FtpSettingsTest {

  @Test
  void ftpsUriShouldGiveExplicitTlsWithTls12OnlyAndHostnameVerificationByDefault() {
    FtpSettings s = FtpSettings.parse("ftps://backup@nas.example.com:2121/sets/mail/");

    assertThat(s.tls()).isTrue();
    assertThat(s.host()).isEqualTo("nas.example.com");
    assertThat(s.port()).isEqualTo(2121);
    assertThat(s.user()).isEqualTo("backup");
    assertThat(s.basePath()).isEqualTo("/sets/mail");
    assertThat(s.tlsProtocols()).containsExactly("TLSv1.2");
    assertThat(s.verifyHostname()).isTrue();
    assertThat(s.caFile()).isNull();
    assertThat(s.attempts()).isGreaterThan(1);
    assertThat(s).hasToString("ftps://backup@nas.example.com:2121/sets/mail");
  }

  @Test
  void plainUriWithoutPortOrPathShouldUsePort21AndTheLoginDirectory() {
    FtpSettings s = FtpSettings.parse("ftp://backup@nas");

    assertThat(s.tls()).isFalse();
    assertThat(s.port()).isEqualTo(21);
    assertThat(s.basePath()).isEmpty();
  }

  @Test
  void passwordInTheUriShouldBeRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> FtpSettings.parse("ftp://backup:S3cret@nas/sets"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds a password").hasMessageContaining("--password-file")
        .hasMessageNotContaining("S3cret");
  }

  @Test
  void missingUserOrWrongSchemeShouldBeRefusedNamingTheFix() {
    assertThatThrownBy(() -> FtpSettings.parse("ftp://nas/sets"))
        .hasMessageContaining("user is missing");
    assertThatThrownBy(() -> FtpSettings.parse("sftp://backup@nas/sets"))
        .hasMessageContaining("scheme 'sftp'").hasMessageContaining("ftps://");
  }

  @Test
  void badRetryBudgetOrEmptyTlsProtocolsShouldBeRefused() {
    FtpSettings s = FtpSettings.parse("ftps://backup@nas/sets");

    assertThatThrownBy(() -> s.withRetries(0, Duration.ZERO)).hasMessageContaining("attempts 0");
    assertThatThrownBy(() -> s.withTlsProtocols(java.util.List.of()))
        .hasMessageContaining("no TLS protocol");
    assertThat(s.withTlsProtocols(java.util.List.of("TLSv1.2", "TLSv1.3")).tlsProtocols())
        .containsExactly("TLSv1.2", "TLSv1.3");
  }
}
