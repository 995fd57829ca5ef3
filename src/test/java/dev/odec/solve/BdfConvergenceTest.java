package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Order of the fixed-order formulas and tolerance proportionality of the adaptive solver. */
class BdfConvergenceTest {
  private static double slope(double[] x, double[] y) {
    int m = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < m; i++) {
      mx += x[i] / m;
      my += y[i] / m;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < m; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
  }

  /** Fixed order q, fixed step h, exact starting values y(−jh): error ~ h^q. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void fixedOrderConvergesWithItsOrder(int q) {
    BdfProblems.Stiff p = BdfProblems.linearSmooth(50);
    int[] steps = {40, 80, 160, 320};
    double[] lh = new double[steps.length];
    double[] le = new double[steps.length];
    StringBuilder errors = new StringBuilder();
    for (int k = 0; k < steps.length; k++) {
      double h = 2.0 / steps[k];
      Bdf bdf = new Bdf(2);
      bdf.pinnedOrder = q;
      bdf.startHistory = new double[q + 1][];
      for (int j = 0; j <= q; j++) {
        bdf.startHistory[j] = new double[] {Math.sin(-j * h), Math.cos(-j * h)};
      }
      SolverOptions o = new SolverOptions();
      o.dt = h;
      o.rtol = 1e-13;
      o.atol = 1e-13;
      Solution s = bdf.solve(p, p.jac, 0, new double[] {0, 1}, new double[] {2}, o);
      assertEquals(steps[k], s.stats.steps);
      double err = Math.hypot(s.states[0][0] - Math.sin(2), s.states[0][1] - Math.cos(2));
      lh[k] = Math.log(h);
      le[k] = Math.log(err);
      errors.append(String.format(" %.3e", err));
    }
    double order = slope(lh, le);
    System.out.printf("BDF%d: errors%s, fitted order %.3f%n", q, errors, order);
    assertEquals(q, order, 0.2, "errors" + errors);
  }

  /**
   * A mildly stiff linear system with a known solution: the global error falls about in
   * proportion to the tolerance.
   */
  @Test
  void errorIsProportionalToTheTolerance() {
    BdfProblems.Stiff p = BdfProblems.linearSmooth(1e3);
    double[] tols = {1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9};
    double[] lt = new double[tols.length];
    double[] le = new double[tols.length];
    for (int k = 0; k < tols.length; k++) {
      SolverOptions o = new SolverOptions();
      o.rtol = tols[k];
      o.atol = tols[k];
      Solution s = new Bdf(2).solve(p, p.jac, 0, new double[] {0, 1}, new double[] {10}, o);
      double err = Math.hypot(s.states[0][0] - Math.sin(10), s.states[0][1] - Math.cos(10));
      lt[k] = Math.log(tols[k]);
      le[k] = Math.log(err);
      System.out.printf("tol %.0e: error %.3e, %s%n", tols[k], err, s.stats);
    }
    double sl = slope(lt, le);
    System.out.printf("slope of log error vs log tol: %.3f%n", sl);
    assertTrue(sl >= 0.7 && sl <= 1.3, "slope " + sl);
  }
}
