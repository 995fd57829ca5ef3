package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Cost of large sparse systems and allocation per solve. */
class BdfCostTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static long allocated(Runnable r) {
    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < 5; rep++) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      r.run();
      best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
    }
    return best;
  }

  /**
   * The chain's steady state: y_0 = 1/k_0, and k_i y_i = 1 for every i. Cost is measured in work,
   * not time: ten times the species take at most a few times the steps and as many Jacobians and
   * factorisations, and
   * the memory a solve allocates (the sparse factorisation's storage and workspaces, which a dense
   * or quadratic fill-in would blow up) grows about linearly.
   */
  @Test
  void aLargeSparseChainCostsAboutLinearlyInItsSize() {
    long[] bytes = new long[2];
    Stats[] stats = new Stats[2];
    int[] sizes = {100, 1000};
    for (int k = 0; k < 2; k++) {
      int n = sizes[k];
      BdfProblems.Stiff p = BdfProblems.chain(n);
      Bdf bdf = new Bdf(n);
      SolverOptions o = new SolverOptions();
      o.rtol = 1e-6;
      o.atol = 1e-10;
      double[] y0 = new double[n];
      Solution[] s = new Solution[1];
      Runnable run = () -> s[0] = bdf.solve(p, p.jac, 0, y0, new double[] {1e3}, o);
      run.run();
      bytes[k] = allocated(run);
      stats[k] = s[0].stats;
      System.out.printf("chain n=%d: %d bytes allocated, %s%n", n, bytes[k], s[0].stats);
      // the first species are at their steady state 1/k_i by t = 1e3
      double[] rate = new double[n];
      for (int i = 0; i < 5; i++) {
        rate[i] = Math.pow(10.0, (i * 7 % 13) * 0.5);
        assertEquals(1.0, rate[i] * s[0].states[0][i], 1e-4);
      }
    }
    double ratio = (double) bytes[1] / bytes[0];
    System.out.printf("allocation ratio n=1000 / n=100: %.1f%n", ratio);
    assertTrue(ratio < 30, "allocation ratio " + ratio);
    assertTrue(stats[1].steps < 3 * stats[0].steps, stats[0] + " vs " + stats[1]);
    assertTrue(stats[1].lu < 2 * stats[0].lu + 10, stats[0] + " vs " + stats[1]);
  }

  @Test
  void allocationDoesNotGrowWithTheNumberOfSteps() {
    BdfProblems.Stiff p = BdfProblems.robertson();
    Bdf bdf = new Bdf(3);
    double[] y0 = {1, 0, 0};
    SolverOptions few = new SolverOptions();
    few.rtol = 1e-3;
    few.atolPerState = new double[] {1e-6, 1e-10, 1e-6};
    SolverOptions many = new SolverOptions();
    many.rtol = 1e-10;
    many.atolPerState = new double[] {1e-16, 1e-20, 1e-14};
    many.maxSteps = 10_000_000;
    double[] u = new double[3];
    StepObserver observer = (tPrev, tNew, dense) -> dense.interpolate(0.5 * (tPrev + tNew), u);
    double[] saveat = {0.1, 0.2, 0.3, 0.4};
    double[] saveatLong = {1e8, 1e9, 1e10, 1e11};
    long[] steps = new long[2];
    Runnable runFew = () -> steps[0] = bdf.solve(p, p.jac, 0, y0, saveat, few, observer).stats.steps;
    Runnable runMany =
        () -> steps[1] = bdf.solve(p, p.jac, 0, y0, saveatLong, many, observer).stats.steps;
    for (int warm = 0; warm < 20; warm++) {
      runFew.run();
      runMany.run();
    }
    long bytesFew = allocated(runFew);
    long bytesMany = allocated(runMany);
    System.out.printf("allocation: %d bytes / %d steps, %d bytes / %d steps%n", bytesFew, steps[0],
        bytesMany, steps[1]);
    assertTrue(steps[1] >= 50 * steps[0], "steps " + steps[0] + " vs " + steps[1]);
    assertTrue(bytesMany <= bytesFew + 256, bytesFew + " vs " + bytesMany + " bytes");
    assertTrue(bytesFew < 2048, bytesFew + " bytes per solve");
  }

  @Test
  void sparseAllocationDoesNotGrowWithTheNumberOfSteps() {
    int n = 200;
    BdfProblems.Stiff p = BdfProblems.chain(n);
    Bdf bdf = new Bdf(n);
    double[] y0 = new double[n];
    SolverOptions few = new SolverOptions();
    few.rtol = 1e-2;
    few.atol = 1e-4;
    SolverOptions many = new SolverOptions();
    many.rtol = 1e-9;
    many.atol = 1e-12;
    long[] steps = new long[2];
    Runnable runFew = () -> steps[0] = bdf.solve(p, p.jac, 0, y0, new double[] {1}, few).stats.steps;
    Runnable runMany =
        () -> steps[1] = bdf.solve(p, p.jac, 0, y0, new double[] {1e3}, many).stats.steps;
    for (int warm = 0; warm < 5; warm++) {
      runFew.run();
      runMany.run();
    }
    long bytesFew = allocated(runFew);
    long bytesMany = allocated(runMany);
    System.out.printf("sparse allocation: %d bytes / %d steps, %d bytes / %d steps%n", bytesFew,
        steps[0], bytesMany, steps[1]);
    assertTrue(steps[1] >= 10 * steps[0], "steps " + steps[0] + " vs " + steps[1]);
    assertTrue(bytesMany <= bytesFew + 1024, bytesFew + " vs " + bytesMany + " bytes");
  }
}
