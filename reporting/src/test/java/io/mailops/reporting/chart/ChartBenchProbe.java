package io.mailops.reporting.chart;

import io.mailops.reporting.series.ScopeRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The chart benchmark of {@code bench/report-chart.sh}: renders a 30-day chart of 4 parameters
 * from 43,200 minute samples each (in memory) as PNG and SVG, and prints the first (cold) and the
 * median and best warm times, the median CPU time of the rendering thread (steadier on a busy
 * machine), and the sizes; {@code read} is the reading and downsampling alone. Not a test: a timing print, run by the script.
 */
public final class ChartBenchProbe {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ChartBenchProbe() {}

  /** {@code [RUNS [WIDTH HEIGHT]]}. */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int width = args.length > 2 ? Integer.parseInt(args[1]) : ChartRenderer.DEFAULT_WIDTH;
    int height = args.length > 2 ? Integer.parseInt(args[2]) : ChartRenderer.DEFAULT_HEIGHT;
    PrintStream out = System.out;
    MemorySeriesSource source = MemorySeriesSource.waves(ChartRendererTest.START, ChartRendererTest.MONTH,
        ChartRendererTest.PARAMS);
    List<ChartSpec.Series> series = Stream.of(ChartRendererTest.PARAMS)
        .map(p -> ChartSpec.Series.of(p, ScopeRef.SERVER)).toList();
    ChartSpec spec = new ChartSpec("bench", null, "30 days, 4 parameters", series, ChartType.LINE, null, null,
        ChartRendererTest.START, ChartRendererTest.START.plus(Duration.ofDays(30)), null);
    ChartRenderer r = new ChartRenderer(source, width, height, ZoneOffset.UTC);
    out.printf("chart: 30 days x 4 parameters = %,d minute samples, %dx%d px, step %d min%n",
        4 * ChartRendererTest.MONTH, width, height, ChartRenderer.step(spec, width).toMinutes());
    for (String format : new String[] {"read", "png", "svg"}) {
      double[] ms = new double[runs];
      double[] cpu = new double[runs];
      int size = 0;
      for (int i = 0; i < runs; i++) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        if (format.equals("read")) {
          size = r.read(spec).stream().mapToInt(p -> p.points().size()).sum();
        } else if (format.equals("png")) {
          r.writePng(spec, buf);
          size = buf.size();
        } else {
          r.writeSvg(spec, buf);
          size = buf.size();
        }
        ms[i] = (System.nanoTime() - t0) / 1e6;
        cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
      }
      double cold = ms[0];
      double[] warm = Arrays.copyOfRange(ms, Math.min(1, runs - 1), runs);
      Arrays.sort(warm);
      double[] warmCpu = Arrays.copyOfRange(cpu, Math.min(1, runs - 1), runs);
      Arrays.sort(warmCpu);
      out.printf("%s: first %.0f ms, warm median %.0f ms, best %.0f ms, warm median CPU %.0f ms (%d runs), %,d %s%n",
          format, cold, warm[warm.length / 2], warm[0], warmCpu[warmCpu.length / 2], runs, size,
          format.equals("read") ? "points drawn" : "bytes");
    }
    out.printf("at %s%n", Instant.now());
  }
}
