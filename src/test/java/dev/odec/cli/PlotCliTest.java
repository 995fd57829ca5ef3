package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run --plot: the states chosen, log axes, measurements over the curves, curves sampled densely. */
class PlotCliTest {

  /** A legend entry or tick label as JFreeSVG writes it: the text of an SVG text element. */
  private static boolean hasText(String svg, String text) {
    return svg.contains(">" + text + "</text>");
  }

  @Test
  void plotVarsChoosesTheStatesDrawn(@TempDir Path dir) throws IOException {
    Path svg = dir.resolve("l.svg");
    CliTest.Result r = CliTest.run("run", "examples/lorenz.ode", "--t1", "30", "--plot", svg.toString(), "--plot-vars", "x,z");
    assertEquals(0, r.code(), r.err());
    String s = Files.readString(svg);
    assertTrue(hasText(s, "x") && hasText(s, "z"), "legend has x and z");
    assertFalse(hasText(s, "y"), "y is not drawn");
  }

  @Test
  void anUnknownPlotVarIsNamedWithTheStates(@TempDir Path dir) {
    CliTest.Result r = CliTest.run("run", "examples/lorenz.ode", "--t1", "30", "--plot", dir.resolve("l.svg").toString(),
        "--plot-vars", "xx");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--plot-vars: the model has no state 'xx'") && r.err().contains("its states are x, y, z"),
        r.err());
  }

  @Test
  void logAxesShowRobertsonsSixteenDecades(@TempDir Path dir) throws IOException {
    Path svg = dir.resolve("r.svg");
    CliTest.Result r = CliTest.run("run", "examples/stiff/robertson.ode", "--t1", "1e11", "--saveat", "1e11", "--atol",
        "1e-14", "--plot", svg.toString(), "--log-x", "--log-y");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.size(svg) > 0);
    assertTrue(r.err().contains("at or below zero are not on the logarithmic axes"), r.err());
  }

  /** The chart itself: logarithmic axes spanning what the curves hold, zero values left out. */
  @Test
  void logAxesSpanTheCurves() {
    double[] times = RunCommand.plotTimes(0, 1e11, true);
    double[][] states = new double[times.length][];
    for (int i = 0; i < times.length; i++) states[i] = new double[] {Math.exp(-times[i] * 1e-9), times[i] == 0 ? 0 : 1e-13};
    int[] dropped = {0};
    var chart = Plotter.statesChart("t", new dev.odec.solve.Solution(times, states, new dev.odec.solve.Stats()),
        java.util.List.of("a", "b"), new Plotter.Curves(new int[] {0, 1}, true, true, null), dropped);
    var plot = chart.getXYPlot();
    assertTrue(plot.getDomainAxis() instanceof org.jfree.chart.axis.LogAxis, "log time axis");
    assertTrue(plot.getRangeAxis() instanceof org.jfree.chart.axis.LogAxis, "log value axis");
    assertTrue(plot.getDomainAxis().getLowerBound() <= 1e-5 && plot.getDomainAxis().getUpperBound() >= 1e11,
        "time axis " + plot.getDomainAxis().getRange());
    assertTrue(plot.getRangeAxis().getLowerBound() <= 1e-13, "value axis " + plot.getRangeAxis().getRange());
    assertEquals(2, dropped[0], "t = 0 of both curves");
    assertEquals(times.length - 1, plot.getDataset().getItemCount(0));
  }

  @Test
  void measurementsAreDrawnOverTheirStates(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("d.csv");
    Files.writeString(data, "time,prey,pred,foo\n0,1,1,3\n2,3.5,0.6,1\n5,0.5,2,\n");
    Path svg = dir.resolve("lv.svg");
    CliTest.Result r = CliTest.run("run", "examples/lotka_volterra.ode", "--t1", "10", "--plot", svg.toString(),
        "--data", data.toString());
    assertEquals(0, r.code(), r.err());
    String s = Files.readString(svg);
    assertTrue(hasText(s, "prey (data)") && hasText(s, "pred (data)"), "data series in the legend");
    assertTrue(r.err().contains("column 'foo' of " + data + " names no state; it is not drawn"), r.err());
    // an output never replaces --data
    CliTest.Result over = CliTest.run("run", "examples/lotka_volterra.ode", "--t1", "10", "--plot", svg.toString(),
        "--data", data.toString(), "--out", data.toString(), "--force");
    assertEquals(2, over.code(), over.err());
    assertTrue(Files.readString(data).startsWith("time,prey,pred,foo"));
  }

  @Test
  void figureOptionsNeedPlot() {
    CliTest.Result r = CliTest.run("run", "examples/lotka_volterra.ode", "--t1", "10", "--log-y");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--log-y shapes the figure of --plot"), r.err());
  }

  @Test
  void curvesAreSampledIndependentlyOfSaveat() {
    double[] lin = RunCommand.plotTimes(0, 30, false);
    assertEquals(RunCommand.PLOT_POINTS, lin.length);
    assertEquals(0.0, lin[0]);
    assertEquals(30.0, lin[lin.length - 1]);
    assertEquals(0.03, lin[1], 1e-15);
    double[] log = RunCommand.plotTimes(0, 1e11, true);
    assertEquals(0.0, log[0]);
    assertEquals(1e-5, log[1], 1e-20);
    assertEquals(1e11, log[log.length - 1]);
    double ratio = log[2] / log[1];
    for (int i = 2; i < log.length; i++) assertEquals(ratio, log[i] / log[i - 1], 1e-9 * ratio);
  }
}
