package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * After a first solve with a given Jacobian, a Rodas5P solve allocates only its {@link Solution}
 * and {@link Stats}: the bytes allocated by the current thread do not grow with the number of
 * steps.
 */
class RosenbrockAllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static long allocated(Runnable r) {
    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < 5; rep++) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      r.run();
      long after = THREADS.getCurrentThreadAllocatedBytes();
      best = Math.min(best, after - before);
    }
    return best;
  }

  @Test
  void allocationDoesNotGrowWithTheNumberOfSteps() {
    // Robertson: its W needs no row exchanges, so this also runs where IterationMatrix's dense
    // solve mishandles pivoting (see RosenbrockTest.iterationMatrixPivotsCorrectly)
    RosenbrockTest.Robertson p = new RosenbrockTest.Robertson();
    OdeJacobian jac = RosenbrockTest.Robertson.jacobian();
    Rosenbrock r = new Rosenbrock(3);
    double[] y0 = {1, 0, 0};
    double[] saveat = {1, 2, 3, 4};
    SolverOptions few = new SolverOptions();
    few.rtol = 1e-3;
    few.atol = 1e-9;
    SolverOptions many = new SolverOptions();
    many.rtol = 1e-11;
    many.atol = 1e-17;
    many.maxSteps = 10_000_000;
    double[] saveatLong = {1e2, 1e4, 1e6, 1e8};
    double[] u = new double[3];
    StepObserver observer = (tPrev, tNew, dense) -> dense.interpolate(0.5 * (tPrev + tNew), u);
    long[] steps = new long[2];
    Runnable runFew = () -> steps[0] = r.solve(p, jac, 0, y0, saveat, few, observer).stats.steps;
    Runnable runMany =
        () -> steps[1] = r.solve(p, jac, 0, y0, saveatLong, many, observer).stats.steps;
    for (int warm = 0; warm < 10; warm++) {
      runFew.run();
      runMany.run();
    }
    long bytesFew = allocated(runFew);
    long bytesMany = allocated(runMany);
    System.out.printf("rodas5 allocation: %d bytes / %d steps, %d bytes / %d steps%n", bytesFew,
        steps[0], bytesMany, steps[1]);
    assertTrue(steps[1] >= 50 * steps[0], "steps " + steps[0] + " vs " + steps[1]);
    assertTrue(bytesMany <= bytesFew + 256,
        bytesFew + " bytes for " + steps[0] + " steps, " + bytesMany + " bytes for " + steps[1]
            + " steps");
    assertTrue(bytesFew < 2048, bytesFew + " bytes per solve");
  }
}
