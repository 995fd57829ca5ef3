package dev.odec.solve;

/** Receives every accepted step of a solve. */
public interface StepObserver {
  /**
   * Called after each accepted step from {@code tPrev} to {@code tNew}. {@code dense} interpolates
   * the solution within that step and is only valid during this call.
   */
  void onStep(double tPrev, double tNew, DenseOutput dense);
}
