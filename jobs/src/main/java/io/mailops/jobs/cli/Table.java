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
        w[i] = Math.max(w[i], r[i].codePointCount(0, r[i].length()));
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        int pad = w[i] - r[i].codePointCount(0, r[i].length());
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
