package dev.odec.solve;

/**
 * The Jacobian J = ∂f/∂y of an ODE right-hand side, for implicit solvers: a fixed sparsity
 * pattern in compressed-row form and the values of its structurally non-zero entries. odec
 * generates it symbolically from the model (see {@code dev.odec.ad.Jacobian}); entries outside
 * the pattern are exactly zero for every (t, y).
 */
public interface OdeJacobian {
  /** n + 1 offsets: row i's entries are {@code [rowStart[i], rowStart[i+1])}. */
  int[] rowStart();

  /** The column of each entry, ascending within a row. */
  int[] colIndex();

  /** Writes the entries' values at (t, y) in the pattern's order; must not allocate. */
  void eval(double t, double[] y, double[] values);

  /**
   * m &gt; 0 when this is the Jacobian of a forward-sensitivity system [x, S_1, …, S_K] whose x
   * and S_k have m components each: block lower-triangular, the diagonal blocks all ∂F/∂x, the
   * others only in the first block column. Implicit solvers then factor only the m × m block
   * (see {@link IterationMatrix}). 0 (the default): no such structure is claimed.
   */
  default int sensitivityBlock() {
    return 0;
  }
}
