package dev.odec.infer;

import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;

/**
 * Prior terms of a MAP objective: Σ over params with a prior ({@code param k ~ DIST(a, b)}) and
 * over each of their components i of {@link Distributions#nll}(DIST, p[offset + i], a_i, b_i),
 * where an argument of length 1 broadcasts over the components. Priors are densities of the
 * natural-scale value (a {@code scale log} param's prior is not on log k, and carries no Jacobian).
 */
public final class Priors {
  private Priors() {}

  /**
   * p: the parameter values (natural scale) laid out per the OdeSystem; returns the sum of the nll
   * of each component under its prior (prior arguments are in {@link OdeSystem.ParamInfo#priorArgs()},
   * each an array of length 1 (broadcast) or the param's size); adds d/dp into grad (same layout)
   * when grad != null. A value outside the prior's support (e.g. outside a uniform prior) gives
   * {@code +Infinity} and adds nothing to grad. An invalid prior argument (sigma ≤ 0, lo ≥ hi) or
   * one that could not be evaluated to a constant at compile time is an {@link InputError} naming
   * the param, placed at its declaration ({@code model.ode:LINE:COL: error: the prior of param 'k': ...}).
   */
  public static double nll(OdeSystem sys, double[] p, double[] grad) {
    double total = 0;
    double[] g = new double[3];
    for (OdeSystem.ParamInfo info : sys.params()) {
      if (info.prior() == null) continue;
      String dist = info.prior();
      OdeSystem.Var var = info.var();
      int size = var.shape().size();
      int arity = Distributions.arity(dist);
      if (info.priorArgs().size() != arity) {
        throw new IllegalStateException("the prior of param '" + var.name() + "' has " + info.priorArgs().size()
            + " arguments, but " + dist + " takes " + arity);
      }
      double[] as = info.priorArgs().get(0);
      double[] bs = arity > 1 ? info.priorArgs().get(1) : new double[] {0};
      checkLength(var, as, size);
      checkLength(var, bs, size);
      for (int i = 0; i < size; i++) {
        double a = as.length == 1 ? as[0] : as[i];
        double b = bs.length == 1 ? bs[0] : bs[i];
        if (Double.isNaN(a) || (arity > 1 && Double.isNaN(b))) {
          throw error(var, "the prior of param '" + var.name() + "' has an argument that is not a constant; "
              + "a prior's arguments must be numbers or expressions of consts");
        }
        String bad = Distributions.invalid(dist, argumentCheckPoint(dist, a, b), a, b);
        if (bad != null) throw error(var, "the prior of param '" + var.name() + "': " + bad);
        double x = p[var.offset() + i];
        double v = Distributions.nll(dist, x, a, b);
        total += v;
        if (grad != null && Double.isFinite(v)) {
          Distributions.nllGrad(dist, x, a, b, g);
          grad[var.offset() + i] += g[2];
        }
      }
    }
    return total;
  }

  /** An error at the param's declaration when it has a place in a file, else without one. */
  private static InputError error(OdeSystem.Var var, String message) {
    return InputError.at(var.span(), message);
  }

  /** A point inside the support, so that {@link Distributions#invalid} checks only the arguments. */
  private static double argumentCheckPoint(String dist, double a, double b) {
    return switch (dist) {
      case "lognormal", "loglaplace" -> 1;
      case "poisson" -> 0;
      case "uniform" -> a < b ? 0.5 * (a + b) : a;
      default -> 0;
    };
  }

  private static void checkLength(OdeSystem.Var var, double[] arg, int size) {
    if (arg.length != 1 && arg.length != size) {
      throw new IllegalStateException("a prior argument of param '" + var.name() + "' has " + arg.length
          + " values, but the param has " + size + " components");
    }
  }
}
