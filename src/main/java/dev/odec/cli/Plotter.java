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
import org.jfree.chart.ChartUtils;
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

  /** Draws every state against time into {@code out}, as SVG or PNG after {@code file}'s name. */
  static void plotStates(OutputStream out, Path file, String title, Solution sol, List<String> names) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (int j = 0; j < names.size(); j++) {
      XYSeries s = new XYSeries(names.get(j), false, true);
      for (int i = 0; i < sol.times.length; i++) s.add(sol.times[i], sol.states[i][j]);
      data.addSeries(s);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "time", "value", data, PlotOrientation.VERTICAL,
        true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(220, 220, 220));
    plot.setRangeGridlinePaint(new Color(220, 220, 220));
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    for (int j = 0; j < names.size(); j++) r.setSeriesStroke(j, new BasicStroke(2f));
    plot.setRenderer(r);
    write(chart, file, out);
  }

  private static void write(JFreeChart chart, Path file, OutputStream out) throws IOException {
    if (file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".svg")) {
      SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
      chart.draw(g, new java.awt.Rectangle(0, 0, WIDTH, HEIGHT));
      out.write(g.getSVGDocument().getBytes(StandardCharsets.UTF_8));
    } else {
      // encoded in memory: ImageIO's default file cache writes to the temp folder and reports a
      // failure there (a full disk) from its own thread, with a stack trace
      ImageIO.setUseCache(false);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
      png.writeTo(out);
    }
  }
}
