package io.mailops.jobs.cli;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --storage URI} and {@code --password-file F}, shared by every command on a store. */
public final class StoreOptions {

  @Option(names = "--storage", paramLabel = "URI",
      description = "Mail store: maildir:/var/vmail, eml:/dir, mbox:/file, imap[s]://user@host"
          + " (default: mailops.storage from mailops.yml).")
  String storage;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "File holding the password of a remote store (else $MAILOPS_PASSWORD).")
  Path passwordFile;

  /** The store URI in effect. */
  String uri(MailOpsSettings settings) {
    return storage != null ? storage : settings.get("mailops.storage");
  }

  MailStore open(MailOpsSettings settings, Map<String, String> env) throws IOException {
    return MailStores.open(uri(settings), passwords(env));
  }

  PasswordSource passwords(Map<String, String> env) {
    if (passwordFile != null) {
      Path file = passwordFile;
      return (user, host) -> {
        try {
          String s = Files.readString(file, StandardCharsets.UTF_8);
          return s.lines().findFirst().orElse("").toCharArray();
        } catch (NoSuchFileException e) {
          throw new IOException("password file " + file + " does not exist; check --password-file");
        }
      };
    }
    String fromEnv = env.get("MAILOPS_PASSWORD");
    return fromEnv != null ? (user, host) -> fromEnv.toCharArray() : PasswordSource.NONE;
  }
}
