package dev.odec.solve;

/**
 * Finds where a solve must stop inside an accepted step: the first point where a switching
 * condition of the model changes (see {@code HybridSolver}). Solvers call it after every accepted
 * step, before they emit outputs, with the step's dense output.
 */
public interface RootLocator {
  /**
   * The time in (tPrev, tNew] where the solve must stop, or NaN to go on. {@code yNew} is the
   * state at tNew; {@code dense} interpolates within the step and is valid during this call.
   */
  double locate(double tPrev, double tNew, double[] yNew, DenseOutput dense);
}
