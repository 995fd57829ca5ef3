package dev.odec.cli;

import com.google.common.base.Stopwatch;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Backends;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.InputError;
import dev.odec.runtime.Parameters;
import dev.odec.runtime.LazyJacobian;
import dev.odec.solve.HybridSolver;
import dev.odec.solve.Integrator;
import dev.odec.solve.Method;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.Stats;
import dev.odec.solve.SteadyState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec run}: solve forward and print the trajectory as CSV. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Solve a model forward in time and print the trajectory as CSV.")
final class RunCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Mixin SolverOptionsMixin solve;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--t1", paramLabel = "T", description = "End time (required unless --steady-state).")
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

  @CommandLine.Option(names = "--plot", paramLabel = "FILE.svg|FILE.png", description = "Draw every state against time.")
  Path plot;

  @CommandLine.Option(names = "--force", description = "Allow --out and --plot to replace existing files.")
  boolean force;

  @CommandLine.Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
  boolean progress;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (steadyState) {
      if (t1 != null || saveat != null) {
        throw InputError.usage("--steady-state prints the one state the model settles to; it takes no --t1 or --saveat");
      }
      if (plot != null) throw InputError.usage("--plot draws a time course; --steady-state has a single point");
    } else if (t1 == null) {
      throw InputError.usage("Missing required option: '--t1=T' (or --steady-state)");
    }
    double tEnd = steadyState ? t0 + 1 : t1;
    if (!Double.isFinite(t0) || !Double.isFinite(tEnd)) throw InputError.usage("--t0 and --t1 must be finite numbers");
    if (tEnd == t0) throw InputError.usage("--t1 must differ from --t0 (both are " + Numbers.format(t0) + ")");
    if (repeat < 0) throw InputError.usage("--repeat must be 0 or more, got " + repeat);
    Method method = solve.method();
    SolverOptions options = solve.options(method);
    double[] times = saveat == null ? linspace(t0, tEnd, 101) : OutputFiles.parseSaveat(saveat, t0, tEnd);
    OutputFiles.checkWritable(out, force, model.model);
    OutputFiles.checkWritable(plot, force, model.model);
    if (out != null && plot != null && out.toAbsolutePath().normalize().equals(plot.toAbsolutePath().normalize())) {
      throw InputError.usage("--out and --plot name the same file " + out);
    }
    if (plot != null) Plotter.checkFormat(plot);

    OdeSystem sys = model.system(err);
    if (!sys.flows().isEmpty()) {
      err.println("odec: warning: run solves the states only; for the flow's log p(" + sys.flows().get(0).state()
          + ") use odec generate or odec density");
    }
    solve.applyPerState(options, sys);
    var overrides = solve.overrides();
    double[] p = Parameters.build(sys, overrides, solve.seed);
    CompiledModel cm = new CompiledModel(sys, Backends.byName(solve.backend));
    double[] y0 = cm.initialState(p);
    HybridSolver rk = new HybridSolver(Integrator.of(method, sys.stateSize(), new LazyJacobian(() -> cm.jacobian(p))),
        cm.hybrid(), sys.stateSize());
    var f = cm.rhs(p);

    Solution sol;
    double wallMs;
    try {
      if (steadyState) {
        Stopwatch watch = Stopwatch.createStarted();
        sol = steadyState(cm, p, y0, method, options);
        wallMs = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
      } else if (solve.backend.equals("nd4j")) {
        Stopwatch watch = Stopwatch.createStarted();
        sol = Nd4jRun.solve(sys, p, y0, t0, times, method, options);
        wallMs = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
      } else if (repeat > 0) {
        rk.solve(f, p, t0, y0, times, options, null, null, null);
        double[] ms = new double[repeat];
        Solution last = null;
        for (int i = 0; i < repeat; i++) {
          Stopwatch watch = Stopwatch.createStarted();
          last = rk.solve(f, p, t0, y0, times, options, null, null, null);
          ms[i] = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
        }
        Arrays.sort(ms);
        wallMs = repeat % 2 == 1 ? ms[repeat / 2] : 0.5 * (ms[repeat / 2 - 1] + ms[repeat / 2]);
        sol = last;
      } else {
        Stopwatch watch = Stopwatch.createStarted();
        sol = rk.solve(f, p, t0, y0, times, options, null, null, null);
        wallMs = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
      }
    } catch (SolverFailure e) {
      throw withStateName(e, sys);
    }

    warnNegativeSpecies(sys, sol, options.atol, err);
    List<String> header = new ArrayList<>();
    header.add("time");
    header.addAll(sys.stateComponentNames());
    if (derived) header.addAll(sys.derivedNames());
    StringWriter csv = new StringWriter(64 + sol.times.length * (header.size() * 12));
    csv.append(Csv.header(header)).append('\n');
    double[] extra = new double[derived ? cm.derivedSize() : 0];
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < sol.times.length; i++) {
      row.setLength(0);
      row.append(Numbers.format(sol.times[i]));
      for (double v : sol.states[i]) row.append(',').append(Numbers.format(v));
      if (derived) {
        cm.derived(Double.isInfinite(sol.times[i]) ? t0 : sol.times[i], sol.states[i], p, extra);
        for (double v : extra) row.append(',').append(Numbers.format(v));
      }
      csv.append(row).append('\n');
    }
    if (out != null) {
      OutputFiles.write(out, csv.toString());
    } else {
      PrintWriter o = spec.commandLine().getOut();
      o.print(csv);
      o.flush();
    }
    if (plot != null) Plotter.plotStates(plot, sys.name(), sol, sys.stateComponentNames());
    if (stats) {
      err.println("nfe: " + sol.stats.nfe);
      err.println("steps: " + sol.stats.steps);
      err.println("rejected: " + sol.stats.rejected);
      err.println("jacobians: " + sol.stats.jacobians);
      err.println("lu: " + sol.stats.lu);
      err.println("wall_ms: " + String.format(java.util.Locale.ROOT, "%.3f", wallMs));
      err.println("switches: " + sol.stats.switches);
      err.println("solver: " + (method == null ? "auto (tsit5" + (sol.stats.switches > 0 ? ", then bdf)" : ")") : method.text));
      err.flush();
    }
    return ExitCode.OK;
  }

  /**
   * The steady state from y0 with the dynamics at t0 (and the modes there): Newton's method on the
   * generated Jacobian, integration as the fallback (see {@link SteadyState}).
   */
  private Solution steadyState(CompiledModel cm, double[] p, double[] y0, Method method, SolverOptions options) {
    int n = y0.length;
    if (cm.hybrid() != null) {
      double[] modes = new double[cm.hybrid().modeCount()];
      cm.hybrid().rawModes(t0, y0, p, modes);
      System.arraycopy(modes, 0, p, cm.hybrid().modeOffset(), modes.length);
    }
    var jac = cm.jacobian(p);
    SteadyState ss = new SteadyState(cm.rhs(p), jac, t0, options);
    SteadyState.Result r = ss.find(y0, Integrator.of(method, n, jac), options);
    Stats st = new Stats();
    st.nfe = r.nfe();
    return new Solution(new double[] {Double.POSITIVE_INFINITY}, new double[][] {r.x()}, st);
  }

  /** Replaces every "component N" of a solver's message with the state's name. */
  static SolverFailure withStateName(SolverFailure e, OdeSystem sys) {
    java.util.List<String> names = sys.stateComponentNames();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:state )?'?component (\\d+)'?").matcher(e.getMessage());
    StringBuilder sb = new StringBuilder();
    boolean changed = false;
    while (m.find()) {
      int k = Integer.parseInt(m.group(1));
      String repl = k >= 1 && k <= names.size() ? "state '" + names.get(k - 1) + "'" : m.group();
      changed |= !repl.equals(m.group());
      m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(repl));
    }
    m.appendTail(sb);
    return changed ? new SolverFailure(e.reason(), e.time(), e.component(), sb.toString()) : e;
  }

  /**
   * Warns (on stderr) about species — states that take part in reactions — that went clearly
   * negative: odec never clips them, and a negative concentration usually means a flux that
   * does not vanish with its reactant.
   */
  static void warnNegativeSpecies(OdeSystem sys, Solution sol, double atol, PrintWriter err) {
    java.util.List<String> names = sys.stateComponentNames();
    for (OdeSystem.Var v : sys.states()) {
      if (!sys.species().contains(v.name())) continue;
      int c = v.offset();
      for (int i = 0; i < sol.times.length; i++) {
        double x = sol.states[i][c];
        if (x < -100 * atol) {
          err.println("odec: warning: species '" + names.get(c) + "' is negative (" + Numbers.format(x) + " at t = "
              + Numbers.format(sol.times[i]) + "); odec does not clip it: check that the fluxes that consume it vanish "
              + "when it does (e.g. a rate proportional to its concentration)");
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
