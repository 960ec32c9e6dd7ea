package io.mailops.jobs.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain text table: left-aligned text, right-aligned numbers, two spaces between columns. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] numeric;

  Table(String... header) {
    rows.add(header);
    numeric = new boolean[header.length];
  }

  Table numeric(int... columns) {
    for (int c : columns) {
      numeric[c] = true;
    }
    return this;
  }

  Table row(Object... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = String.valueOf(cells[i]);
    }
    rows.add(r);
    return this;
  }

  void print(PrintWriter out) {
    int[] w = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], width(r[i]));
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        int pad = w[i] - width(r[i]);
        if (i > 0) {
          b.append("  ");
        }
        if (numeric[i]) {
          b.append(" ".repeat(pad)).append(r[i]);
        } else {
          b.append(r[i]).append(i == r.length - 1 ? "" : " ".repeat(pad));
        }
      }
      out.println(b.toString().stripTrailing());
    }
  }

  /** Terminal columns of {@code s}: East Asian wide characters take two. */
  static int width(String s) {
    return s.codePoints().map(c -> (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF)
        || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F)
        || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF)
        || (c >= 0x20000 && c <= 0x3FFFD) ? 2 : 1).sum();
  }

  /** 1536 → "1.5 KiB". */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
