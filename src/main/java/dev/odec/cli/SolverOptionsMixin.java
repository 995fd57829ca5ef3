package dev.odec.cli;

import dev.odec.runtime.InputError;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The common options of CLI.md that configure a solve. */
public final class SolverOptionsMixin {
  @CommandLine.Option(names = "--set", paramLabel = "NAME=VALUE",
      description = "Override a param or const (or one component, NAME[i]=VALUE). Repeatable.")
  List<String> set = new ArrayList<>();

  @CommandLine.Option(names = "--solver", paramLabel = "NAME", defaultValue = "auto",
      description = "euler, midpoint, rk4 (fixed step, need --dt), bs3, dopri5, tsit5, dop853, auto (default).")
  String solver;

  @CommandLine.Option(names = "--rtol", paramLabel = "X", defaultValue = "1e-6", description = "Relative tolerance (default 1e-6).")
  double rtol;

  @CommandLine.Option(names = "--atol", paramLabel = "X", defaultValue = "1e-8", description = "Absolute tolerance (default 1e-8).")
  double atol;

  @CommandLine.Option(names = "--max-steps", paramLabel = "N", defaultValue = "100000",
      description = "Give up after N steps (default 100000).")
  long maxSteps;

  @CommandLine.Option(names = "--dt", paramLabel = "H", description = "Step size of the fixed-step solvers.")
  Double dt;

  @CommandLine.Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
      description = "jvm, interp (the reference interpreter) or auto (default).")
  String backend;

  @CommandLine.Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed for random start values drawn from priors (default 1).")
  long seed;

  /** The solver method, with {@code auto} resolved. */
  Method method() {
    if (solver.equals("auto")) return Method.TSIT5;
    Method m = Method.byName(solver);
    if (m != null && !m.stiff) return m;
    List<String> names = new ArrayList<>(Method.names());
    names.add("auto");
    if (m != null) {
      throw InputError.usage("solver '" + solver + "' (stiff) is not available in this version; choose one of "
          + String.join(", ", names));
    }
    throw InputError.usage("unknown solver '" + solver + "'" + dev.odec.sema.Suggest.hint(solver, names)
        + "; choose one of " + String.join(", ", names));
  }

  SolverOptions options(Method m) {
    if (!(rtol > 0) || !Double.isFinite(rtol)) throw InputError.usage("--rtol must be a positive number, got " + rtol);
    if (!(atol > 0) || !Double.isFinite(atol)) throw InputError.usage("--atol must be a positive number, got " + atol);
    if (maxSteps < 1) throw InputError.usage("--max-steps must be at least 1, got " + maxSteps);
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    o.atol = atol;
    o.maxSteps = maxSteps;
    if (dt != null) {
      if (!(dt > 0) || !Double.isFinite(dt)) throw InputError.usage("--dt must be a positive number, got " + dt);
      o.dt = dt;
    } else if (!m.adaptive) {
      throw InputError.usage("solver " + m.text + " takes fixed steps: give the step size with --dt (e.g. --dt 0.01)");
    }
    return o;
  }
}
