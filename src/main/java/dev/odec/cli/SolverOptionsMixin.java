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
      description = "Override a param or const (or one component, NAME[i]=VALUE); @FILE reads NAME=VALUE lines or the "
          + "JSON of fit --out. Repeatable.")
  List<String> set = new ArrayList<>();

  @CommandLine.Option(names = "--solver", paramLabel = "NAME",
      description = "euler, midpoint, rk4 (fixed step, need --dt), bs3, dopri5, tsit5, dop853 (explicit), "
          + "bdf, rodas5 (stiff), auto (default: tsit5, switching to bdf where the problem turns stiff).")
  String solver;

  @CommandLine.Option(names = "--rtol", paramLabel = "X", defaultValue = "1e-6",
      description = "Relative tolerance (default 1e-6); for run also per state: X,STATE=X,...")
  String rtolSpec;

  @CommandLine.Option(names = "--atol", paramLabel = "X", defaultValue = "1e-8",
      description = "Absolute tolerance (default 1e-8); for run also per state: X,STATE=X,...")
  String atolSpec;

  @CommandLine.Option(names = "--max-steps", paramLabel = "N", defaultValue = "100000",
      description = "Give up after N steps (default 100000).")
  long maxSteps;

  @CommandLine.Option(names = "--dt", paramLabel = "H", description = "Step size of the fixed-step solvers.")
  Double dt;

  @CommandLine.Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
      description = "jvm, interp (the reference interpreter), c (generated C, compiled with cc), cuda (generated CUDA, "
          + "compiled with nvcc; needs an NVIDIA GPU) or auto (default: jvm). c and cuda solve run's ensembles.")
  String backend;

  @CommandLine.Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed for random start values drawn from priors and for --ensemble N's draws (default 1).")
  long seed;

  /**
   * For a PEtab problem, {@code bdf} unless --solver was given: PEtab's models are biochemical
   * networks, stiff as a rule, and every PEtab tool integrates them with BDF (AMICI: CVODES).
   */
  void stiffByDefault(boolean petab) {
    if (petab && solver == null) solver = "bdf";
  }

  /** The --set overrides in order, with every @FILE read in its place (see {@link ParameterFile}). */
  java.util.Map<String, Double> overrides() {
    List<String> expanded = new ArrayList<>();
    for (String s : set) {
      if (s.startsWith("@")) expanded.addAll(ParameterFile.read(java.nio.file.Path.of(s.substring(1))));
      else expanded.add(s);
    }
    return dev.odec.runtime.Parameters.parseAssignments(expanded, "--set");
  }

  /** For the commands that compute on the JVM only: a usage error for {@code --backend c|cuda}. */
  void requireJvmBackend(String command) {
    if (NativeOptionsMixin.isNative(backend)) {
      throw InputError.usage(command + " runs on the jvm backend in this version; --backend " + backend
          + " solves the ensembles of odec run");
    }
  }

  /** The solver method; null for {@code auto}. */
  Method method() {
    return method(solver);
  }

  /** The method named {@code solver} (null for {@code auto}), or a usage error listing the names. */
  static Method method(String solver) {
    if (solver == null || solver.equals("auto")) return null;
    Method m = Method.byName(solver);
    if (m != null) return m;
    List<String> names = new ArrayList<>(Method.names());
    names.add("auto");
    throw InputError.usage("unknown solver '" + solver + "'" + dev.odec.sema.Suggest.hint(solver, names)
        + "; choose one of " + String.join(", ", names));
  }

  /** The scalar tolerance: the spec's plain number (the first item). */
  private static double scalar(String spec, String option) {
    String first = spec.split(",")[0].strip();
    if (first.contains("=")) {
      throw InputError.usage(option + " " + spec + ": start with the tolerance for every state, e.g. 1e-8,x=1e-10");
    }
    return positive(first, option);
  }

  private static double positive(String text, String option) {
    double v;
    try {
      v = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw InputError.usage(option + ": '" + text.strip() + "' is not a number");
    }
    if (!(v > 0) || !Double.isFinite(v)) throw InputError.usage(option + " must be a positive number, got " + text.strip());
    return v;
  }

  /** Per-state tolerances of the form X,NAME=X,... as an array over the state components, or null. */
  static double[] perState(String spec, String option, dev.odec.ir.OdeSystem sys) {
    String[] items = spec.split(",");
    if (items.length == 1) return null;
    double[] out = new double[sys.stateSize()];
    java.util.Arrays.fill(out, scalar(spec, option));
    java.util.List<String> comps = sys.stateComponentNames();
    for (int i = 1; i < items.length; i++) {
      String item = items[i].strip();
      int eq = item.indexOf('=');
      if (eq <= 0) throw InputError.usage(option + " " + spec + ": expected STATE=VALUE, got '" + item + "'");
      String name = item.substring(0, eq).strip();
      double v = positive(item.substring(eq + 1), option);
      boolean found = false;
      for (dev.odec.ir.OdeSystem.Var var : sys.states()) {
        java.util.List<String> names = var.componentNames();
        for (int c = 0; c < names.size(); c++) {
          if (var.name().equals(name) || names.get(c).equals(name)) {
            out[var.offset() + c] = v;
            found = true;
          }
        }
      }
      if (!found) {
        throw InputError.usage(option + ": unknown state '" + name + "'" + dev.odec.sema.Suggest.hint(name, comps));
      }
    }
    return out;
  }

  /** Applies per-state tolerances (run only: gradients solve larger systems with the scalars). */
  void applyPerState(SolverOptions o, dev.odec.ir.OdeSystem sys) {
    o.rtolPerState = perState(rtolSpec, "--rtol", sys);
    o.atolPerState = perState(atolSpec, "--atol", sys);
  }

  SolverOptions options(Method m) {
    double rtol = scalar(rtolSpec, "--rtol");
    double atol = scalar(atolSpec, "--atol");
    if (maxSteps < 1) throw InputError.usage("--max-steps must be at least 1, got " + maxSteps);
    SolverOptions o = new SolverOptions();
    // an explicit method on a stiff problem stops early with advice, not after millions of steps
    o.stiffAfter = 500;
    o.rtol = rtol;
    o.atol = atol;
    o.maxSteps = maxSteps;
    if (dt != null) {
      if (!(dt > 0) || !Double.isFinite(dt)) throw InputError.usage("--dt must be a positive number, got " + dt);
      o.dt = dt;
    } else if (m != null && !m.adaptive) {
      throw InputError.usage("solver " + m.text + " takes fixed steps: give the step size with --dt (e.g. --dt 0.01)");
    }
    return o;
  }
}
