package io.mailops.storage.maildir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Dovecot's {@code dovecot-keywords}: lines {@code <index> <keyword>}, index 0..25 standing for
 * the file-name letters a..z ({@code maildir-keywords.c}).
 */
final class KeywordFile {

  static final String FILE = "dovecot-keywords";
  static final int MAX = 26;

  private final String[] names;

  private KeywordFile(String[] names) {
    this.names = names;
  }

  static KeywordFile empty() {
    return new KeywordFile(new String[MAX]);
  }

  /**
   * Reads the file of a folder directory; empty if there is none.
   *
   * @throws IllegalArgumentException naming the line, if it is broken
   */
  static KeywordFile read(Path folderDir) throws IOException {
    String[] names = new String[MAX];
    BufferedReader in;
    try {
      in = Files.newBufferedReader(folderDir.resolve(FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new KeywordFile(names);
    }
    try (in) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        int sp = line.indexOf(' ');
        int idx;
        try {
          idx = sp < 0 ? -1 : Integer.parseInt(line.substring(0, sp));
        } catch (NumberFormatException e) {
          idx = -1;
        }
        if (idx < 0 || idx >= MAX || sp == line.length() - 1) {
          throw new IllegalArgumentException("line " + n + ": expected '<0..25> <keyword>', got '" + line + "'");
        }
        names[idx] = line.substring(sp + 1);
      }
    }
    return new KeywordFile(names);
  }

  /** The keyword of a letter index, or null if the file does not define it. */
  String name(int index) {
    return index >= 0 && index < MAX ? names[index] : null;
  }

  /** The index of a keyword, or -1. */
  int indexOf(String keyword) {
    for (int i = 0; i < MAX; i++) {
      if (keyword.equals(names[i])) {
        return i;
      }
    }
    return -1;
  }

  /** A copy with {@code keyword} given the first free index; -1 in {@code out[0]} if full. */
  KeywordFile with(String keyword, int[] out) {
    String[] copy = Arrays.copyOf(names, MAX);
    for (int i = 0; i < MAX; i++) {
      if (copy[i] == null) {
        copy[i] = keyword;
        out[0] = i;
        return new KeywordFile(copy);
      }
    }
    out[0] = -1;
    return this;
  }

  /** The file's content as Dovecot writes it. */
  String render() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < MAX; i++) {
      if (names[i] != null) {
        b.append(i).append(' ').append(names[i]).append('\n');
      }
    }
    return b.toString();
  }
}
