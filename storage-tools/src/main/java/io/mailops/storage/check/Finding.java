package io.mailops.storage.check;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One problem {@link MaildirCheck} found: its kind, where (account, folder and the file or
 * directory), what exactly is wrong, and what a repair does about it. {@code folder} is empty
 * only for {@link Kind#BAD_FOLDER_NAME}, whose name cannot be decoded.
 */
public record Finding(Kind kind, AccountId account, Optional<FolderPath> folder, Path path,
    String detail, Remedy remedy) {

  /** The kinds of problems, each with its command-line name. */
  public enum Kind {
    /** A file in {@code tmp/} nobody touched for 36 hours (the Maildir spec lets readers delete it). */
    STALE_TMP,
    /** An empty file in {@code new/} or {@code cur/}: no message. */
    ZERO_LENGTH,
    /** The {@code ,S=} size in the name differs from the file's size. */
    SIZE_MISMATCH,
    /** A file in {@code new/} or {@code cur/} whose name is no Maildir message name. */
    BAD_NAME,
    /** The same base name in {@code new/} and in {@code cur/}. */
    NEW_AND_CUR,
    /** A {@code dovecot-uidlist} entry whose message file is in neither {@code new/} nor {@code cur/}. */
    UIDLIST_WITHOUT_FILE,
    /** A {@code dovecot-uidlist} Dovecot cannot read either. */
    BROKEN_UIDLIST,
    /** A folder without its {@code cur/}, {@code new/} or {@code tmp/} directory. */
    MISSING_SUBDIR,
    /** A folder directory whose name is not valid Maildir++ (modified UTF-7). */
    BAD_FOLDER_NAME;

    /** The name used in output: {@code stale-tmp}, {@code new-and-cur}, ... */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** What a repair does. */
  public enum Remedy {
    /** Move the file to the quarantine directory. */
    QUARANTINE,
    /** Create the missing directory with the folder's owner and mode. */
    CREATE_DIRECTORY,
    /** Nothing: reported only, for the server or a person to decide. */
    NONE
  }

  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(remedy, "remedy");
    if (detail == null || detail.isBlank()) {
      throw new IllegalArgumentException("finding " + kind.label() + " at " + path + " needs a detail");
    }
  }

  @Override
  public String toString() {
    return kind.label() + " " + path + ": " + detail;
  }
}
