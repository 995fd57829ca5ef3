package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Measured orders of Rodas5P: the global error with pinned steps ({@link SolverOptions#dt}),
 * the local error of the continuous extension, and tolerance proportionality of the adaptive
 * solver. Errors below {@link #FLOOR} are round-off and left out of the fits. Set ODEC_VERBOSE
 * to print every error.
 */
class RosenbrockConvergenceTest {
  private static final double FLOOR = 1e-14;

  private static final class Case {
    final String name;
    final OdeFunction f;
    final OdeJacobian jac;
    final Rosenbrock.TimeDerivative dfdt;
    final DoubleFunction<double[]> exact;
    /** The exponents k of the step sizes h = 2^-k of the fits: the asymptotic regime. */
    final int kFrom;
    final int kTo;

    Case(String name, OdeFunction f, OdeJacobian jac, Rosenbrock.TimeDerivative dfdt,
        DoubleFunction<double[]> exact, int kFrom, int kTo) {
      this.name = name;
      this.kFrom = kFrom;
      this.kTo = kTo;
      this.f = f;
      this.jac = jac;
      this.dfdt = dfdt;
      this.exact = exact;
    }
  }

  /**
   * Mildly stiff problems. With hλ well above 1 the Prothero–Robinson error drops more slowly
   * (order reduction in the stiff regime, measured about 3 at λ = 1e4), so the windows keep
   * |hλ| ≲ 1.5 while the errors stay above round-off.
   */
  private static Case[] cases() {
    RosenbrockTest.ProtheroRobinson pr5 = new RosenbrockTest.ProtheroRobinson(5);
    RosenbrockTest.ProtheroRobinson pr50 = new RosenbrockTest.ProtheroRobinson(50);
    RosenbrockTest.StiffNonlinear sn = new RosenbrockTest.StiffNonlinear(5, 1.0);
    return new Case[] {
      new Case("Prothero-Robinson lambda=5", pr5, pr5.jacobian(), pr5.dfdt(),
          RosenbrockTest.ProtheroRobinson::exact, 2, 5),
      new Case("Prothero-Robinson lambda=50", pr50, pr50.jacobian(), pr50.dfdt(),
          RosenbrockTest.ProtheroRobinson::exact, 5, 8),
      new Case("stiff nonlinear lambda=5", sn, sn.jacobian(), Rosenbrock.AUTONOMOUS,
          sn::solution, 3, 6),
    };
  }

  private static int[] window(int from, int to) {
    int[] ks = new int[to - from + 1];
    for (int i = 0; i < ks.length; i++) {
      ks[i] = from + i;
    }
    return ks;
  }

  private static double slope(String what, String xName, double[] hs, double[] errs) {
    int count = 0;
    for (double e : errs) {
      count += e > FLOOR ? 1 : 0;
    }
    double[] x = new double[count];
    double[] y = new double[count];
    int j = 0;
    for (int i = 0; i < hs.length; i++) {
      if (errs[i] > FLOOR) {
        x[j] = hs[i];
        y[j++] = errs[i];
      }
    }
    assertTrue(count >= 3, what + ": only " + count + " errors above round-off");
    double s = Problems.logLogSlope(x, y);
    StringBuilder line = new StringBuilder(String.format("%-40s slope %.2f:", what, s));
    for (int i = 0; i < hs.length; i++) {
      line.append(String.format(" %s=%.4g %.2e", xName, hs[i], errs[i]));
    }
    System.out.println(line);
    return s;
  }

  /** Global error at t = 2 with fixed steps h = 2^-k over each case's window: slope 5. */
  @Test
  void globalErrorHasOrderFive() {
    double tEnd = 2.0;
    for (Case c : cases()) {
      int[] ks = window(c.kFrom, c.kTo);
      double[] hs = new double[ks.length];
      double[] errs = new double[ks.length];
      for (int i = 0; i < ks.length; i++) {
        SolverOptions o = new SolverOptions();
        o.dt = Math.pow(2, -ks[i]);
        Solution s = new Rosenbrock(c.f.dimension()).solve(c.f, c.jac, c.dfdt, 0,
            c.exact.apply(0), new double[] {tEnd}, o, null);
        hs[i] = o.dt;
        errs[i] = Problems.maxError(s.states[0], c.exact.apply(tEnd));
      }
      double p = slope("global " + c.name, "h", hs, errs);
      assertTrue(Math.abs(p - 5) <= 0.2, c.name + ": order " + p);
    }
  }

  /**
   * One step of size h from the exact state at t = 0.3, interpolated at θ = 0.3, 0.5, 0.8: the
   * continuous extension has order 4, so its local error is O(h^5).
   */
  @Test
  void denseOutputHasOrderFour() {
    double t0 = 0.3;
    for (Case c : cases()) {
      int[] ks = window(c.kFrom - 1, c.kTo - 1);
      double[] hs = new double[ks.length];
      double[] errs = new double[ks.length];
      double[] u = new double[c.f.dimension()];
      for (int i = 0; i < ks.length; i++) {
        double h = Math.pow(2, -ks[i]);
        SolverOptions o = new SolverOptions();
        o.dt = h;
        double[] err = {0};
        new Rosenbrock(c.f.dimension()).solve(c.f, c.jac, c.dfdt, t0, c.exact.apply(t0),
            new double[] {t0 + h}, o, (tPrev, tNew, dense) -> {
              for (double th : new double[] {0.3, 0.5, 0.8}) {
                double t = tPrev + th * (tNew - tPrev);
                dense.interpolate(t, u);
                err[0] = Math.max(err[0], Problems.maxError(u, c.exact.apply(t)));
              }
            });
        hs[i] = h;
        errs[i] = err[0];
      }
      double p = slope("dense local " + c.name, "h", hs, errs);
      assertTrue(Math.abs(p - 5) <= 0.3, c.name + ": dense output local order " + p);
    }
  }

  /**
   * With rtol = tol, atol = 1e-3 tol for tol = 1e-4 ... 1e-10, the error at the end scales like
   * tol: the fitted slope lies in [0.7, 1.3], and every error is below 100 tol.
   */
  @Test
  void globalErrorIsProportionalToTolerance() {
    RosenbrockTest.ProtheroRobinson pr = new RosenbrockTest.ProtheroRobinson(1e4);
    RosenbrockTest.StiffNonlinear sn = new RosenbrockTest.StiffNonlinear(1e4, 1.0);
    Case[] stiff = {
      new Case("Prothero-Robinson lambda=1e4", pr, pr.jacobian(), pr.dfdt(),
          RosenbrockTest.ProtheroRobinson::exact, 0, 0),
      new Case("stiff nonlinear lambda=1e4", sn, sn.jacobian(), Rosenbrock.AUTONOMOUS,
          sn::solution, 0, 0),
    };
    double tEnd = 10.0;
    for (Case c : stiff) {
      // W = I − hγJ of the stiff nonlinear system needs row exchanges once hλ is large
      if (c.f == sn) assertTrue(RosenbrockTest.iterationMatrixPivotsCorrectly(), "the iteration matrix pivots");
      int count = 7;
      double[] tols = new double[count];
      double[] errs = new double[count];
      for (int i = 0; i < count; i++) {
        double tol = Math.pow(10, -(4 + i));
        SolverOptions o = new SolverOptions();
        o.rtol = tol;
        o.atol = 1e-3 * tol;
        Solution s = new Rosenbrock(c.f.dimension()).solve(c.f, c.jac, c.dfdt, 0,
            c.exact.apply(0), new double[] {tEnd}, o, null);
        tols[i] = tol;
        errs[i] = Problems.maxError(s.states[0], c.exact.apply(tEnd));
      }
      double p = slope("tolerance " + c.name, "tol", tols, errs);
      assertTrue(p >= 0.7 && p <= 1.3, c.name + ": slope " + p);
      for (int i = 0; i < count; i++) {
        assertTrue(errs[i] <= 100 * tols[i], c.name + ": error " + errs[i] + " at tol " + tols[i]);
      }
    }
  }
}
