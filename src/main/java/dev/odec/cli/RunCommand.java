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
import dev.odec.runtime.InputError;
import dev.odec.solve.Solution;
import dev.odec.solve.Stats;
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

/** {@code odec run}: solve forward and print the trajectory as CSV (a client of the Java API). */
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
    SolverSettings settings = solve.settings();
    double[] times = saveat == null ? linspace(t0, tEnd, 101) : OutputFiles.parseSaveat(saveat, t0, tEnd);
    OutputFiles.checkWritable(out, force, model.model);
    OutputFiles.checkWritable(plot, force, model.model);
    if (out != null && plot != null && out.toAbsolutePath().normalize().equals(plot.toAbsolutePath().normalize())) {
      throw InputError.usage("--out and --plot name the same file " + out);
    }
    if (plot != null) Plotter.checkFormat(plot);

    Model m = model.api(err, solve.backend);
    if (!m.flowStates().isEmpty()) {
      err.println("odec: warning: the flow statements are checked, but this version does not track log p("
          + m.flowStates().get(0) + ") in run (density and generate are not in this version)");
    }
    ParameterValues values = m.parameters(solve.overrides(), solve.seed, true);
    for (String w : values.warnings()) err.println("odec: warning: " + w);
    Simulator simulator = m.simulator(settings);

    double[] outTimes;
    double[][] states;
    double[][] extra = null;
    SolverStats st;
    double wallMs;
    if (steadyState) {
      Stopwatch watch = Stopwatch.createStarted();
      SteadyStateResult r = simulator.steadyState(values, t0);
      wallMs = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
      outTimes = new double[] {Double.POSITIVE_INFINITY};
      states = new double[][] {r.state()};
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
    }

    List<String> stateNames = m.states().stream().flatMap(s -> s.components().stream()).toList();
    warnNegativeSpecies(m, outTimes, states, settings.atol(), err);
    List<String> header = new ArrayList<>();
    header.add("time");
    header.addAll(stateNames);
    if (derived) header.addAll(m.derivedNames());
    StringWriter csv = new StringWriter(64 + outTimes.length * (header.size() * 12));
    csv.append(Csv.header(header)).append('\n');
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < outTimes.length; i++) {
      row.setLength(0);
      row.append(Numbers.format(outTimes[i]));
      for (double v : states[i]) row.append(',').append(Numbers.format(v));
      if (derived) for (double v : extra[i]) row.append(',').append(Numbers.format(v));
      csv.append(row).append('\n');
    }
    if (out != null) {
      OutputFiles.write(out, csv.toString());
    } else {
      PrintWriter o = spec.commandLine().getOut();
      o.print(csv);
      o.flush();
    }
    if (plot != null) Plotter.plotStates(plot, m.name(), new Solution(outTimes, states, new Stats()), stateNames);
    if (stats) {
      err.println("nfe: " + st.nfe());
      err.println("steps: " + st.steps());
      err.println("rejected: " + st.rejected());
      err.println("jacobians: " + st.jacobians());
      err.println("lu: " + st.lu());
      err.println("wall_ms: " + String.format(java.util.Locale.ROOT, "%.3f", wallMs));
      err.println("switches: " + st.switches());
      String solver = settings.solver();
      err.println("solver: " + (solver.equals("auto") ? "auto (tsit5" + (st.switches() > 0 ? ", then bdf)" : ")") : solver));
      err.flush();
    }
    return ExitCode.OK;
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
