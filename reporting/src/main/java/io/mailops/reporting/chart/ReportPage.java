package io.mailops.reporting.chart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A directory an admin opens in a browser: every chart as {@code NAME.png} (and {@code NAME.svg}
 * when asked), and an {@code index.html} that shows them by group, followed by the summary tables.
 * The page is self-contained (inline style, no scripts, no external resources) and escapes every
 * text it shows. Existing files of the same names are replaced; other files are left alone.
 */
public final class ReportPage {

  private static final String STYLE = "body{font-family:sans-serif;margin:1.5em;color:#222}"
      + "figure{display:inline-block;margin:0 1em 1em 0}figcaption{font-size:90%;color:#555}"
      + "table{border-collapse:collapse;margin:0 1.5em 1.5em 0;display:inline-table;vertical-align:top}"
      + "caption{font-weight:bold;text-align:left;padding:.3em 0}"
      + "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left}td.n{text-align:right}";

  private final ChartRenderer renderer;

  /** A page whose charts {@code renderer} draws. */
  public ReportPage(ChartRenderer renderer) {
    this.renderer = renderer;
  }

  /**
   * The charts of {@code group}, or all of them for {@code null}; fails when the group has none,
   * naming the groups there are.
   */
  public static List<ChartSpec> select(List<ChartSpec> charts, String group) {
    if (group == null) {
      return charts;
    }
    List<ChartSpec> in = charts.stream().filter(c -> c.group().equals(group)).toList();
    if (in.isEmpty()) {
      TreeSet<String> groups = new TreeSet<>();
      charts.forEach(c -> groups.add(c.group()));
      throw new IllegalArgumentException("no chart in group '" + group + "'; " + (groups.isEmpty()
          ? "no charts are defined (mailops.report.charts)" : "the groups are " + String.join(", ", groups)));
    }
    return in;
  }

  /**
   * Writes {@code charts} and {@code index.html} titled {@code title} into {@code dir} (made if
   * missing), with {@code tables} below the charts; returns the files written, index last.
   */
  public List<Path> write(Path dir, String title, List<ChartSpec> charts, List<SummaryTable> tables, boolean svg,
      Instant generated) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Map<String, List<ChartSpec>> byGroup = new LinkedHashMap<>();
    for (ChartSpec c : charts) {
      byGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
      Path png = dir.resolve(c.name() + ".png");
      renderer.write(c, png);
      written.add(png);
      if (svg) {
        Path file = dir.resolve(c.name() + ".svg");
        renderer.write(c, file);
        written.add(file);
      }
    }
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
        .append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<h1>").append(esc(title))
        .append("</h1>\n<p>Generated ").append(esc(generated.toString())).append(".</p>\n");
    for (Map.Entry<String, List<ChartSpec>> g : byGroup.entrySet()) {
      b.append("<h2>").append(esc(g.getKey())).append("</h2>\n");
      for (ChartSpec c : g.getValue()) {
        b.append("<figure><img src=\"").append(esc(c.name())).append(".png\" width=\"").append(renderer.width())
            .append("\" height=\"").append(renderer.height()).append("\" alt=\"").append(esc(c.title()))
            .append("\"><figcaption>").append(esc(c.title()));
        if (svg) {
          b.append(" (<a href=\"").append(esc(c.name())).append(".svg\">SVG</a>)");
        }
        b.append("</figcaption></figure>\n");
      }
    }
    if (!tables.isEmpty()) {
      b.append("<h2>Summary</h2>\n");
    }
    for (SummaryTable t : tables) {
      table(b, t);
    }
    b.append("</body>\n</html>\n");
    Path index = dir.resolve("index.html");
    Path tmp = dir.resolve(".index.html.tmp");
    try {
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    written.add(index);
    return written;
  }

  private static void table(StringBuilder b, SummaryTable t) {
    b.append("<table>\n<caption>").append(esc(t.title())).append("</caption>\n<tr>");
    t.header().forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr>\n");
    if (t.rows().isEmpty()) {
      b.append("<tr><td colspan=\"").append(t.header().size()).append("\">none</td></tr>\n");
    }
    for (List<String> row : t.rows()) {
      b.append("<tr>");
      for (String cell : row) {
        b.append(cell.matches("-?[0-9][0-9.,]*") ? "<td class=\"n\">" : "<td>").append(esc(cell)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  /** {@code s} with {@code & < > " '} escaped for HTML text and attribute values. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
