package dev.odec.runtime;

import dev.odec.codegen.BatchFunction;
import dev.odec.solve.BatchOdeFunction;
import java.util.List;

/**
 * A model's right-hand side as a {@link BatchOdeFunction}: each member has its own parameter
 * vector, gathered row by row for the members the solver asks about; when every member has the
 * same parameters (a batch of trajectories of one neural ODE) they are passed once, shared by all
 * rows, so that a matrix parameter times the rows' states is one GEMM.
 */
public final class BatchRhs implements BatchOdeFunction {
  private final BatchFunction f;
  private final int n;
  private final int np;
  private final List<double[]> p;
  private final boolean shared;
  private double[] pRows;

  /** @param p each member's parameter vector */
  public BatchRhs(BatchFunction f, int n, List<double[]> p) {
    this.f = f;
    this.n = n;
    this.p = p;
    this.np = p.isEmpty() ? 0 : p.get(0).length;
    boolean same = true;
    for (double[] q : p) same &= java.util.Arrays.equals(q, p.get(0));
    this.shared = same;
  }

  @Override
  public int dimension() {
    return n;
  }

  @Override
  public void eval(int rows, int[] members, double[] t, double[] y, double[] dydt) {
    if (shared) {
      f.eval(rows, t, y, p.get(0), 1, dydt);
      return;
    }
    if (pRows == null || pRows.length < rows * np) pRows = new double[p.size() * np];
    for (int r = 0; r < rows; r++) System.arraycopy(p.get(members[r]), 0, pRows, r * np, np);
    f.eval(rows, t, y, pRows, rows, dydt);
  }
}
