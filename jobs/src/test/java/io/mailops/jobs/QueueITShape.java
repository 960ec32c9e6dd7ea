package io.mailops.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A qshape table as printed by {@code qshape} and {@code mailops queue stats}: the bucket labels
 * ({@code T 5 10 20 … 1280+}) and, per row ({@code TOTAL} and one per domain), the counts. Row
 * order is not kept in the comparison: qshape sorts equal counts in Perl hash order.
 */
record QueueITShape(List<String> buckets, Map<String, List<Long>> rows) {

  /**
   * Parses the text of a qshape table. The header is the line whose labels start with {@code T}
   * (anything before it, such as a column title, is dropped); every other non-blank line is a
   * row name followed by as many counts as there are labels.
   */
  static QueueITShape parse(String text) {
    List<String> buckets = null;
    Map<String, List<Long>> rows = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      List<String> tokens = Arrays.asList(line.strip().split("\\s+"));
      if (buckets == null) {
        int t = tokens.indexOf("T");
        if (t < 0) {
          throw new IllegalArgumentException("no qshape header (T 5 10 ...) in line '" + line
              + "' of:\n" + text);
        }
        buckets = List.copyOf(tokens.subList(t, tokens.size()));
        continue;
      }
      if (tokens.size() != buckets.size() + 1) {
        throw new IllegalArgumentException("row '" + line + "' has " + (tokens.size() - 1)
            + " counts for " + buckets.size() + " labels " + buckets + " in:\n" + text);
      }
      List<Long> counts = new ArrayList<>();
      for (String c : tokens.subList(1, tokens.size())) {
        try {
          counts.add(Long.parseLong(c));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("count '" + c + "' in row '" + line + "' is not a number in:\n"
              + text, e);
        }
      }
      if (rows.put(tokens.get(0), counts) != null) {
        throw new IllegalArgumentException("row " + tokens.get(0) + " twice in:\n" + text);
      }
    }
    if (buckets == null) {
      throw new IllegalArgumentException("empty qshape table: '" + text + "'");
    }
    return new QueueITShape(buckets, rows);
  }
}
