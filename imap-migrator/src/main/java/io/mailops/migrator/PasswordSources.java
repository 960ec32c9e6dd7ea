package io.mailops.migrator;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.PasswordSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The password sources of migration endpoints. None of them shows a password in
 * {@code toString()} or in a message; {@code what} says where the password comes from.
 */
final class PasswordSources {

  private PasswordSources() {}

  /** A password given as text (a CSV column, an environment variable). */
  static PasswordSource inline(String password, String what) {
    return new Inline(password.toCharArray(), what);
  }

  /** The first line of {@code file}, read on every login (a changed file is picked up). */
  static PasswordSource firstLineOf(Path file, String what) {
    return new FirstLine(file, what);
  }

  /** No password: logging in fails with {@code message}. */
  static PasswordSource missing(String message) {
    return new Missing(message);
  }

  private record Inline(char[] password, String what) implements PasswordSource {

    @Override
    public char[] password(String user, String host) {
      return password.clone();
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }

    @Override
    public String toString() {
      return "password from " + what;
    }
  }

  private record FirstLine(Path file, String what) implements PasswordSource {

    FirstLine {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public char[] password(String user, String host) throws IOException {
      String line;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        line = in.readLine();
      } catch (NoSuchFileException e) {
        throw new MailStoreException("cannot read the password of " + user + "@" + host + ": "
            + what + " " + file + " does not exist; check the path", e);
      } catch (AccessDeniedException e) {
        throw new MailStoreException("cannot read the password of " + user + "@" + host + ": "
            + what + " " + file + " is not readable (permission denied); run as its owner or"
            + " make it readable for this user only (chmod 600)", e);
      } catch (CharacterCodingException e) {
        throw new MailStoreException("cannot read the password of " + user + "@" + host + ": "
            + what + " " + file + " is not UTF-8 text; save it as UTF-8", e);
      }
      if (line == null || line.isEmpty()) {
        throw new MailStoreException("no password for " + user + "@" + host + ": the first line of "
            + what + " " + file + " is empty; put the password on the first line");
      }
      return line.toCharArray();
    }

    @Override
    public String toString() {
      return "password from " + what + " " + file;
    }
  }

  private record Missing(String message) implements PasswordSource {

    @Override
    public char[] password(String user, String host) throws IOException {
      throw new MailStoreException(message);
    }

    @Override
    public String toString() {
      return "no password";
    }
  }
}
