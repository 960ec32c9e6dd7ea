package io.mailops.storage.maildir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * Writes Maildir++ trees byte for byte as Dovecot leaves them (file names, control files), for
 * tests. Shipped in the storage-tools test-jar.
 */
public final class MaildirFixture {

  private final Path maildir;

  private MaildirFixture(Path maildir) {
    this.maildir = maildir;
  }

  /** A Maildir at {@code root/domain/user/Maildir} (Dovecot's {@code %d/%n/Maildir}). */
  public static MaildirFixture account(Path root, String domain, String user) {
    MaildirFixture f = new MaildirFixture(root.resolve(domain).resolve(user).resolve("Maildir"));
    f.folder("");
    return f;
  }

  public Path maildir() {
    return maildir;
  }

  /** Creates {@code .NAME} (already encoded, e.g. {@code Projekte.&ANw-bersicht}) or INBOX for "". */
  public Path folder(String encodedName) {
    Path dir = encodedName.isEmpty() ? maildir : maildir.resolve("." + encodedName);
    try {
      for (String sub : new String[] {"cur", "new", "tmp"}) {
        Files.createDirectories(dir.resolve(sub));
      }
      if (!encodedName.isEmpty() && !Files.exists(dir.resolve("maildirfolder"))) {
        Files.createFile(dir.resolve("maildirfolder"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** Writes a message file {@code sub/name} with {@code content} and mtime {@code date}. */
  public Path message(String encodedFolder, String sub, String name, String content, Instant date) {
    Path dir = encodedFolder.isEmpty() ? maildir : maildir.resolve("." + encodedFolder);
    Path file = dir.resolve(sub).resolve(name);
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
      Files.setLastModifiedTime(file, FileTime.from(date));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes a control file such as {@code dovecot-uidlist} into a folder. */
  public Path control(String encodedFolder, String name, String content) {
    Path dir = encodedFolder.isEmpty() ? maildir : maildir.resolve("." + encodedFolder);
    try {
      return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
