package dev.odec.runtime;

import dev.odec.infer.Decimals;
import dev.odec.ir.OdeSystem;
import dev.odec.sema.Suggest;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The settings of a solve, checked in one place for the command line and the Java API: the method
 * by name, tolerances (also per state), the step budget and the fixed step. Messages name each
 * setting as the command line spells it ({@code --rtol}), so both read the same words.
 */
public final class Solvers {
  private Solvers() {}

  /** The names a solver can be chosen by: every method, then {@code auto}. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(Method.names());
    names.add("auto");
    return names;
  }

  /** The method called {@code name}; null for {@code auto}. */
  public static Method method(String name) {
    if (name.equals("auto")) return null;
    Method m = Method.byName(name);
    if (m != null) return m;
    List<String> names = names();
    throw InputError.usage("unknown solver '" + name + "'" + Suggest.hint(name, names) + "; choose one of "
        + String.join(", ", names));
  }

  /**
   * The smallest relative tolerance accepted: a double holds about 16 significant digits, so a
   * relative error below this cannot be measured, and an error test against it only fails or
   * overflows (4.5 machine epsilons; scipy's floor is 100).
   */
  public static final double MIN_RTOL = 1e-15;

  /**
   * A tolerance ({@code option}: "--rtol" or "--atol"), which must be positive and finite; a
   * relative one at least {@link #MIN_RTOL}.
   */
  public static double tolerance(String option, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw InputError.usage(option + " must be a positive number, got " + Decimals.shortest(v));
    }
    if (option.equals("--rtol") && v < MIN_RTOL) {
      throw InputError.usage("--rtol " + Decimals.shortest(v) + " asks for more digits than a double holds (about 16); "
          + "give at least " + Decimals.shortest(MIN_RTOL) + " (and a small --atol for components near zero)");
    }
    return v;
  }

  /** A step budget, which must be at least 1. */
  public static long maxSteps(long n) {
    if (n < 1) throw InputError.usage("--max-steps must be at least 1, got " + n);
    return n;
  }

  /** A fixed step size, which must be positive and finite. */
  public static double step(double dt) {
    if (!(dt > 0) || !Double.isFinite(dt)) throw InputError.usage("--dt must be a positive number, got " + Decimals.shortest(dt));
    return dt;
  }

  /**
   * Options for a solve by {@code method} (null: auto) with scalar tolerances, checked. An explicit
   * method on a stiff problem stops early with advice rather than after millions of steps.
   *
   * @param dt the fixed step, or NaN (required by the fixed-step methods)
   */
  public static SolverOptions options(Method method, double rtol, double atol, long maxSteps, double dt) {
    tolerance("--rtol", rtol);
    tolerance("--atol", atol);
    maxSteps(maxSteps);
    SolverOptions o = new SolverOptions();
    o.stiffAfter = 500;
    o.rtol = rtol;
    o.atol = atol;
    o.maxSteps = maxSteps;
    if (!Double.isNaN(dt)) {
      o.dt = step(dt);
    } else if (method != null && !method.adaptive) {
      throw InputError.usage("solver " + method.text + " takes fixed steps: give the step size with --dt (e.g. --dt 0.01)");
    }
    return o;
  }

  /**
   * Per-state tolerances over the state components: {@code scalar} everywhere, then each entry
   * of {@code byState} (a state's name, for all its components, or one component's, {@code z[2]})
   * in order; null when {@code byState} is empty.
   */
  public static double[] perState(OdeSystem sys, String option, double scalar, Map<String, Double> byState) {
    if (byState.isEmpty()) return null;
    double[] out = new double[sys.stateSize()];
    Arrays.fill(out, scalar);
    List<String> comps = sys.stateComponentNames();
    for (Map.Entry<String, Double> e : byState.entrySet()) {
      String name = e.getKey();
      double v = tolerance(option, e.getValue());
      boolean found = false;
      for (OdeSystem.Var var : sys.states()) {
        List<String> names = var.componentNames();
        for (int c = 0; c < names.size(); c++) {
          if (var.name().equals(name) || names.get(c).equals(name)) {
            out[var.offset() + c] = v;
            found = true;
          }
        }
      }
      if (!found) {
        String closest = Suggest.closest(name, comps);
        throw InputError.unknownName(option + ": unknown state '" + name + "'" + Suggest.hint(name, comps), name, closest);
      }
    }
    return out;
  }
}
