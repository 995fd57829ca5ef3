package dev.odec.codegen;

/**
 * An {@link dev.odec.ir.IrFunction} {@code out = F(t, y, p)} evaluated for many rows at once: row r
 * is {@code out[r] = F(t[r], y[r], p[r])} with every array row-major, {@code y} of shape
 * [rows, ySize], {@code out} [rows, outputSize]. The parameter vectors are either shared by all
 * rows ({@code pRows == 1}, the weights of a neural ODE over a batch of trajectories) or given per
 * row ({@code pRows == rows}, the members of an ensemble). One instance must not be used by two
 * threads at once.
 */
public interface BatchFunction {
  /** The length of one row of {@code out}. */
  int outputSize();

  /**
   * Evaluates rows 0 .. rows−1. {@code t}, {@code y}, {@code p} and {@code out} may be longer than
   * the rows need; only their first rows are read or written.
   */
  void eval(int rows, double[] t, double[] y, double[] p, int pRows, double[] out);
}
