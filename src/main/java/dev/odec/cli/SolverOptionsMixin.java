package dev.odec.cli;

import dev.odec.api.SolverSettings;
import dev.odec.runtime.InputError;
import dev.odec.runtime.Solvers;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import dev.odec.syntax.NumberSyntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
          + "compiled with nvcc; needs an NVIDIA GPU), nd4j (batched: density, generate, run) or auto (default: jvm). "
          + "c and cuda solve run's ensembles.")
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

  /** The method named {@code solver} (null or {@code auto}: null), or a usage error listing the names. */
  static Method method(String solver) {
    return Solvers.method(solver == null ? "auto" : solver);
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
    if (!NumberSyntax.isNumber(text.strip())) throw InputError.usage(option + ": '" + text.strip() + "' is not a number");
    return Solvers.tolerance(option, Double.parseDouble(text.strip()));
  }

  /** The per-state items of a tolerance spec X,NAME=X,... in order (empty for a plain number). */
  static Map<String, Double> perState(String spec, String option) {
    String[] items = spec.split(",");
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 1; i < items.length; i++) {
      String item = items[i].strip();
      int eq = item.indexOf('=');
      if (eq <= 0) throw InputError.usage(option + " " + spec + ": expected STATE=VALUE, got '" + item + "'");
      out.put(item.substring(0, eq).strip(), positive(item.substring(eq + 1), option));
    }
    return out;
  }

  /** The solver settings of run and grad, for the Java API that computes them. */
  SolverSettings settings() {
    SolverSettings s = SolverSettings.defaults().solver(solver == null ? "auto" : solver).rtol(scalar(rtolSpec, "--rtol"))
        .atol(scalar(atolSpec, "--atol")).maxSteps(maxSteps);
    if (dt != null) s = s.dt(dt);
    for (Map.Entry<String, Double> e : perState(rtolSpec, "--rtol").entrySet()) s = s.rtol(e.getKey(), e.getValue());
    for (Map.Entry<String, Double> e : perState(atolSpec, "--atol").entrySet()) s = s.atol(e.getKey(), e.getValue());
    return s;
  }

  /** Applies per-state tolerances (run only: gradients solve larger systems with the scalars). */
  void applyPerState(SolverOptions o, dev.odec.ir.OdeSystem sys) {
    o.rtolPerState = Solvers.perState(sys, "--rtol", o.rtol, perState(rtolSpec, "--rtol"));
    o.atolPerState = Solvers.perState(sys, "--atol", o.atol, perState(atolSpec, "--atol"));
  }

  SolverOptions options(Method m) {
    return Solvers.options(m, scalar(rtolSpec, "--rtol"), scalar(atolSpec, "--atol"), maxSteps, dt == null ? Double.NaN : dt);
  }
}
