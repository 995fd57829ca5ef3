package dev.odec.solve;

/** Receives every accepted step of a solve. */
public interface StepObserver {
  /**
   * Called after each accepted step from {@code tPrev} to {@code tNew}. {@code dense} interpolates
   * the solution within that step and is only valid during this call.
   */
  void onStep(double tPrev, double tNew, DenseOutput dense);

  /**
   * A new smooth segment starts at t with state y (after the events and switches there): at the
   * start of a solve through events and switches, and after each boundary ({@link HybridSolver}).
   * The steps that follow continue from y, not from the end of the last step.
   */
  default void onRestart(double t, double[] y) {}
}
