package io.mailops.storage.maildir;

import io.mailops.storage.DotLock;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The folder subscriptions of a Maildir account, kept as Dovecot keeps them: the file
 * {@code subscriptions} in the account's Maildir root. Version 2 (what Dovecot 2.x writes) starts
 * with {@code "V\t2\n\n"}, then one folder per line, its names in modified UTF-7 joined by a tab
 * (tabs, CR, LF and 0x01 inside a name escaped with 0x01); a file without that header is version
 * 1, one storage name per line with Maildir++'s {@code .} between the names. Courier's
 * {@code courierimapsubscribed} ({@code INBOX.A.B} per line) is read when Dovecot's file is not
 * there. Written under Dovecot's dot-lock {@code subscriptions.lock}, then renamed into place,
 * so Dovecot never sees half a file (its {@code subscription-file.c}).
 */
final class Subscriptions {

  static final String FILE = "subscriptions";
  static final String COURIER_FILE = "courierimapsubscribed";
  private static final String V2_HEADER = "V\t2\n\n";
  /** As Dovecot: a lock not changed for 30 s is stale; wait for it at most 120 s. */
  private static final Duration STALE = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(120);

  private Subscriptions() {}

  /** The subscribed folders of the Maildir {@code maildir}; none when it has no such file. */
  static Set<FolderPath> read(Path maildir) throws IOException {
    Set<FolderPath> out = new LinkedHashSet<>();
    Contents dovecot = Contents.of(maildir.resolve(FILE));
    if (dovecot != null) {
      for (String line : dovecot.lines()) {
        parse(line, dovecot.version()).ifPresent(out::add);
      }
      return out;
    }
    Contents courier = Contents.of(maildir.resolve(COURIER_FILE));
    if (courier != null) {
      for (String line : courier.lines()) {
        parse(line.startsWith("INBOX.") ? line.substring(6) : line, 1).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * Adds {@code folder} to the subscriptions of {@code maildir} (nothing if it is there): a
   * new file is version 2; an existing file keeps its version and its lines.
   */
  static void add(Path maildir, FolderPath folder, Ownership own) throws IOException {
    Path file = maildir.resolve(FILE);
    try (DotLock lock = DotLock.acquire(maildir.resolve(FILE + ".lock"), STALE, WAIT,
        Clock.systemUTC(), "the subscriptions of " + maildir + " (Dovecot may be changing them)")) {
      Contents old = Contents.of(file);
      int version = old == null ? 2 : old.version();
      List<String> lines = old == null ? new ArrayList<>() : new ArrayList<>(old.lines());
      for (String line : lines) {
        if (parse(line, version).filter(folder::equals).isPresent()) {
          return;
        }
      }
      lines.add(format(folder, version));
      StringBuilder text = new StringBuilder(version == 2 ? V2_HEADER : "");
      for (String line : lines) {
        text.append(line).append('\n');
      }
      own.replaceFile(file, maildir.resolve(FILE + ".mailops-" + ProcessHandle.current().pid()
          + ".tmp"), text, StandardOpenOption.SYNC);
    }
  }

  /** A subscriptions file read once: its version (2 with the header, else 1) and folder lines. */
  private record Contents(int version, List<String> lines) {

    /** The contents of {@code file}, empty lines left out; null when there is no such file. */
    static Contents of(Path file) throws IOException {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException absent) {
        return null;
      } catch (MalformedInputException e) {
        throw new MailStoreException("subscriptions file " + file + " is not UTF-8 text; let"
            + " Dovecot rewrite it (unsubscribe and subscribe a folder) or remove it", e);
      }
      int version = 1;
      if (text.startsWith(V2_HEADER)) {
        text = text.substring(V2_HEADER.length());
        version = 2;
      }
      List<String> lines = new ArrayList<>();
      for (String line : text.split("\n", -1)) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
      return new Contents(version, List.copyOf(lines));
    }
  }

  /** The folder a line names, or empty for one that names none (bad modified UTF-7, say). */
  static Optional<FolderPath> parse(String line, int version) {
    try {
      List<String> names = new ArrayList<>();
      for (String raw : version == 2 ? line.split("\t", -1) : line.split("\\.", -1)) {
        names.add(ModifiedUtf7.decode(version == 2 ? tabUnescape(raw) : raw));
      }
      if (names.size() == 1 && names.get(0).equalsIgnoreCase("INBOX")) {
        return Optional.of(FolderPath.INBOX);
      }
      return Optional.of(new FolderPath(names));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // Dovecot lists no folder for it either
    }
  }

  /** The line for {@code folder} in a file of {@code version}. */
  static String format(FolderPath folder, int version) {
    if (folder.isInbox()) {
      return "INBOX";
    }
    StringBuilder b = new StringBuilder();
    for (String name : folder.segments()) {
      if (b.length() > 0) {
        b.append(version == 2 ? '\t' : '.');
      }
      String enc = ModifiedUtf7.encode(name);
      b.append(version == 2 ? tabEscape(enc) : enc);
    }
    return b.toString();
  }

  /** Dovecot's {@code str_append_tabescaped}: 0x01, tab, CR and LF as 0x01 and 1, t, r, n. */
  static String tabEscape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\001' -> b.append("\0011");
        case '\t' -> b.append("\001t");
        case '\r' -> b.append("\001r");
        case '\n' -> b.append("\001n");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** The reverse of {@link #tabEscape}. */
  static String tabUnescape(String s) {
    if (s.indexOf('\001') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\001' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        b.append(switch (e) {
          case '1' -> '\001';
          case 't' -> '\t';
          case 'r' -> '\r';
          case 'n' -> '\n';
          default -> e;
        });
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
