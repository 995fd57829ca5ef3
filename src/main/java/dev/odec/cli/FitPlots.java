package dev.odec.cli;

import dev.odec.infer.DataSet;
import dev.odec.infer.optim.Fit;
import dev.odec.infer.optim.FitProblem;
import dev.odec.infer.optim.MultiStart;
import dev.odec.infer.optim.Profile;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Backends;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.LazyJacobian;
import dev.odec.runtime.Parameters;
import dev.odec.sens.ForwardSensitivity;
import dev.odec.solve.Integrator;
import dev.odec.solve.Solution;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The figures of {@code fit --plot} and {@code profile --plot} (JFreeChart, through
 * {@link Plotter}): per experiment, the data with error bars of one noise standard deviation
 * (normal: y ± σ; lognormal: y·e^{±σ}; poisson: y ± √λ) and the fitted observables' means; the
 * waterfall of the sorted start objectives; the profiles with their 95 % threshold.
 */
final class FitPlots {
  private static final int W = 520;
  private static final int H = 380;
  private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
      new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
      new Color(127, 127, 127)};

  private FitPlots() {}

  static void fit(Path file, OutputStream to, FitProblem fp, Fit.Result result) throws IOException {
    List<JFreeChart> charts = new ArrayList<>();
    double[] p = fp.space.toP(result.theta());
    OdeSystem sys = fp.system;
    // the noise scale at each data point, from the arguments of its distribution at the optimum
    Map<DataSet.Observation, double[]> args = new HashMap<>();
    try {
      for (ForwardSensitivity.ObservedArgument a : new ForwardSensitivity(false).observedArguments(fp.problem(p, fp.data)).items()) {
        args.put(a.observation(), new double[] {a.a(), a.b()});
      }
    } catch (RuntimeException e) {
      args.clear(); // no error bars rather than no figure
    }
    CompiledModel cm = new CompiledModel(sys, Backends.byName("jvm"));
    List<String> derived = sys.derivedNames();
    List<String> columns = dev.odec.sens.GradientProblem.observationColumns(sys);
    for (String id : fp.data.experiments()) {
      double[] pe = fp.conditions == null ? p : Parameters.forExperiment(sys, p, fp.conditions.overrides(id), null);
      double[] times = RunCommand.linspace(fp.t0, fp.t1, 201);
      Solution sol = Integrator.of(fp.method, sys.stateSize(), new LazyJacobian(() -> cm.jacobian(pe)))
          .solve(cm.rhs(pe), fp.t0, cm.initialState(pe), times, fp.options, null);
      XYSeriesCollection lines = new XYSeriesCollection();
      YIntervalSeriesCollection points = new YIntervalSeriesCollection();
      double[] out = new double[cm.derivedSize()];
      List<String> observed = new ArrayList<>();
      for (DataSet.Observation o : fp.data.observations(id)) if (!observed.contains(o.columnName())) observed.add(o.columnName());
      observed.sort(java.util.Comparator.comparingInt(columns::indexOf));
      for (String col : observed) {
        int di = derived.indexOf(col);
        XYSeries s = new XYSeries(col + " (fit)", false, true);
        for (int i = 0; i < sol.times.length && di >= 0; i++) {
          cm.derived(sol.times[i], sol.states[i], pe, out);
          s.add(sol.times[i], out[di]);
        }
        lines.addSeries(s);
        YIntervalSeries d = new YIntervalSeries(col);
        for (DataSet.Observation o : fp.data.observations(id)) {
          if (!o.columnName().equals(col)) continue;
          double y = o.value();
          double[] ab = args.get(o);
          double lo = y;
          double hi = y;
          if (ab != null) {
            String dist = distOf(sys, col);
            if (dist.equals("lognormal")) {
              lo = y * Math.exp(-ab[1]);
              hi = y * Math.exp(ab[1]);
            } else if (dist.equals("poisson")) {
              lo = y - Math.sqrt(ab[0]);
              hi = y + Math.sqrt(ab[0]);
            } else {
              lo = y - ab[1];
              hi = y + ab[1];
            }
          }
          d.add(o.time(), y, lo, hi);
        }
        points.addSeries(d);
      }
      JFreeChart chart = ChartFactory.createXYLineChart(id.isEmpty() ? sys.name() : "experiment " + id, "time", "value",
          lines, PlotOrientation.VERTICAL, true, false, false);
      Plotter.style(chart);
      XYPlot plot = chart.getXYPlot();
      XYLineAndShapeRenderer lr = new XYLineAndShapeRenderer(true, false);
      XYErrorRenderer er = new XYErrorRenderer();
      er.setDrawXError(false);
      for (int k = 0; k < observed.size(); k++) {
        Color c = COLORS[k % COLORS.length];
        lr.setSeriesPaint(k, c);
        lr.setSeriesStroke(k, new BasicStroke(2f));
        er.setSeriesPaint(k, c);
        er.setSeriesLinesVisible(k, false);
        er.setSeriesShapesVisible(k, true);
      }
      er.setErrorPaint(Color.GRAY);
      plot.setRenderer(0, lr);
      plot.setDataset(1, points);
      plot.setRenderer(1, er);
      charts.add(chart);
    }
    charts.add(waterfall(result));
    Plotter.writePanels(charts, Math.min(3, charts.size()), W, H, file, to);
  }

  private static String distOf(OdeSystem sys, String column) {
    String name = column.contains("[") ? column.substring(0, column.indexOf('[')) : column;
    for (OdeSystem.Observable o : sys.observables()) if (o.name().equals(name)) return o.dist();
    return "normal";
  }

  /** Start objectives sorted, as objective − best + 1 on a log axis (so the best start sits at 1). */
  private static JFreeChart waterfall(Fit.Result result) {
    List<Double> objs = new ArrayList<>();
    for (MultiStart.StartResult s : result.starts()) if (!s.failed()) objs.add(s.result().objective());
    objs.sort(Double::compare);
    XYSeries s = new XYSeries("starts", false, true);
    for (int i = 0; i < objs.size(); i++) s.add(i + 1, objs.get(i) - result.objective() + 1);
    JFreeChart chart = ChartFactory.createXYLineChart("waterfall (" + objs.size() + " of " + result.starts().size()
        + " starts)", "start, sorted by objective", "objective - best + 1", new XYSeriesCollection(s),
        PlotOrientation.VERTICAL, false, false, false);
    Plotter.style(chart);
    XYPlot plot = chart.getXYPlot();
    LogAxis axis = new LogAxis("objective - best + 1");
    axis.setSmallestValue(1e-3);
    plot.setRangeAxis(axis);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, COLORS[0]);
    plot.setRenderer(r);
    return chart;
  }

  /** One panel per profiled parameter: objective − optimum against its value, the threshold dashed. */
  static void profiles(Path file, OutputStream out, FitProblem fp, List<Profile.Result> profiles, double optimum)
      throws IOException {
    List<JFreeChart> charts = new ArrayList<>();
    for (Profile.Result pr : profiles) {
      var comp = fp.space.components().get(pr.index());
      XYSeries s = new XYSeries(comp.name(), false, true);
      for (Profile.Point pt : pr.points()) s.add(fp.space.natural(pr.index(), pt.value()), pt.objective() - optimum);
      JFreeChart chart = ChartFactory.createXYLineChart("profile of " + comp.name(), comp.name(),
          "objective - optimum", new XYSeriesCollection(s), PlotOrientation.VERTICAL, false, false, false);
      Plotter.style(chart);
      XYPlot plot = chart.getXYPlot();
      if (!comp.scale().equals("lin")) {
        LogAxis x = new LogAxis(comp.name());
        plot.setDomainAxis(x);
      }
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
      r.setSeriesPaint(0, COLORS[0]);
      plot.setRenderer(r);
      ValueMarker m = new ValueMarker(pr.threshold());
      m.setPaint(COLORS[3]);
      m.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      plot.addRangeMarker(m);
      charts.add(chart);
    }
    Plotter.writePanels(charts, Math.min(3, charts.size()), W, H, file, out);
  }
}
