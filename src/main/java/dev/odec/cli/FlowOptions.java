package dev.odec.cli;

import dev.odec.codegen.BatchBackend;
import dev.odec.infer.Flow;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Backends;
import dev.odec.runtime.InputError;
import dev.odec.solve.BatchRk;
import dev.odec.solve.Method;
import dev.odec.solve.SolverFailure;
import dev.odec.runtime.Parameters;
import dev.odec.solve.SolverOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** What {@code odec density} and {@code odec generate} share: the time span, the trace, the batched solve. */
final class FlowOptions {
  @CommandLine.Option(names = "--t0", paramLabel = "T0", defaultValue = "0", description = "Start time (default 0): where the base distribution holds.")
  double t0;

  @CommandLine.Option(names = "--t1", required = true, paramLabel = "T", description = "The time of the points.")
  double t1;

  @CommandLine.Option(names = "--trace", paramLabel = "exact|hutchinson", defaultValue = "exact",
      description = "tr(df/dx) from the generated diagonal (exact, default) or Hutchinson's estimator (one generated "
          + "vector-Jacobian product per evaluation, noise drawn with --seed).")
  String trace;

  @CommandLine.Option(names = "--noise", paramLabel = "rademacher|gaussian", defaultValue = "rademacher",
      description = "The noise of --trace hutchinson (default rademacher).")
  String noise;

  @CommandLine.Option(names = "--out", paramLabel = "FILE.csv", description = "Write the CSV here instead of stdout.")
  Path out;

  @CommandLine.Option(names = "--force", description = "Allow --out and --plot to replace existing files.")
  boolean force;

  @CommandLine.Option(names = "--plot", paramLabel = "FILE.svg|FILE.png",
      description = "Draw the points coloured by log p (2-D flows; a grid of points gives a heat map).")
  Path plot;

  /**
   * What both commands start from: the checked flow, the batched method and options, the params,
   * and every file the command reads (outputs never replace them).
   */
  record Setup(OdeSystem sys, Flow flow, Method method, SolverOptions options, double[] p, List<Path> inputs) {}

  /**
   * Checks the options and the model, in the order the user would want to hear about them;
   * {@code points} is the points file read (null: none).
   */
  Setup setup(ModelOption model, SolverOptionsMixin solve, PrintWriter err, String command, Path points) {
    if (!Double.isFinite(t0) || !Double.isFinite(t1)) throw InputError.usage("--t0 and --t1 must be finite numbers");
    Flow.TraceKind kind = traceKind();
    Method method = method(solve.method(), command);
    SolverOptions options = solve.options(method);
    // outputs are checked before the work and again, against every file the model imports, after compiling
    checkOutputs(inputs(model, points));
    OutputFiles.checkDistinct(out, plot, "--out", "--plot");
    if (plot != null) Plotter.checkFormat(plot);
    OdeSystem sys = model.system(err);
    List<Path> inputs = inputs(model, points);
    checkOutputs(inputs);
    Flow flow = Flow.of(sys, kind, command);
    if (plot != null && flow.columns().size() != 2) {
      throw InputError.usage("--plot draws 2-D flows; the flow state of " + sys.name() + " has " + flow.columns().size()
          + " components");
    }
    // --seed seeds the draws and the noise only: params without a value take their prior draw of the
    // default seed, as odec run shows them, so that generate --seed 3 and density (any seed) see
    // the same flow
    return new Setup(sys, flow, method, options, Parameters.build(sys, solve.overrides(), 1), inputs);
  }

  private static List<Path> inputs(ModelOption model, Path points) {
    List<Path> all = new ArrayList<>(model.inputs());
    if (points != null) all.add(points);
    return all;
  }

  private void checkOutputs(List<Path> inputs) {
    OutputFiles.check(out, force, inputs);
    OutputFiles.check(plot, force, inputs);
  }

  /** Writes the CSV to --out or stdout, and the plot when asked for. */
  void emit(String csv, PrintWriter stdout, Setup s, double[][] points, double[] logp) {
    OutputFiles.emit(out, force, s.inputs(), csv, stdout);
    if (plot != null) {
      OutputFiles.write(plot, force, s.inputs(),
          o -> Plotter.plotDensity(o.stream(), plot, s.sys().name(), s.flow().columns(), points, logp));
    }
  }

  Flow.TraceKind traceKind() {
    return switch (trace) {
      case "exact" -> Flow.TraceKind.EXACT;
      case "hutchinson" -> switch (noise) {
        case "rademacher" -> Flow.TraceKind.RADEMACHER;
        case "gaussian" -> Flow.TraceKind.GAUSSIAN;
        default -> throw InputError.usage("unknown --noise '" + noise + "'; choose rademacher or gaussian");
      };
      default -> throw InputError.usage("unknown --trace '" + trace + "'; choose exact or hutchinson");
    };
  }

  /** The batched method: auto is tsit5 (auto's non-stiff method); stiff methods and dop853 are refused. */
  static Method method(Method m, String command) {
    if (m == null) return Method.TSIT5;
    if (!BatchRk.supports(m)) {
      throw InputError.usage("odec " + command + " solves its points in one batch with an explicit method; choose "
          + "--solver euler, midpoint, rk4, bs3, dopri5 or tsit5, not " + m.text);
    }
    return m;
  }

  /** The backend for rows points of the flow's augmented system, after checking that they fit in memory. */
  static BatchBackend backend(String name, Flow flow, Method method, long rows, String command) {
    int n = flow.augmented().ySize();
    Backends.checkBatchFits(rows, BatchRk.bytesPerMember(method, n, 1), flow.augmented(), "odec " + command);
    return Backends.batch(name);
  }

  /**
   * Reports failed points on stderr (the first five); returns the exit code: numerical failure
   * only when every point failed.
   */
  static int report(SolverFailure[] failures, OdeSystem sys, PrintWriter err, String what) {
    int failed = 0;
    for (int m = 0; m < failures.length; m++) {
      if (failures[m] == null) continue;
      if (failed++ < 5) {
        err.println("odec: " + what + " " + (m + 1) + ": numerical failure: "
            + failures[m].withStateNames(sys.stateComponentNames()).getMessage());
      }
    }
    if (failed > 0) {
      err.println("odec: " + failed + " of " + failures.length + " " + what + "s failed" + (failed > 5 ? " (the first 5 "
          + "are shown)" : "") + "; their logp is NaN");
    }
    err.flush();
    return failed > 0 && failed == failures.length ? ExitCode.NUMERICAL : ExitCode.OK;
  }
}
