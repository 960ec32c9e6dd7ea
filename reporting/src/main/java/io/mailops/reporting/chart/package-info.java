/**
 * Charts of the collected minute samples: a {@link io.mailops.reporting.chart.ChartSpec} (what to
 * draw), {@link io.mailops.reporting.chart.ChartRenderer} (PNG through JFreeChart, SVG through
 * Apache Batik, series downsampled to about one point per pixel), {@link
 * io.mailops.reporting.chart.ReportPage} (a directory of charts with an {@code index.html}),
 * {@link io.mailops.reporting.chart.ChartSettings} (chart definitions from the configuration) and
 * {@link io.mailops.reporting.chart.CsvSeriesSource} (samples from an exported CSV file).
 *
 * <p>Rendering needs no display: run with {@code -Djava.awt.headless=true} (the command line
 * sets it) and at least one font installed (fontconfig with DejaVu on Debian).
 */
package io.mailops.reporting.chart;
