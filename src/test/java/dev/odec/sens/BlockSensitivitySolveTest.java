package dev.odec.sens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.runtime.BoundFunction;
import dev.odec.solve.Method;
import dev.odec.solve.OdeJacobian;
import dev.odec.solve.Solution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The forward-sensitivity system solved with its block structure (only the nx × nx block of the
 * Newton matrix factored, the rest by block forward substitution) against the same system with
 * the structure hidden (the whole n(1 + K) matrix factored): the implicit solvers see the same
 * linear algebra up to rounding, so they take the same steps and give the same trajectories.
 */
class BlockSensitivitySolveTest {
  /** The same Jacobian without the claim of structure. */
  private static OdeJacobian whole(OdeJacobian j) {
    return new OdeJacobian() {
      public int[] rowStart() {
        return j.rowStart();
      }

      public int[] colIndex() {
        return j.colIndex();
      }

      public void eval(double t, double[] y, double[] values) {
        j.eval(t, y, values);
      }
    };
  }

  @ParameterizedTest
  @MethodSource("dev.odec.sens.StiffGradientTest#stiffModels")
  void theBlockSolveTakesTheStepsOfTheWholeMatrix(String model, String data, String cond, Method method) {
    GradientFixture fx = StiffGradientTest.fixture(model, data, cond);
    GradientProblem pr = fx.problem(fx.p, method, 1e-8, 1e-10);
    GradientModel m = fx.model;
    int cols = m.nParams;
    int size = m.nx * (1 + cols);
    double[] p = pr.experiments.get(0).p.clone();
    double[] z0 = new double[size];
    System.arraycopy(pr.initialState(pr.experiments.get(0), p), 0, z0, 0, m.nx);
    BoundFunction f = new BoundFunction(m.sensitivity(false), size, p);
    double[] outT = pr.outputTimes(pr.experiments.get(0));

    OdeJacobian structured = m.sensitivityJacobian(p);
    assertEquals(m.nx, structured.sensitivityBlock());
    Solution block = pr.solver(size, structured).solve(f, p, pr.t0, z0, outT, pr.options, null, null, null);
    Solution full = pr.solver(size, whole(structured)).solve(f, p, pr.t0, z0, outT, pr.options, null, null, null);

    assertEquals(full.stats.steps, block.stats.steps, "steps");
    assertEquals(full.stats.lu, block.stats.lu, "LU factorisations");
    assertEquals(full.stats.nfe, block.stats.nfe, "evaluations");
    double worst = 0;
    for (int i = 0; i < outT.length; i++) {
      for (int c = 0; c < size; c++) {
        double a = block.states[i][c];
        double b = full.states[i][c];
        worst = Math.max(worst, Math.abs(a - b) / (Math.abs(b) + 1e-10));
      }
    }
    assertTrue(worst < 1e-9, "the trajectories differ by " + worst + " (relative)");
    System.out.printf("%s %s: %d steps, %d LUs of order %d instead of %d; largest difference %.1e%n", model, method,
        block.stats.steps, block.stats.lu, m.nx, size, worst);
  }
}
