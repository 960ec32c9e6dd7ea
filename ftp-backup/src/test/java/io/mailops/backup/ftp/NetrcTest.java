package io.mailops.backup.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mailops.backup.BackupException;
import io.mailops.backup.ftp.Netrc.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetrcTest {

  static final String TEXT = """
      # backup targets
      machine nas.example.com login backup password S3cret account acct1
      machine nas.example.com
        login other
        password 0ther

      macdef init
      machine evil.example.com login mallory password fromMacro
      binary

      machine ftp.example.com login anonymous
      default login guest password guestpw
      """;

  @TempDir Path tmp;

  @Test
  void lookupShouldTakeTheFirstMatchingMachineAndLoginElseTheDefault() throws IOException {
    Netrc n = Netrc.parse(TEXT, "test netrc");

    assertThat(n.lookup("nas.example.com", null))
        .contains(new Credentials("backup", "S3cret", "acct1"));
    assertThat(n.lookup("NAS.example.com", "other"))
        .contains(new Credentials("other", "0ther", null));
    assertThat(n.lookup("nas.example.com", "guest"))
        .contains(new Credentials("guest", "guestpw", null));
    assertThat(n.lookup("ftp.example.com", null))
        .contains(new Credentials("anonymous", null, null));
    assertThat(n.lookup("elsewhere.example.com", null))
        .contains(new Credentials("guest", "guestpw", null));
    assertThat(n.lookup("elsewhere.example.com", "bob")).isEmpty();
  }

  @Test
  void macdefBlocksShouldBeSkippedUpToTheNextEmptyLine() throws IOException {
    Netrc n = Netrc.parse(TEXT, "test netrc");

    assertThat(n.lookup("evil.example.com", null)).map(Credentials::login).contains("guest");
    assertThat(Netrc.parse("macdef x\nmachine m login l password p\n", "t").lookup("m", null))
        .isEmpty();
  }

  @Test
  void withoutDefaultAnUnknownHostShouldGiveNothing() throws IOException {
    Netrc n = Netrc.parse("machine a login u password p", "t");

    assertThat(n.lookup("b", null)).isEmpty();
    assertThat(n.lookup("a", "v")).isEmpty();
    assertThat(n.lookup("a", "u")).contains(new Credentials("u", "p", null));
    assertThat(Netrc.parse("", "t").lookup("a", null)).isEmpty();
  }

  @Test
  void aKeywordWithoutValueShouldFailNamingTheFileAndLine() {
    assertThatThrownBy(() -> Netrc.parse("machine a login u\n\n password", "/home/u/.netrc"))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("/home/u/.netrc line 3").hasMessageContaining("password");
  }

  @Test
  void credentialsShouldNotShowThePasswordAndGiveItAsAnFtpPassword() throws IOException {
    Credentials c = new Credentials("backup", "S3cret", null);

    assertThat(c.toString()).doesNotContain("S3cret");
    assertThat(c.asPassword("~/.netrc").get()).containsExactly("S3cret".toCharArray());
    assertThatThrownBy(() -> new Credentials("backup", null, null).asPassword("~/.netrc"))
        .isInstanceOf(BackupException.class).hasMessageContaining("~/.netrc has no password");
  }

  @Test
  void loadShouldRefuseAFileWithPasswordsThatOthersCanRead() throws IOException {
    Path file = Files.writeString(tmp.resolve(".netrc"), TEXT);
    assumeTrue(Files.getFileAttributeView(file, PosixFileAttributeView.class) != null);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> Netrc.load(file)).isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("readable by others").hasMessageContaining("chmod 600");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
    assertThatThrownBy(() -> Netrc.load(file)).isInstanceOf(IOException.class);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(Netrc.load(file).lookup("nas.example.com", "backup")).map(Credentials::password)
        .contains("S3cret");
  }

  @Test
  void loadShouldAcceptAReadableFileWithoutPasswordsAndAMissingFile() throws IOException {
    Path file = Files.writeString(tmp.resolve(".netrc"), "machine a login anonymous\n");
    if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    assertThat(Netrc.load(file).lookup("a", null)).map(Credentials::login).contains("anonymous");
    assertThat(Netrc.load(tmp.resolve("none")).lookup("a", null)).isEmpty();
  }
}
