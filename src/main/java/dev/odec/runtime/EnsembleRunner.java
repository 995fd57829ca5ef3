package dev.odec.runtime;

import dev.odec.solve.SolverOptions;

/**
 * Solves every member of an {@link Ensemble} over the same output times: on the JVM one member
 * after another ({@link JvmEnsemble}), or in one generated C or CUDA program
 * ({@link NativeEnsemble}). A member that fails is recorded in the solution, never thrown.
 */
public interface EnsembleRunner {
  /**
   * Solves the ensemble from t0 to the last of {@code saveat}. With {@code repeat > 0} the whole
   * ensemble is solved that many more times after an untimed warm-up and the median time is
   * reported.
   */
  EnsembleSolution solve(Ensemble e, double t0, double[] saveat, SolverOptions o, int repeat);
}
