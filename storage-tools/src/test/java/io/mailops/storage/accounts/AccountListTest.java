package io.mailops.storage.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountListTest {

  @TempDir
  Path dir;

  private Path csv(String text) throws IOException {
    return Files.writeString(dir.resolve("accounts.csv"), text, StandardCharsets.UTF_8);
  }

  @Test
  void rowsShouldKeepTheAccountAndTheOtherColumnsByName() throws IOException {
    Path file = csv("account,Source,password_file,target\n"
        + "alice@Example.COM,imaps://alice@old.example.com,/etc/mailops/alice.pw,\n"
        + "# bob moves later\n"
        + "\n"
        + "\"bob@example.com\", \"imap://bob@old.example.com?starttls=true\" ,,INBOX/Alt\n");

    AccountList list = AccountList.read(file);

    assertThat(list.columns()).containsExactly("account", "source", "password_file", "target");
    assertThat(list.accounts()).containsExactly(AccountId.of("alice@example.com"),
        AccountId.of("bob@example.com"));
    AccountList.Entry alice = list.entries().get(0);
    assertThat(alice.line()).isEqualTo(2);
    assertThat(alice.value("source")).contains("imaps://alice@old.example.com");
    assertThat(alice.value("password_file")).contains("/etc/mailops/alice.pw");
    assertThat(alice.value("target")).isEmpty();
    assertThat(alice.values()).doesNotContainKey("account");
    AccountList.Entry bob = list.find(AccountId.of("bob@example.com")).orElseThrow();
    assertThat(bob.line()).isEqualTo(5);
    assertThat(bob.value("source")).contains("imap://bob@old.example.com?starttls=true");
    assertThat(bob.value("target")).contains("INBOX/Alt");
  }

  @Test
  void aByteOrderMarkAndCrlfLineEndsShouldBeAccepted() throws IOException {
    Path file = csv("\uFEFFaccount\r\nalice@example.com\r\nbob@example.com");

    AccountList list = AccountList.read(file);

    assertThat(list.accounts()).hasSize(2);
    assertThat(list.entries().get(1).line()).isEqualTo(3);
  }

  @Test
  void aBadAccountShouldFailNamingFileLineAndValue() throws IOException {
    Path file = csv("account,source\nalice@example.com,x\nbob,y\n");

    assertThatThrownBy(() -> AccountList.read(file)).isInstanceOf(MailStoreException.class)
        .hasMessage("account list " + file + " line 3: invalid account 'bob': expected user@domain"
            + " such as alice@example.com");
  }

  @Test
  void aRowWithTheWrongNumberOfFieldsShouldFailNamingTheLine() throws IOException {
    Path file = csv("account,source\nalice@example.com\n");

    assertThatThrownBy(() -> AccountList.read(file)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining(file + " line 2").hasMessageContaining("alice@example.com")
        .hasMessageContaining("1 fields but the header has 2");
  }

  @Test
  void aDuplicateAccountShouldFailNamingBothLines() throws IOException {
    Path file = csv("account\nalice@example.com\nbob@example.com\nALICE@example.com\nalice@EXAMPLE.com\n");

    assertThatThrownBy(() -> AccountList.read(file)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining("line 5").hasMessageContaining("line 2")
        .hasMessageContaining("alice@example.com");
  }

  @Test
  void anEmptyAccountShouldFailNamingTheLine() throws IOException {
    Path file = csv("account,source\n,imap://x@y\n");

    assertThatThrownBy(() -> AccountList.read(file)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining("line 2").hasMessageContaining("empty");
  }

  @Test
  void aHeaderWithoutAnAccountColumnShouldFailWithAnExample() throws IOException {
    Path file = csv("user,source\nalice@example.com,x\n");

    assertThatThrownBy(() -> AccountList.read(file)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining("line 1").hasMessageContaining("user,source")
        .hasMessageContaining("account,source,target");
  }

  @Test
  void aDuplicateColumnShouldFail() throws IOException {
    Path file = csv("account,source,SOURCE\n");

    assertThatThrownBy(() -> AccountList.read(file)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining("'source' appears twice");
  }

  @Test
  void anEmptyFileShouldSayWhatIsExpected() throws IOException {
    Path file = csv("# nothing yet\n\n");

    assertThatThrownBy(() -> AccountList.read(file)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining("is empty").hasMessageContaining("'account' column");
  }

  @Test
  void aMissingFileOrNonUtf8TextShouldSayWhatToDo() throws IOException {
    Path latin1 = Files.write(dir.resolve("latin1.csv"),
        "account,name\nj\u00fcrgen@example.com,J\u00fcrgen\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> AccountList.read(dir.resolve("missing.csv")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> AccountList.read(latin1)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining(latin1.toString()).hasMessageContaining("UTF-8");
  }

  @Test
  void anUnclosedQuoteShouldFailAsInvalidCsv() {
    assertThatThrownBy(() -> AccountList.parse(
        new StringReader("account\n\"alice@example.com\n"), "inline"))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("inline")
        .hasMessageContaining("not valid CSV");
  }
}
