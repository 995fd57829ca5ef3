package dev.odec.cli;

import com.google.common.base.Stopwatch;
import dev.odec.api.Model;
import dev.odec.api.ParameterValues;
import dev.odec.api.Simulator;
import dev.odec.api.SolverSettings;
import dev.odec.api.SolverStats;
import dev.odec.api.State;
import dev.odec.api.SteadyStateResult;
import dev.odec.api.Trajectory;
import dev.odec.ir.OdeSystem;
import dev.odec.infer.EnsembleFile;
import dev.odec.runtime.Backends;
import dev.odec.runtime.Ensemble;
import dev.odec.runtime.EnsembleRunner;
import dev.odec.runtime.EnsembleSolution;
import dev.odec.runtime.BatchEnsemble;
import dev.odec.runtime.JvmEnsemble;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.InputError;
import dev.odec.runtime.MemoryBudget;
import dev.odec.solve.Method;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.Stats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code odec run}: solve forward and print the trajectory as CSV. A single trajectory and
 * {@code --steady-state} are computed through the Java API ({@code dev.odec.api}); ensembles and
 * the native backends are not yet.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Solve a model forward in time and print the trajectory as CSV.")
final class RunCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Mixin SolverOptionsMixin solve;
  @CommandLine.Mixin NativeOptionsMixin nativeOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--ensemble", paramLabel = "FILE.csv|N",
      description = "Solve many members: one per row of FILE (columns named like --set names), or N drawn from the "
          + "params' priors or bounds with --seed. The CSV gains a first column 'member'.")
  String ensemble;

  @CommandLine.Option(names = "--t1", paramLabel = "T", description = "End time (required unless --steady-state; for a PEtab problem the last measurement time by default).")
  Double t1;

  @CommandLine.Option(names = "--steady-state",
      description = "Print the steady state the model settles to from its initial state (one row, time inf).")
  boolean steadyState;

  @CommandLine.Option(names = "--t0", paramLabel = "T0", defaultValue = "0", description = "Start time (default 0).")
  double t0;

  @CommandLine.Option(names = "--saveat", paramLabel = "SPEC",
      description = "Output times: START:STEP:STOP or a comma list (default: 101 points on [t0, t1]).")
  String saveat;

  @CommandLine.Option(names = "--derived", description = "Add the lets and the observables' means as columns.")
  boolean derived;

  @CommandLine.Option(names = "--stats", description = "Print solver statistics to stderr.")
  boolean stats;

  @CommandLine.Option(names = "--repeat", paramLabel = "N", defaultValue = "0",
      description = "Solve N more times after one untimed warm-up; --stats reports the median wall_ms.")
  int repeat;

  @CommandLine.Option(names = "--out", paramLabel = "FILE.csv", description = "Write the CSV here instead of stdout.")
  Path out;

  @CommandLine.Option(names = "--plot", paramLabel = "FILE.svg|FILE.png",
      description = "Draw the states against time (sampled densely, whatever --saveat says).")
  Path plot;

  @CommandLine.Option(names = "--plot-vars", paramLabel = "NAME", split = ",",
      description = "The states (or state components, e.g. z[1]) --plot draws (default: all).")
  List<String> plotVars;

  @CommandLine.Option(names = "--log-x", description = "--plot with a logarithmic time axis.")
  boolean logX;

  @CommandLine.Option(names = "--log-y", description = "--plot with a logarithmic value axis (values <= 0 are left out).")
  boolean logY;

  @CommandLine.Option(names = "--data", paramLabel = "FILE.csv",
      description = "Measurements drawn as points over --plot's curves: a time column and columns named like states.")
  Path data;

  /** Points of the curves --plot draws (a solve of their own, independent of --saveat). */
  static final int PLOT_POINTS = 1001;

  @CommandLine.Option(names = "--force", description = "Allow --out and --plot to replace existing files.")
  boolean force;

  @CommandLine.Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
  boolean progress;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    solve.stiffByDefault(model.isPetab());
    if (t1 == null && !steadyState && model.isPetab()) {
      // the problem's time span: its last measurement
      dev.odec.infer.CsvFile csv = dev.odec.infer.CsvFile.read(model.data(null, err), "data file", ',');
      int col = csv.headerNames().indexOf("time");
      double last = 0;
      for (dev.odec.infer.CsvFile.Row r : csv.rows) last = Math.max(last, Double.parseDouble(r.cells().get(col).text()));
      t1 = last;
    }
    if (steadyState) {
      if (t1 != null || saveat != null) {
        throw InputError.usage("--steady-state prints the one state the model settles to; it takes no --t1 or --saveat");
      }
      if (plot != null) throw InputError.usage("--plot draws a time course; --steady-state has a single point");
      if (ensemble != null || NativeOptionsMixin.isNative(solve.backend) || solve.backend.equals("nd4j")) {
        throw InputError.usage("--steady-state runs on the jvm backend without --ensemble in this version");
      }
    } else if (t1 == null) {
      throw InputError.usage("Missing required option: '--t1=T' (or --steady-state)");
    }
    if (ensemble != null && plot != null) {
      throw InputError.usage("--plot draws one trajectory; it is not available with --ensemble");
    }
    if (plot == null && (plotVars != null || logX || logY || data != null)) {
      throw InputError.usage((plotVars != null ? "--plot-vars" : logX ? "--log-x" : logY ? "--log-y" : "--data")
          + " shapes the figure of --plot; give --plot FILE.svg|FILE.png too");
    }
    if (logX && !(t1 > 0)) throw InputError.usage("--log-x needs a positive --t1, got " + Numbers.format(t1));
    double tEnd = steadyState ? t0 + 1 : t1;
    if (!Double.isFinite(t0) || !Double.isFinite(tEnd)) throw InputError.usage("--t0 and --t1 must be finite numbers");
    if (tEnd == t0) throw InputError.usage("--t1 must differ from --t0 (both are " + Numbers.format(t0) + ")");
    if (repeat < 0) throw InputError.usage("--repeat must be 0 or more, got " + repeat);
    SolverSettings settings = solve.settings();
    double[] times = saveat == null ? linspace(t0, tEnd, 101) : OutputFiles.parseSaveat(saveat, t0, tEnd);
    // outputs are checked before the work and again, against every file the model imports, after compiling
    checkOutputs();
    OutputFiles.checkDistinct(out, plot, "--out", "--plot");
    if (plot != null) Plotter.checkFormat(plot);
    if (ensemble != null || NativeOptionsMixin.isNative(solve.backend) || solve.backend.equals("nd4j")) {
      Method method = solve.method();
      SolverOptions options = solve.options(method);
      OdeSystem sys = model.system(err);
      checkOutputs();
      warnFlows(sys.flows().stream().map(OdeSystem.Flow::state).toList(), err);
      solve.applyPerState(options, sys);
      CompiledModel cm = new CompiledModel(sys, Backends.byName(solve.backend));
      return runEnsemble(sys, cm, method, options, times, solve.overrides(), err);
    }
    return runOne(settings, times, err);
  }

  /** One trajectory, or the steady state, through the Java API. */
  private int runOne(SolverSettings settings, double[] times, PrintWriter err) throws IOException {
    Model m = model.api(err, solve.backend);
    checkOutputs();
    warnFlows(m.flowStates(), err);
    ParameterValues values = m.parameters(solve.overrides(), solve.seed, true);
    for (String w : values.warnings()) err.println("odec: warning: " + w);
    Simulator simulator = m.simulator(settings);
    double[] outTimes;
    double[][] states;
    double[][] extra = null;
    SolverStats st;
    double wallMs;
    List<String> warnings = List.of();
    if (steadyState) {
      Stopwatch watch = Stopwatch.createStarted();
      SteadyStateResult r = simulator.steadyState(values, t0);
      wallMs = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
      outTimes = new double[] {Double.POSITIVE_INFINITY};
      states = new double[][] {r.state()};
      // the steady state's row (time inf) gets the derived quantities at t0
      if (derived) extra = new double[][] {r.derived()};
      st = new SolverStats(r.nfe(), 0, 0, 0, 0, 0);
    } else {
      Trajectory tr;
      if (repeat > 0) {
        simulator.solve(values, t0, times); // the untimed warm-up
        double[] ms = new double[repeat];
        Trajectory last = null;
        for (int i = 0; i < repeat; i++) {
          Stopwatch watch = Stopwatch.createStarted();
          last = simulator.solve(values, t0, times);
          ms[i] = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
        }
        Arrays.sort(ms);
        wallMs = repeat % 2 == 1 ? ms[repeat / 2] : 0.5 * (ms[repeat / 2 - 1] + ms[repeat / 2]);
        tr = last;
      } else {
        Stopwatch watch = Stopwatch.createStarted();
        tr = simulator.solve(values, t0, times);
        wallMs = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
      }
      outTimes = tr.times();
      states = tr.states();
      if (derived) extra = tr.derived();
      st = tr.stats();
      warnings = tr.warnings();
    }

    List<String> stateNames = m.states().stream().flatMap(v -> v.components().stream()).toList();
    warnNegativeSpecies(m, outTimes, states, settings.atol(), err);
    for (String w : warnings) err.println("odec: warning: " + w);
    double[][] derivedRows = extra;
    write(csvHeader(stateNames, m.derivedNames(), false), outTimes.length, (i, row) -> {
      row.append(Numbers.format(outTimes[i]));
      for (double v : states[i]) row.append(',').append(Numbers.format(v));
      if (derived) for (double v : derivedRows[i]) row.append(',').append(Numbers.format(v));
    });
    if (plot != null) {
      // the curves from a dense solve of their own: 101 output points draw Lorenz's attractor as a zigzag
      double[] dense = plotTimes(t0, t1, logX);
      Trajectory curves = simulator.solve(values, t0, dense);
      plot(m.name(), new Solution(dense, curves.states(), new Stats()), stateNames, err);
    }
    if (stats) {
      printStats(err, st, wallMs);
      err.println("solver: " + solverName(settings.solver(), st.switches() > 0));
      err.flush();
    }
    return ExitCode.OK;
  }

  private static void warnFlows(List<String> flowStates, PrintWriter err) {
    if (flowStates.isEmpty()) return;
    err.println("odec: warning: run solves the states only; for the flow's log p(" + flowStates.get(0)
        + ") use odec generate or odec density");
  }

  /**
   * The ensemble path (and every solve of --backend nd4j|c|cuda, a single run being an ensemble of
   * one): members from --ensemble (or the --set values alone), solved by the JVM one after another,
   * all together in batches (nd4j) or by the generated program; a member that fails is reported and its rows are NaN, and the run fails
   * (exit 3) only when every member did.
   */
  private int runEnsemble(OdeSystem sys, CompiledModel cm, Method method, SolverOptions options, double[] times,
      java.util.Map<String, Double> overrides, PrintWriter err) throws IOException {
    EnsembleRunner runner = NativeOptionsMixin.isNative(solve.backend)
        ? nativeOptions.runner(solve.backend, sys, method, err)
        : solve.backend.equals("nd4j") ? new BatchEnsemble(sys, method, solve.backend)
        : new JvmEnsemble(cm, method);
    Ensemble members = members(sys, cm, overrides);
    MemoryBudget.checkSolution(members.p().size(), times.length, sys.stateSize());
    EnsembleSolution sol = runner.solve(members, t0, times, options, repeat);
    int failed = sol.failed();
    if (ensemble == null && failed > 0) throw sol.failures()[0].withStateNames(sys.stateComponentNames());
    int shown = 0;
    for (int m = 0; m < sol.members(); m++) {
      SolverFailure f = sol.failures()[m];
      if (f == null || shown++ >= 5) continue;
      err.println("odec: member " + (m + 1) + (members.origins().get(m).startsWith("member ") ? "" : " ("
          + members.origins().get(m) + ")") + ": numerical failure: " + f.withStateNames(sys.stateComponentNames()).getMessage());
    }
    if (failed > 0) {
      err.println("odec: " + failed + " of " + sol.members() + " members failed" + (failed > 5 ? " (the first 5 are shown)"
          : "") + "; their rows are NaN");
    }
    int n = sys.stateSize();
    double[] state = new double[n];
    double[] extra = new double[derived ? cm.derivedSize() : 0];
    write(csvHeader(sys.stateComponentNames(), sys.derivedNames(), ensemble != null), sol.members() * times.length,
        (i, row) -> {
      int m = i / times.length;
      int j = i % times.length;
      if (ensemble != null) row.append(m + 1).append(',');
      row.append(Numbers.format(times[j]));
      for (int c = 0; c < n; c++) {
        state[c] = sol.state(m, j, c);
        row.append(',').append(Numbers.format(state[c]));
      }
      if (derived) appendDerived(cm, times[j], state, members.p().get(m), row);
    });
    if (plot != null) {
      double[][] rows = new double[times.length][];
      for (int j = 0; j < times.length; j++) {
        rows[j] = new double[n];
        for (int c = 0; c < n; c++) rows[j][c] = sol.state(0, j, c);
      }
      plot(sys.name(), new Solution(times, rows, sol.stats()[0]), sys.stateComponentNames(), err);
    }
    if (stats) printEnsembleStats(err, sol, method);
    return failed == sol.members() ? ExitCode.NUMERICAL : ExitCode.OK;
  }

  private Ensemble members(OdeSystem sys, CompiledModel cm, java.util.Map<String, Double> overrides) {
    if (ensemble == null) {
      return Ensemble.ofRows(cm, List.of(java.util.Map.of()), List.of("member 1"), overrides, solve.seed);
    }
    String spec = ensemble.strip();
    if (spec.matches("\\d+")) {
      int count;
      try {
        count = Integer.parseInt(spec);
      } catch (NumberFormatException e) {
        throw InputError.usage("--ensemble " + spec + ": too many members");
      }
      return Ensemble.sample(cm, count, overrides, solve.seed);
    }
    List<String> names = new ArrayList<>();
    for (OdeSystem.Var v : sys.pVars()) {
      names.add(v.name());
      if (!v.shape().isScalar()) names.addAll(v.componentNames());
    }
    EnsembleFile file = EnsembleFile.read(Path.of(spec), names);
    return Ensemble.ofRows(cm, file.members(), file.origins(), overrides, solve.seed);
  }

  private List<String> csvHeader(List<String> stateNames, List<String> derivedNames, boolean withMember) {
    List<String> header = new ArrayList<>();
    if (withMember) header.add("member");
    header.add("time");
    header.addAll(stateNames);
    if (derived) header.addAll(derivedNames);
    return header;
  }

  /** One CSV row at a time, by index. */
  private interface RowWriter {
    void row(int i, StringBuilder out);
  }

  /** Writes the CSV to --out or stdout, a row at a time: the output may be far larger than any string. */
  private void write(List<String> header, int rows, RowWriter rowWriter) {
    if (out != null) {
      OutputFiles.write(out, force, inputs(), o -> writeRows(o.writer(), header, rows, rowWriter));
    } else {
      PrintWriter o = spec.commandLine().getOut();
      try {
        writeRows(o, header, rows, rowWriter);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e); // a PrintWriter does not throw
      }
      o.flush();
    }
  }

  private static void writeRows(java.io.Writer w, List<String> header, int rows, RowWriter rowWriter) throws IOException {
    w.append(Csv.header(header)).append('\n');
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      row.setLength(0);
      rowWriter.row(i, row);
      w.append(row).append('\n');
    }
  }

  /** Refuses --out or --plot naming an input (the model and, once compiled, its imports) unless allowed. */
  private void checkOutputs() {
    OutputFiles.check(out, force, inputs());
    OutputFiles.check(plot, force, inputs());
  }

  /** Every file the run reads: the model, its imports and --data. */
  private List<Path> inputs() {
    List<Path> all = new ArrayList<>(model.inputs());
    if (data != null) all.add(data);
    return all;
  }

  private void plot(String name, Solution sol, List<String> stateNames, PrintWriter err) {
    int[] shown = shownStates(stateNames);
    double[][][] measured = data == null ? null : measurements(stateNames, shown, err);
    Plotter.Curves curves = new Plotter.Curves(shown, logX, logY, measured);
    int[] dropped = {0};
    OutputFiles.write(plot, force, inputs(),
        o -> dropped[0] = Plotter.plotStates(o.stream(), plot, name, sol, stateNames, curves));
    if (dropped[0] > 0) {
      err.println("odec: note: " + dropped[0] + " points at or below zero are not on the logarithmic axes of " + plot);
    }
  }

  /** The columns --plot-vars names (a state name stands for all its components), in its order. */
  private int[] shownStates(List<String> components) {
    if (plotVars == null) return java.util.stream.IntStream.range(0, components.size()).toArray();
    List<Integer> shown = new ArrayList<>();
    for (String raw : plotVars) {
      String v = raw.strip();
      int exact = components.indexOf(v);
      if (exact >= 0) {
        shown.add(exact);
        continue;
      }
      int before = shown.size();
      for (int c = 0; c < components.size(); c++) {
        if (components.get(c).startsWith(v + "[")) shown.add(c);
      }
      if (shown.size() == before) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (String c : components) names.add(c.contains("[") ? c.substring(0, c.indexOf('[')) : c);
        throw InputError.usage("--plot-vars: the model has no state '" + v + "'" + dev.odec.sema.Suggest.hint(v, names)
            + "; its states are " + String.join(", ", names));
      }
    }
    return shown.stream().mapToInt(Integer::intValue).toArray();
  }

  /** --data's columns for the shown states: times and values per shown series (null: no column). */
  private double[][][] measurements(List<String> components, int[] shown, PrintWriter err) {
    dev.odec.infer.CsvFile csv = dev.odec.infer.CsvFile.read(data, "data file", ',');
    if (csv.header == null) throw InputError.usage("--data " + data + ": the file is empty");
    List<String> header = csv.headerNames();
    int time = header.indexOf("time");
    if (time < 0) throw InputError.at(data.toString(), csv.header.line(), 1, "the data file has no 'time' column");
    // every row checked and its time read once, whichever columns are drawn
    double[] ts = new double[csv.rows.size()];
    for (int r = 0; r < csv.rows.size(); r++) {
      dev.odec.infer.CsvFile.Row row = csv.rows.get(r);
      csv.checkWidth(row);
      ts[r] = csv.number(row, row.cells().get(time), "time");
    }
    double[][][] out = new double[shown.length][][];
    for (int col = 0; col < header.size(); col++) {
      if (col == time) continue;
      String name = header.get(col);
      int comp = components.indexOf(name);
      int k = -1;
      for (int i = 0; i < shown.length; i++) if (shown[i] == comp) k = i;
      if (comp < 0 || k < 0) {
        err.println("odec: note: column '" + name + "' of " + data + (comp < 0 ? " names no state" : " is not among --plot-vars")
            + "; it is not drawn");
        continue;
      }
      double[] vs = new double[csv.rows.size()];
      for (int r = 0; r < csv.rows.size(); r++) {
        dev.odec.infer.CsvFile.Row row = csv.rows.get(r);
        String cell = row.cells().get(col).text();
        vs[r] = cell.isEmpty() ? Double.NaN : csv.number(row, row.cells().get(col), name);
      }
      out[k] = new double[][] {ts, vs};
    }
    return out;
  }

  /**
   * PLOT_POINTS times on [t0, t1]: evenly spaced, or (--log-x) geometric from t0, or, when t0 ≤ 0,
   * from 16 decades below t1 (a double's range of relative precision: Robertson's B rises at 1e-5
   * of a span of 1e11); a positive --t0 chooses the start instead.
   */
  static double[] plotTimes(double t0, double t1, boolean log) {
    double[] ts = new double[PLOT_POINTS];
    if (!log) {
      for (int i = 0; i < PLOT_POINTS; i++) ts[i] = t0 + (t1 - t0) * i / (PLOT_POINTS - 1);
      ts[PLOT_POINTS - 1] = t1;
      return ts;
    }
    double first = t0 > 0 ? t0 : t1 * 1e-16;
    int start = t0 > 0 ? 0 : 1;
    ts[0] = t0;
    for (int i = start; i < PLOT_POINTS; i++) {
      ts[i] = first * Math.pow(t1 / first, (double) (i - start) / (PLOT_POINTS - 1 - start));
    }
    ts[PLOT_POINTS - 1] = t1;
    return ts;
  }

  private double[] derivedScratch;

  private void appendDerived(CompiledModel cm, double t, double[] y, double[] p, StringBuilder row) {
    if (derivedScratch == null) derivedScratch = new double[cm.derivedSize()];
    cm.derived(t, y, p, derivedScratch);
    for (double v : derivedScratch) row.append(',').append(Numbers.format(v));
  }

  private static void printStats(PrintWriter err, SolverStats st, double wallMs) {
    err.println("nfe: " + st.nfe());
    err.println("steps: " + st.steps());
    err.println("rejected: " + st.rejected());
    err.println("jacobians: " + st.jacobians());
    err.println("lu: " + st.lu());
    err.println("wall_ms: " + String.format(java.util.Locale.ROOT, "%.3f", wallMs));
    err.println("switches: " + st.switches());
  }

  /** The name --stats gives the solver: auto says what it ran. */
  private String solverName(String solver, boolean switched) {
    if (!solver.equals("auto")) return solver;
    String stiff = NativeOptionsMixin.isNative(solve.backend) ? "rodas5" : "bdf";
    return "auto (tsit5" + (switched ? ", then " + stiff + ")" : ")");
  }

  /**
   * --stats of an ensemble: the work summed over the members, the solve time, the number of
   * members and failures, and the spread of the members' step counts.
   */
  private void printEnsembleStats(PrintWriter err, EnsembleSolution sol, Method method) {
    Stats total = new Stats();
    long[] steps = new long[sol.members()];
    for (int m = 0; m < sol.members(); m++) {
      Stats st = sol.stats()[m];
      total.nfe += st.nfe;
      total.steps += st.steps;
      total.rejected += st.rejected;
      total.jacobians += st.jacobians;
      total.lu += st.lu;
      total.switches += st.switches;
      steps[m] = st.steps;
    }
    Arrays.sort(steps);
    printStats(err, new SolverStats(total.nfe, total.steps, total.rejected, total.jacobians, total.lu, total.switches),
        sol.solveMs());
    err.println("solver: " + solverName(method == null ? "auto" : method.text, total.switches > 0));
    err.println("backend: " + (solve.backend.equals("auto") ? "jvm" : solve.backend));
    err.println("members: " + sol.members());
    err.println("failed: " + sol.failed());
    err.println("steps_min: " + steps[0]);
    err.println("steps_median: " + steps[steps.length / 2]);
    err.println("steps_max: " + steps[steps.length - 1]);
    if (solve.backend.equals("cuda")) {
      err.println("total_ms: " + String.format(java.util.Locale.ROOT, "%.3f", sol.totalMs()));
      err.println("launches: " + sol.launches());
    }
    err.flush();
  }

  /**
   * Warns (on stderr) about species — states that take part in reactions — that went clearly
   * negative: odec never clips them, and a negative concentration usually means a flux that
   * does not vanish with its reactant.
   */
  static void warnNegativeSpecies(Model m, double[] times, double[][] states, double atol, PrintWriter err) {
    for (State v : m.states()) {
      if (!v.species()) continue;
      int c = v.offset();
      for (int i = 0; i < times.length; i++) {
        double x = states[i][c];
        if (x < -100 * atol) {
          err.println("odec: warning: species '" + v.components().get(0) + "' is negative (" + Numbers.format(x)
              + " at t = " + Numbers.format(times[i]) + "); odec does not clip it: check that the fluxes that consume it "
              + "vanish when it does (e.g. a rate proportional to its concentration)");
          break;
        }
      }
    }
  }

  static double[] linspace(double a, double b, int n) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) t[i] = a + (b - a) * i / (n - 1);
    t[n - 1] = b;
    return t;
  }
}
