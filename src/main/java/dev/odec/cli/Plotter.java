package dev.odec.cli;

import dev.odec.runtime.InputError;
import dev.odec.solve.Solution;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws trajectories with JFreeChart (PNG) and JFreeSVG (SVG). Loaded only when --plot is given,
 * so plain runs do not pay for AWT.
 */
final class Plotter {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private Plotter() {}

  static void checkFormat(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (!n.endsWith(".svg") && !n.endsWith(".png")) {
      throw InputError.usage("--plot " + file + ": the file must end in .svg or .png");
    }
  }

  /**
   * Colours that read on white and stay apart for colour-blind readers (Okabe and Ito's palette,
   * without its yellow), then darker variants.
   */
  static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7), new Color(0xE69F00),
    new Color(0x56B4E9), new Color(0x000000), new Color(0x7F3C8D), new Color(0x11A579), new Color(0x3969AC),
  };

  /**
   * What a time course shows: the state components drawn ({@code shown}, indices into the
   * solution's columns), log axes, and measurements drawn as markers over their curves
   * ({@code measured[k]}: times and values for shown series k, or null).
   */
  record Curves(int[] shown, boolean logX, boolean logY, double[][][] measured) {}

  /**
   * Draws the chosen states against time into {@code out}, as SVG or PNG after {@code file}'s
   * name; returns how many points a log axis could not show (values at or below zero).
   */
  static int plotStates(OutputStream out, Path file, String title, Solution sol, List<String> names, Curves c)
      throws IOException {
    int[] dropped = {0};
    JFreeChart chart = statesChart(title, sol, names, c, dropped);
    writePanels(List.of(chart), 1, WIDTH, HEIGHT, file, out);
    return dropped[0];
  }

  /** The chart of {@link #plotStates}; {@code dropped[0]} counts the points a log axis cannot show. */
  static JFreeChart statesChart(String title, Solution sol, List<String> names, Curves c, int[] dropped) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (int k = 0; k < c.shown().length; k++) {
      int j = c.shown()[k];
      XYSeries s = new XYSeries(names.get(j), false, true);
      for (int i = 0; i < sol.times.length; i++) {
        if (c.logX() && !(sol.times[i] > 0) || c.logY() && !(sol.states[i][j] > 0)) {
          dropped[0]++;
          continue;
        }
        s.add(sol.times[i], sol.states[i][j]);
      }
      data.addSeries(s);
    }
    int series = c.shown().length;
    java.util.List<Integer> markerColour = new java.util.ArrayList<>();
    for (int k = 0; k < series; k++) {
      double[][] m = c.measured() == null ? null : c.measured()[k];
      if (m == null) continue;
      XYSeries s = new XYSeries(names.get(c.shown()[k]) + " (data)", false, true);
      for (int i = 0; i < m[0].length; i++) {
        if (Double.isNaN(m[1][i]) || c.logX() && !(m[0][i] > 0) || c.logY() && !(m[1][i] > 0)) continue;
        s.add(m[0][i], m[1][i]);
      }
      data.addSeries(s);
      markerColour.add(k);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "time", "value", data, PlotOrientation.VERTICAL,
        true, false, false);
    style(chart);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    for (int k = 0; k < series; k++) {
      r.setSeriesStroke(k, new BasicStroke(2f));
      r.setSeriesPaint(k, PALETTE[k % PALETTE.length]);
    }
    for (int i = 0; i < markerColour.size(); i++) {
      int k = series + i;
      r.setSeriesLinesVisible(k, false);
      r.setSeriesShapesVisible(k, true);
      r.setSeriesShape(k, new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
      r.setSeriesPaint(k, PALETTE[markerColour.get(i) % PALETTE.length]);
    }
    plot.setRenderer(r);
    if (c.logX()) plot.setDomainAxis(logAxis("time"));
    if (c.logY()) plot.setRangeAxis(logAxis("value"));
    return chart;
  }

  private static org.jfree.chart.axis.LogAxis logAxis(String label) {
    org.jfree.chart.axis.LogAxis a = new org.jfree.chart.axis.LogAxis(label);
    a.setSmallestValue(1e-300);
    a.setNumberFormatOverride(new java.text.DecimalFormat("0.#E0"));
    return a;
  }

  /**
   * Points of a 2-D flow coloured by their log-density (blue low, yellow high): samples of
   * {@code generate}, or the points of {@code density} — a grid of points gives a heat map —
   * written to {@code out} as SVG or PNG after {@code file}'s name.
   */
  static void plotDensity(OutputStream out, Path file, String title, List<String> axes, double[][] points,
      double[] logp) throws IOException {
    org.jfree.data.xy.DefaultXYZDataset data = new org.jfree.data.xy.DefaultXYZDataset();
    int count = 0;
    for (double v : logp) count += Double.isFinite(v) ? 1 : 0;
    double[][] xyz = new double[3][count];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int k = 0;
    for (int i = 0; i < logp.length; i++) {
      if (!Double.isFinite(logp[i])) continue;
      xyz[0][k] = points[i][0];
      xyz[1][k] = points[i][1];
      xyz[2][k++] = logp[i];
      lo = Math.min(lo, logp[i]);
      hi = Math.max(hi, logp[i]);
    }
    if (!(hi > lo)) hi = lo + 1;
    data.addSeries("logp", xyz);
    org.jfree.chart.axis.NumberAxis xAxis = new org.jfree.chart.axis.NumberAxis(axes.get(0));
    org.jfree.chart.axis.NumberAxis yAxis = new org.jfree.chart.axis.NumberAxis(axes.get(1));
    xAxis.setAutoRangeIncludesZero(false);
    yAxis.setAutoRangeIncludesZero(false);
    org.jfree.chart.renderer.xy.XYShapeRenderer r = new org.jfree.chart.renderer.xy.XYShapeRenderer();
    org.jfree.chart.renderer.LookupPaintScale scale = new org.jfree.chart.renderer.LookupPaintScale(lo, hi, Color.GRAY);
    for (int i = 0; i <= 32; i++) {
      float u = i / 32f;
      scale.add(lo + (hi - lo) * u, new Color(Color.HSBtoRGB(0.66f - 0.5f * u, 0.85f, 0.35f + 0.6f * u)));
    }
    r.setPaintScale(scale);
    r.setDefaultShape(new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
    XYPlot plot = new XYPlot(data, xAxis, yAxis, r);
    JFreeChart chart = new JFreeChart(title, plot);
    chart.removeLegend();
    org.jfree.chart.axis.NumberAxis legendAxis = new org.jfree.chart.axis.NumberAxis("log p");
    org.jfree.chart.title.PaintScaleLegend legend = new org.jfree.chart.title.PaintScaleLegend(scale, legendAxis);
    legend.setPosition(org.jfree.chart.ui.RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 40, 4);
    chart.addSubtitle(legend);
    style(chart);
    writePanels(List.of(chart), 1, WIDTH, HEIGHT, file, out);
  }

  /**
   * Charts drawn as panels of one figure, {@code cols} per row, each w × h, written to {@code out}
   * as SVG or PNG after {@code file}'s name (the caller owns the file: see {@link OutputFiles}).
   */
  static void writePanels(List<JFreeChart> charts, int cols, int w, int h, Path file, OutputStream out)
      throws IOException {
    int rows = (charts.size() + cols - 1) / cols;
    int width = cols * w;
    int height = rows * h;
    if (file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".svg")) {
      SVGGraphics2D g = new SVGGraphics2D(width, height);
      draw(charts, cols, w, h, g);
      out.write(g.getSVGDocument().getBytes(StandardCharsets.UTF_8));
    } else {
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height,
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = img.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      draw(charts, cols, w, h, g);
      g.dispose();
      // encoded in memory: ImageIO's default file cache writes to the temp folder and reports a
      // failure there (a full disk) from its own thread, with a stack trace
      ImageIO.setUseCache(false);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(img, "png", png);
      png.writeTo(out);
    }
  }

  private static void draw(List<JFreeChart> charts, int cols, int w, int h, java.awt.Graphics2D g) {
    for (int i = 0; i < charts.size(); i++) {
      charts.get(i).draw(g, new java.awt.Rectangle((i % cols) * w, (i / cols) * h, w, h));
    }
  }

  /** White background and light grid lines, as every odec chart has them. */
  static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(220, 220, 220));
    plot.setRangeGridlinePaint(new Color(220, 220, 220));
  }
}
