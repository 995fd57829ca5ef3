package dev.odec.infer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The optimizers on problems whose bounded optima are known in closed form. */
class OptimizersTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  /** Rosenbrock as residuals: r = [10(x2 − x1²), 1 − x1]; J = [[−20 x1, 10], [−1, 0]]. */
  static final LeastSquares ROSENBROCK = new LeastSquares() {
    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public int residuals() {
      return 2;
    }

    @Override
    public double evaluate(double[] x, double[] r, double[][] j) {
      r[0] = 10 * (x[1] - x[0] * x[0]);
      r[1] = 1 - x[0];
      if (j != null) {
        j[0][0] = -20 * x[0];
        j[0][1] = 10;
        j[1][0] = -1;
        j[1][1] = 0;
      }
      return 0;
    }
  };

  static final Objective ROSENBROCK_SCALAR = new Objective() {
    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public double evaluate(double[] x, double[] g) {
      double[] r = new double[2];
      double[][] j = new double[2][2];
      ROSENBROCK.evaluate(x, r, j);
      if (g != null) {
        g[0] = j[0][0] * r[0] + j[1][0] * r[1];
        g[1] = j[0][1] * r[0] + j[1][1] * r[1];
      }
      return 0.5 * (r[0] * r[0] + r[1] * r[1]);
    }
  };

  @Test
  void trustRegionFindsTheUnboundedMinimum() {
    OptimResult r = new TrustRegionReflective(ROSENBROCK, new double[] {-INF, -INF}, new double[] {INF, INF},
        StopRules.defaults()).minimize(new double[] {-1.2, 1});
    assertTrue(r.converged(), r.exit());
    assertArrayEquals(new double[] {1, 1}, r.theta(), 1e-7);
    assertEquals(0, r.objective(), 1e-14);
  }

  /**
   * With x1 ≤ 0.5 the minimum of 50(x2 − x1²)² + ½(1 − x1)² lies on the bound: x1 = 0.5,
   * x2 = 0.25, objective ½·0.25 = 0.125 (the bound is active: ∂/∂x1 = −0.5 &lt; 0 there).
   */
  @Test
  void bothFindTheMinimumOnAnActiveBound() {
    double[] lo = {-2, -2};
    double[] hi = {0.5, 2};
    OptimResult ls = new TrustRegionReflective(ROSENBROCK, lo, hi, StopRules.defaults()).minimize(new double[] {-1.2, 1});
    assertArrayEquals(new double[] {0.5, 0.25}, ls.theta(), 1e-6);
    assertEquals(0.125, ls.objective(), 1e-10);
    assertTrue(ls.theta()[0] <= 0.5);
    OptimResult bfgs = new ProjectedLbfgs(ROSENBROCK_SCALAR, lo, hi, StopRules.defaults()).minimize(new double[] {-1.2, 1});
    assertTrue(bfgs.converged(), bfgs.exit());
    assertArrayEquals(new double[] {0.5, 0.25}, bfgs.theta(), 1e-6);
    assertEquals(0.125, bfgs.objective(), 1e-10);
  }

  @Test
  void lbfgsFindsTheUnboundedMinimum() {
    // ftol's test is relative to max(|L|, 1): near L = 0 it would stop at L ~ 1e-7, so it is tightened
    StopRules tight = new StopRules(1000, 1e-10, 1e-12, 1e-16, Long.MAX_VALUE, () -> false);
    OptimResult r = new ProjectedLbfgs(ROSENBROCK_SCALAR, new double[] {-INF, -INF}, new double[] {INF, INF}, tight)
        .minimize(new double[] {-1.2, 1});
    assertTrue(r.converged(), r.exit());
    assertArrayEquals(new double[] {1, 1}, r.theta(), 1e-5);
  }

  /** A start outside the box is moved inside; a point that cannot be evaluated is stepped back from. */
  @Test
  void failedTrialPointsShrinkTheStep() {
    LeastSquares walled = new LeastSquares() {
      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public int residuals() {
        return 2;
      }

      @Override
      public double evaluate(double[] x, double[] r, double[][] j) {
        if (x[0] > 0.9) throw new EvaluationFailure("integration failure", "wall");
        return ROSENBROCK.evaluate(x, r, j);
      }
    };
    OptimResult r = new TrustRegionReflective(walled, new double[] {-2, -2}, new double[] {2, 2}, StopRules.defaults())
        .minimize(new double[] {-1.2, 1});
    assertTrue(r.theta()[0] <= 0.9);
    assertEquals(0.5 * 0.01, r.objective(), 2e-3, "close to the wall at x1 = 0.9");
  }

  /** Adam on a convex quadratic in 3 dimensions with one active bound. */
  @Test
  void adamReachesABoundedQuadraticMinimum() {
    double[] target = {1, -2, 3};
    Adam.BatchObjective f = new Adam.BatchObjective() {
      @Override
      public int dimension() {
        return 3;
      }

      @Override
      public int experiments() {
        return 3;
      }

      @Override
      public double evaluate(double[] x, int[] batch, double[] g) {
        double v = 0;
        java.util.Arrays.fill(g, 0);
        for (int b : batch) {
          double d = x[b] - target[b];
          v += d * d * 3.0 / batch.length;
          g[b] = 2 * d * 3.0 / batch.length;
        }
        return v;
      }
    };
    OptimResult r = new Adam(f, new double[] {-5, -5, -5}, new double[] {5, 5, 2}, StopRules.defaults(), 3000, 1, 0.05,
        true, 7).minimize(new double[] {0, 0, 0});
    assertArrayEquals(new double[] {1, -2, 2}, r.theta(), 1e-3);
  }
}
