package dev.odec.solve;

/** The continuous extension of the solution over the current step. */
public interface DenseOutput {
  /** Writes the interpolated state at {@code t} (within the current step) into {@code out}. */
  void interpolate(double t, double[] out);
}
