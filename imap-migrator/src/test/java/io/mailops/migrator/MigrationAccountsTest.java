package io.mailops.migrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.migrator.MigrationAccount.Auth;
import io.mailops.migrator.MigrationAccount.Endpoint;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationAccountsTest {

  private static final String HEADER = "source_host,source_port,source_security,source_user,"
      + "source_password,target_host,target_port,target_security,target_user,target_password";
  private static final String SECRET = "Sup3r\"S3cret,x";

  @TempDir
  Path dir;

  private List<MigrationAccount> parse(String text) throws IOException {
    return MigrationAccounts.parse(new StringReader(text), "accounts.csv", dir);
  }

  private static String password(Endpoint e) throws IOException {
    return new String(e.passwords().password("user", "host"));
  }

  private static ImapLocation location(Endpoint e) throws IOException {
    return ImapLocation.parse(MailStores.parse(e.uri()));
  }

  @Test
  void aFileWithBomCrlfQuotesAndCommentsShouldGiveOneAccountPerRow() throws IOException {
    Path file = dir.resolve("accounts.csv");
    Files.writeString(file, "\uFEFF" + HEADER.toUpperCase() + "\r\n"
        + "# first wave\r\n"
        + "\r\n"
        + "old.example.com,993,tls,alice@example.com,\"Sup3r\"\"S3cret,x\","
        + "new.example.com,143,starttls,alice@example.com,pw2\r\n"
        + " old.example.com , , None ,\"bob\",\"multi\r\nline\",new.example.com,,TLS,bob@example.com,"
        + "\" spaced \"\r\n"
        + "old.example.com,143,none,carol@example.com,c,new.example.com,1143,starttls,carol,d",
        StandardCharsets.UTF_8);

    List<MigrationAccount> accounts = MigrationAccounts.read(file);

    assertThat(accounts).hasSize(3);
    MigrationAccount alice = accounts.get(0);
    assertThat(alice.line()).isEqualTo(4);
    assertThat(alice.source().uri()).isEqualTo("imaps://alice%40example.com@old.example.com:993");
    assertThat(alice.source().account()).isEqualTo(AccountId.of("alice@example.com"));
    assertThat(alice.source().auth()).isEqualTo(Auth.LOGIN);
    assertThat(password(alice.source())).isEqualTo(SECRET);
    assertThat(alice.target().uri())
        .isEqualTo("imap://alice%40example.com@new.example.com:143?starttls=true");
    assertThat(password(alice.target())).isEqualTo("pw2");
    assertThat(alice.exclude()).isEmpty();
    assertThat(alice.map()).isEmpty();

    MigrationAccount bob = accounts.get(1);
    assertThat(bob.line()).isEqualTo(5);
    assertThat(bob.source().uri()).isEqualTo("imap://bob@old.example.com:143?starttls=false");
    assertThat(bob.source().account()).isEqualTo(AccountId.of("bob@old.example.com"));
    assertThat(password(bob.source())).isEqualTo("multi\r\nline");
    assertThat(bob.target().uri()).isEqualTo("imaps://bob%40example.com@new.example.com:993");
    assertThat(password(bob.target())).isEqualTo(" spaced ");

    MigrationAccount carol = accounts.get(2);
    assertThat(carol.line()).isEqualTo(7);
    assertThat(carol.target().uri()).isEqualTo("imap://carol@new.example.com:1143?starttls=true");
  }

  @Test
  void theUrisShouldBeWhatTheImapStoreTakes() throws IOException {
    List<MigrationAccount> accounts = parse(HEADER + "\n"
        + "old.example.com,993,tls,alice@example.com,a,new.example.com,143,starttls,al ice+x,b\n"
        + "old.example.com,143,none,bob,a,2001:db8::1,143,none,bob,b\n");

    ImapLocation tls = location(accounts.get(0).source());
    assertThat(tls.secure()).isTrue();
    assertThat(tls.user()).isEqualTo("alice@example.com");
    assertThat(tls.port()).isEqualTo(993);
    assertThat(tls.starttls()).isNull();
    ImapLocation starttls = location(accounts.get(0).target());
    assertThat(starttls.secure()).isFalse();
    assertThat(starttls.starttls()).isTrue();
    assertThat(starttls.user()).isEqualTo("al ice+x");
    ImapLocation none = location(accounts.get(1).source());
    assertThat(none.secure()).isFalse();
    assertThat(none.starttls()).isFalse();
    ImapLocation v6 = location(accounts.get(1).target());
    assertThat(v6.host()).isEqualTo("[2001:db8::1]");
    assertThat(v6.port()).isEqualTo(143);
  }

  @Test
  void theExampleErrorShouldReadAsDocumented() {
    assertThatThrownBy(() -> parse(HEADER + "\n"
        + "# comment\n"
        + "old.example.com,993,tls,alice@example.com,a,new.example.com,993,tls,alice@example.com,b\n"
        + "old.example.com,993,ssl,bob@example.com,a,new.example.com,993,tls,bob@example.com,b\n"))
        .isInstanceOf(MailStoreException.class)
        .hasMessage("accounts.csv line 4: source_security 'ssl' is not none, starttls or tls");
  }

  @Test
  void aMissingColumnShouldBeNamed() {
    assertThatThrownBy(() -> parse(HEADER.replace("source_port,", "") + "\n"))
        .hasMessageStartingWith("accounts.csv line 1: the header has no 'source_port' column;");
    assertThatThrownBy(() -> parse(HEADER.replace(",target_password", "") + "\n"))
        .hasMessageStartingWith("accounts.csv line 1: the header has no 'target_password' column;"
            + " add target_password or target_password_file");
    assertThatThrownBy(() -> parse(HEADER + ",sourec_auth\n"))
        .hasMessageStartingWith("accounts.csv line 1: column 'sourec_auth' is not known;");
    assertThatThrownBy(() -> parse(HEADER + ",source_host\n"))
        .hasMessageStartingWith("accounts.csv line 1: column 'source_host' appears twice");
    assertThatThrownBy(() -> parse(""))
        .hasMessageStartingWith("accounts.csv is empty: expected a header row");
  }

  @Test
  void badValuesShouldBeNamedWithLineAndColumn() {
    String ok = "old.example.com,993,tls,alice@example.com," + "\"" + SECRET.replace("\"", "\"\"")
        + "\",new.example.com,993,tls,alice@example.com,b";
    assertBad(ok.replace(",993,tls,alice", ",99x3,tls,alice"),
        "accounts.csv line 2: source_port '99x3' is not a port number from 1 to 65535");
    assertBad(ok.replace(",993,tls,alice@example.com,b", ",70000,tls,alice@example.com,b"),
        "accounts.csv line 2: target_port '70000' is not a port number from 1 to 65535");
    assertBad(ok.replace(",993,tls,alice@example.com,b", ",993,,alice@example.com,b"),
        "accounts.csv line 2: target_security is empty; write none, starttls or tls");
    assertBad(ok.replace("old.example.com", "imaps://old.example.com"),
        "accounts.csv line 2: source_host 'imaps://old.example.com' is not a host name");
    assertBad(ok.replace("new.example.com", ""),
        "accounts.csv line 2: target_host is empty; fill in the IMAP server's host name or give"
            + " target_maildir");
    assertBad(ok.replace("tls,alice@example.com,\"", "tls,,\""),
        "accounts.csv line 2: source_user is empty");
    assertBad(ok.replace(",b", ","),
        "accounts.csv line 2: target_password is empty; fill it in or give target_password_file");
    assertBad(ok + ",extra", "accounts.csv line 2: has 11 fields but the header has 10;");
    assertBad(ok + "\n" + ok, "accounts.csv line 3: the same source and target as line 2;");
    assertBad(ok.replace(",b", ",\"unclosed"), "accounts.csv is not valid CSV (");
  }

  private void assertBad(String row, String message) {
    assertThatThrownBy(() -> parse(HEADER + "\n" + row + "\n"))
        .isInstanceOf(MailStoreException.class)
        .hasMessageStartingWith(message)
        .hasMessageNotContaining("S3cret")
        .hasMessageNotContaining("unclosed")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void passwordFilesShouldBeReadFromTheCsvDirectoryFirstLineOnly() throws IOException {
    Files.writeString(dir.resolve("alice.pw"), "S3cret pw\r\nsecond line\r\n");
    Path abs = Files.writeString(dir.resolve("target.pw"), "tpw\n");
    String header = HEADER.replace("source_password", "source_password_file") + ",target_password_file";

    List<MigrationAccount> accounts = parse(header + "\n"
        + "old.example.com,993,tls,alice@example.com,alice.pw,new.example.com,993,tls,"
        + "alice@example.com,," + abs + "\n");

    MigrationAccount alice = accounts.get(0);
    assertThat(password(alice.source())).isEqualTo("S3cret pw");
    assertThat(password(alice.target())).isEqualTo("tpw");
    assertThat(alice.toString()).contains("source_password_file of accounts.csv line 2")
        .doesNotContain("S3cret");
  }

  @Test
  void aMissingPasswordFileShouldFailTheRowAndLaterLoginsSaySo() throws IOException {
    String header = HEADER.replace("source_password", "source_password_file");
    assertThatThrownBy(() -> parse(header + "\n"
        + "old.example.com,993,tls,alice@example.com,nowhere.pw,new.example.com,993,tls,"
        + "alice@example.com,b\n"))
        .hasMessageStartingWith("accounts.csv line 2: source_password_file 'nowhere.pw' does not"
            + " exist (looked for " + dir.resolve("nowhere.pw") + "); check the path");

    Path pw = Files.writeString(dir.resolve("gone.pw"), "x\n");
    Endpoint source = parse(header + "\n"
        + "old.example.com,993,tls,alice@example.com,gone.pw,new.example.com,993,tls,"
        + "alice@example.com,b\n").get(0).source();
    Files.delete(pw);
    assertThatThrownBy(() -> source.passwords().password("alice@example.com", "old.example.com"))
        .isInstanceOf(MailStoreException.class)
        .hasMessageContaining("source_password_file of accounts.csv line 2 " + pw
            + " does not exist");
    Files.writeString(pw, "\n");
    assertThatThrownBy(() -> source.passwords().password("alice@example.com", "old.example.com"))
        .hasMessageContaining("is empty; put the password on the first line");
  }

  @Test
  void bothPasswordColumnsFilledShouldFail() throws IOException {
    Files.writeString(dir.resolve("a.pw"), "x\n");
    assertThatThrownBy(() -> parse(HEADER + ",source_password_file\n"
        + "old.example.com,993,tls,alice@example.com,secret,new.example.com,993,tls,"
        + "alice@example.com,b,a.pw\n"))
        .hasMessage("accounts.csv line 2: both source_password and source_password_file are"
            + " filled in; empty one of them");
  }

  @Test
  void xoauth2ShouldTakeTheTokenFile() throws IOException {
    Files.writeString(dir.resolve("alice.token"), "ya29.token\n");
    String header = HEADER + ",source_auth,source_token_file,target_auth";

    MigrationAccount a = parse(header + "\n"
        + "imap.gmail.com,993,tls,alice@gmail.com,,new.example.com,993,tls,alice@example.com,b,"
        + "XOAUTH2,alice.token,plain\n").get(0);

    assertThat(a.source().auth()).isEqualTo(Auth.XOAUTH2);
    assertThat(password(a.source())).isEqualTo("ya29.token");
    assertThat(a.target().auth()).isEqualTo(Auth.PLAIN);
    assertThatThrownBy(() -> parse(header + "\n"
        + "imap.gmail.com,993,tls,alice@gmail.com,,new.example.com,993,tls,alice@example.com,b,"
        + "xoauth2,,\n"))
        .hasMessageStartingWith("accounts.csv line 2: source_token_file is empty;");
    assertThatThrownBy(() -> parse(header + "\n"
        + "imap.gmail.com,993,tls,alice@gmail.com,a,new.example.com,993,tls,alice@example.com,b,"
        + "cram-md5,,\n"))
        .hasMessage("accounts.csv line 2: source_auth 'cram-md5' is not login, plain or xoauth2");
    assertThatThrownBy(() -> parse(header + "\n"
        + "imap.gmail.com,993,tls,alice@gmail.com,a,new.example.com,993,tls,alice@example.com,b,"
        + ",alice.token,\n"))
        .hasMessageStartingWith("accounts.csv line 2: source_token_file is only used with"
            + " source_auth xoauth2");
  }

  @Test
  void anOauth2TokenFileColumnAloneShouldMeanXoauth2() throws IOException {
    Files.writeString(dir.resolve("alice.token"), "ya29.other\n");
    String header = "source_host,source_port,source_security,source_user,source_oauth2_token_file,"
        + "target_host,target_port,target_security,target_user,target_password,"
        + "target_oauth2_token_file";

    MigrationAccount a = parse(header + "\n"
        + "imap.gmail.com,993,tls,alice@gmail.com,alice.token,new.example.com,993,tls,"
        + "alice@example.com,b,\n").get(0);

    assertThat(a.source().auth()).isEqualTo(Auth.XOAUTH2);
    assertThat(password(a.source())).isEqualTo("ya29.other");
    assertThat(a.target().auth()).isEqualTo(Auth.LOGIN);
    assertThat(password(a.target())).isEqualTo("b");
  }

  @Test
  void aMaildirTargetShouldNameTheAccountAndOpen() throws IOException {
    Path vmail = Files.createDirectories(dir.resolve("vmail"));
    String header = "source_host,source_port,source_security,source_user,source_password,"
        + "target_maildir,target_user,target_host,target_port,target_security,target_password";

    List<MigrationAccount> accounts = parse(header + "\n"
        + "old.example.com,993,tls,alice@old.example.com,a,maildir:" + vmail
        + ",alice@example.com,,,,\n"
        + "old.example.com,993,tls,bob@example.com,a,vmail,bob,,,,\n"
        + "old.example.com,993,tls,carol@example.com,a,,carol@example.com,new.example.com,993,tls,c\n"
        + "old.example.com,993,tls,dave,a,\"maildir:" + vmail
        + "?layout={domain}/{user}&account=dave@example.com\",,,,,\n");

    Endpoint alice = accounts.get(0).target();
    assertThat(alice.isMaildir()).isTrue();
    assertThat(alice.uri()).isEqualTo("maildir:" + vmail);
    assertThat(alice.account()).isEqualTo(AccountId.of("alice@example.com"));
    assertThat(alice.passwords()).isSameAs(PasswordSource.NONE);
    Endpoint bob = accounts.get(1).target();
    assertThat(bob.uri()).isEqualTo("maildir:" + vmail);
    assertThat(bob.account()).isEqualTo(AccountId.of("bob@example.com"));
    assertThat(accounts.get(2).target().isMaildir()).isFalse();
    Endpoint dave = accounts.get(3).target();
    assertThat(dave.account()).isEqualTo(AccountId.of("dave@example.com"));

    try (MailStore store = MailStores.open(alice.uri(), alice.passwords())) {
      store.createFolder(alice.account(), FolderPath.of("Sent"));
      assertThat(Files.isDirectory(vmail.resolve("example.com/alice/Maildir/.Sent"))).isTrue();
    }
  }

  @Test
  void badMaildirTargetsShouldBeNamed() {
    String header = "source_host,source_port,source_security,source_user,source_password,"
        + "target_maildir,target_user,target_host";
    assertThatThrownBy(() -> parse(header + "\n"
        + "old.example.com,993,tls,dave,a,/var/vmail,,\n"))
        .hasMessageStartingWith("accounts.csv line 2: target_user is not user@domain and"
            + " source_user 'dave' is not either;");
    assertThatThrownBy(() -> parse(header + "\n"
        + "old.example.com,993,tls,dave@example.com,a,/var/vmail,,new.example.com\n"))
        .hasMessageStartingWith("accounts.csv line 2: both target_maildir and target_host are"
            + " filled in;");
    assertThatThrownBy(() -> parse(header + "\n"
        + "old.example.com,993,tls,dave@example.com,a,imap://x@new,,\n"))
        .hasMessageStartingWith("accounts.csv line 2: target_maildir 'imap://x@new' is not a"
            + " Maildir");
    assertThatThrownBy(() -> parse(header + "\n"
        + "old.example.com,993,tls,dave@example.com,a,maildir:/var/vmail?lay=x,,\n"))
        .hasMessageStartingWith("accounts.csv line 2: target_maildir 'maildir:/var/vmail?lay=x'"
            + " is not a valid Maildir store (unknown parameter 'lay'");
  }

  @Test
  void excludeAndMapColumnsShouldBeCheckedAndKept() throws IOException {
    String header = HEADER + ",exclude,map";
    String row = "old.example.com,993,tls,alice@example.com,a,new.example.com,993,tls,"
        + "alice@example.com,b,";

    MigrationAccount a = parse(header + "\n" + row
        + "\"Trash|Junk\",\"Old Name=New/Name; re:^Old/(.*)$=Archive/$1\"\n").get(0);

    assertThat(a.exclude()).containsExactly("Trash|Junk");
    assertThat(a.map()).containsExactly("Old Name=New/Name", "re:^Old/(.*)$=Archive/$1");
    FolderMap map = a.addFolderRules(FolderMap.builder()).build();
    assertThat(map.targetFolder(new SourceFolder(FolderPath.of("Old/2019"), true), List.of()))
        .contains(FolderPath.of("Archive/2019"));
    assertThat(map.targetFolder(new SourceFolder(FolderPath.of("Junk"), true), List.of()))
        .isEmpty();
    assertThatThrownBy(() -> parse(header + "\n" + row + "(,\n"))
        .hasMessageStartingWith("accounts.csv line 2: exclude '(' is not a valid regular"
            + " expression");
    assertThatThrownBy(() -> parse(header + "\n" + row + ",Old\n"))
        .hasMessageStartingWith("accounts.csv line 2: map 'Old' has no '='");
  }

  @Test
  void toStringShouldNeverShowPasswords() throws IOException {
    List<MigrationAccount> accounts = parse(HEADER + "\n"
        + "old.example.com,993,tls,alice@example.com,\"" + SECRET.replace("\"", "\"\"")
        + "\",new.example.com,993,tls,alice@example.com,\"" + SECRET.replace("\"", "\"\"")
        + "\"\n");

    assertThat(accounts.toString()).doesNotContain("S3cret")
        .contains("imaps://alice%40example.com@old.example.com:993",
            "password from source_password of accounts.csv line 2");
    assertThat(accounts.get(0).source().passwords().toString()).doesNotContain("S3cret");
  }
}
