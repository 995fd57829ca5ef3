package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * After warm-up a solve allocates only its {@link Solution} (O(number of output times)), whatever
 * the number of steps: the bytes allocated by the current thread for a solve of ~100x more steps
 * must be the same up to a small slack.
 */
class AllocationTest {
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

  @ParameterizedTest
  @EnumSource(value = Method.class, names = {"BDF", "RODAS5"}, mode = EnumSource.Mode.EXCLUDE)
  void allocationDoesNotGrowWithTheNumberOfSteps(Method m) {
    Problems.Problem p = Problems.limitCycle();
    ExplicitRk rk = new ExplicitRk(m, 2);
    double[] saveat = {0.5, 1.0, 1.5, 2.0};
    double[] saveatLong = {25, 50, 75, 100};
    SolverOptions few = new SolverOptions();
    SolverOptions many = new SolverOptions();
    if (m.adaptive) {
      few.rtol = 1e-3;
      few.atol = 1e-3;
      many.rtol = 1e-12;
      many.atol = 1e-12;
    } else {
      few.dt = 0.1;
      many.dt = 1e-3;
    }
    many.maxSteps = 10_000_000;
    double[] u = new double[2];
    StepObserver observer = (tPrev, tNew, dense) -> dense.interpolate(0.5 * (tPrev + tNew), u);
    long[] steps = new long[2];
    Runnable runFew = () -> steps[0] = rk.solve(p, 0, p.y0, saveat, few, observer).stats.steps;
    Runnable runMany = () -> steps[1] = rk.solve(p, 0, p.y0, saveatLong, many, observer).stats.steps;
    for (int warm = 0; warm < 20; warm++) {
      runFew.run();
      runMany.run();
    }
    long bytesFew = allocated(runFew);
    long bytesMany = allocated(runMany);
    if (System.getenv("ODEC_VERBOSE") != null) {
      System.out.printf("%-8s %d bytes / %d steps, %d bytes / %d steps%n", m.text, bytesFew,
          steps[0], bytesMany, steps[1]);
    }
    assertTrue(steps[1] >= 50 * steps[0], "steps " + steps[0] + " vs " + steps[1]);
    assertTrue(bytesMany <= bytesFew + 256,
        m.text + ": " + bytesFew + " bytes for " + steps[0] + " steps, " + bytesMany + " bytes for "
            + steps[1] + " steps");
    assertTrue(bytesFew < 2048, m.text + ": " + bytesFew + " bytes per solve");
  }
}
