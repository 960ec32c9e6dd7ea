package io.mailops.migrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.migrator.MigrationAccount.Auth;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationAccountTest {

  @TempDir
  Path dir;

  @Test
  void oneOffShouldTakePasswordsFromFilesElseTheEnvironment() throws IOException {
    Path sourcePw = Files.writeString(dir.resolve("source.pw"), "from-file\n");

    MigrationAccount a = MigrationAccount.oneOff("imaps://alice%40example.com@old.example.com",
        "imap://alice@new.example.com:143?starttls=true", sourcePw, null,
        Map.of("MAILOPS_SOURCE_PASSWORD", "ignored", "MAILOPS_TARGET_PASSWORD", "T0pSecret"));

    assertThat(a.line()).isZero();
    assertThat(a.source().uri()).isEqualTo("imaps://alice%40example.com@old.example.com");
    assertThat(a.source().account()).isEqualTo(AccountId.of("alice@example.com"));
    assertThat(a.source().auth()).isEqualTo(Auth.LOGIN);
    assertThat(new String(a.source().passwords().password("u", "h"))).isEqualTo("from-file");
    assertThat(a.target().account()).isEqualTo(AccountId.of("alice@new.example.com"));
    assertThat(new String(a.target().passwords().password("u", "h"))).isEqualTo("T0pSecret");
    assertThat(a.toString()).doesNotContain("T0pSecret")
        .contains("environment variable MAILOPS_TARGET_PASSWORD");
  }

  @Test
  void withoutAnyPasswordLoggingInShouldSayHowToGiveOne() throws IOException {
    MigrationAccount a = MigrationAccount.oneOff("imaps://alice%40example.com@old.example.com",
        "imaps://alice%40example.com@new.example.com", null, null, Map.of());

    assertThatThrownBy(() -> a.source().passwords().password("alice@example.com", "old"))
        .isInstanceOf(MailStoreException.class)
        .hasMessage("no password for source account alice@example.com: give"
            + " --source-password-file FILE or set MAILOPS_SOURCE_PASSWORD");
    assertThatThrownBy(() -> a.target().passwords().password("alice@example.com", "new"))
        .hasMessageContaining("--target-password-file FILE or set MAILOPS_TARGET_PASSWORD");
  }

  @Test
  void aMaildirTargetShouldWriteToItsAccountParameterElseTheSourceAccount()
      throws IOException {
    MigrationAccount plain = MigrationAccount.oneOff("imaps://alice%40example.com@old", "/var/vmail",
        null, null, Map.of());
    MigrationAccount named = MigrationAccount.oneOff("imaps://alice%40example.com@old",
        "maildir:/var/vmail?account=alice@new.example.com", null, null, Map.of());

    assertThat(plain.target().uri()).isEqualTo("maildir:/var/vmail");
    assertThat(plain.target().isMaildir()).isTrue();
    assertThat(plain.target().account()).isEqualTo(AccountId.of("alice@example.com"));
    assertThat(plain.target().passwords()).isSameAs(PasswordSource.NONE);
    assertThat(named.target().account()).isEqualTo(AccountId.of("alice@new.example.com"));
  }

  @Test
  void badOneOffOptionsShouldNameTheOption() throws IOException {
    Path pw = Files.writeString(dir.resolve("pw"), "x\n");
    assertThatThrownBy(() -> MigrationAccount.oneOff("maildir:/var/vmail", "/x", null, null,
        Map.of())).hasMessageStartingWith("--source 'maildir:/var/vmail' is not an IMAP account");
    assertThatThrownBy(() -> MigrationAccount.oneOff("imaps://a:pw@old", "/x", null, null,
        Map.of())).hasMessageStartingWith("--source: invalid store 'imaps://***@old'")
        .hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> MigrationAccount.oneOff("ftp://a:S3cret@old", "/x", null, null,
        Map.of())).hasMessageStartingWith("--source 'ftp://a:***@old' is not an IMAP account");
    assertThatThrownBy(() -> MigrationAccount.oneOff("imaps://a@old", "mbox:/x", null, null,
        Map.of())).hasMessageStartingWith("--target 'mbox:/x' is not an IMAP account");
    assertThatThrownBy(() -> MigrationAccount.oneOff("imaps://a@old", "/var/vmail", null, pw,
        Map.of())).hasMessageContaining("a Maildir target needs no password");
    assertThatThrownBy(() -> MigrationAccount.oneOff("imaps://a@old", "imaps://a@new",
        dir.resolve("missing.pw"), null, Map.of()))
        .hasMessageStartingWith("--source-password-file " + dir.resolve("missing.pw")
            + " does not exist");
    assertThatThrownBy(() -> MigrationAccount.oneOff("imaps://a@old", "maildir:/v?x=1", null,
        null, Map.of())).hasMessageStartingWith("--target: unknown parameter 'x'");
  }
}
