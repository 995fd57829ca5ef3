package dev.odec.runtime;

import dev.odec.solve.SolverFailure;
import dev.odec.solve.Stats;

/**
 * The outcome of an ensemble solve: every member's states at the output times (NaN for a member
 * that failed), its work counters and its failure (null when it succeeded).
 *
 * @param times the output times
 * @param states member m's component c at times[j] is {@code states[(m * times.length + j) * n + c]}
 * @param n the number of state components
 * @param stats each member's work
 * @param failures each member's failure, or null
 * @param solveMs the time the solves took, as the runner measured it (the median over repeats;
 *     on a GPU the kernel time)
 * @param totalMs solveMs plus the transfers to and from a GPU (equal to solveMs elsewhere)
 * @param launches how many kernel launches a GPU ensemble needed (1 elsewhere)
 */
public record EnsembleSolution(double[] times, double[] states, int n, Stats[] stats, SolverFailure[] failures,
    double solveMs, double totalMs, long launches) {
  /** A usage error when the states of {@code members} members at {@code times} times do not fit in one Java array. */
  static void checkSize(int members, int times, int n) {
    long values = (long) members * times * Math.max(n, 1);
    if (values > Integer.MAX_VALUE - 8) {
      throw InputError.usage("the ensemble's output (" + members + " members x " + times + " times x " + n
          + " states) is too large to hold; ask for fewer --saveat times or split the ensemble");
    }
  }

  public int members() {
    return stats.length;
  }

  /** Member m's component c at times[j]. */
  public double state(int m, int j, int c) {
    return states[(m * times.length + j) * n + c];
  }

  /** How many members failed. */
  public int failed() {
    int k = 0;
    for (SolverFailure f : failures) k += f == null ? 0 : 1;
    return k;
  }
}
