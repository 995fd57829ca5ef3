package dev.odec.solve;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.data.DMatrixSparseTriplet;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.ops.DConvertMatrixStruct;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;
import org.ejml.interfaces.linsol.LinearSolverSparse;

/**
 * The Newton iteration matrix M = I − γ J of implicit methods (BDF: γ = h β₀; Rosenbrock:
 * γ = h γ_ii), its LU factorisation and solves, with the Jacobian J kept between
 * factorisations so a new step size needs a new LU but no new Jacobian.
 *
 * <p>Small or dense systems use EJML's dense LU with partial pivoting; large sparse ones (more
 * than {@value #DENSE_LIMIT} unknowns and under 10% non-zeros) EJML's sparse LU on compressed
 * columns, so a reaction network's cost grows with its number of reactions (and the fill of its
 * factors) rather than with n³. EJML offers no fill-reducing ordering (AMD/COLAMD), so the natural
 * order is used: fine for networks whose reactions are local in the species' order, a source of
 * fill for randomly wired ones.
 */
public final class IterationMatrix {
  static final int DENSE_LIMIT = 64;

  private final OdeJacobian jac;
  private final int n;
  private final int[] rowStart;
  private final int[] colIndex;
  private final double[] values;
  private final boolean sparse;
  private final Stats stats;

  private final DMatrixRMaj dense;
  private final DMatrixRMaj rhs;
  private final DMatrixRMaj x;
  private final LUDecompositionAlt_DDRM lu;

  private final DMatrixSparseCSC csc;
  private LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> sparseSolver;
  private final int[] cscIndexOfEntry;
  private final int[] diagIndex;

  public IterationMatrix(OdeJacobian jac, int n, Stats stats) {
    this.jac = jac;
    this.n = n;
    this.stats = stats;
    this.rowStart = jac.rowStart();
    this.colIndex = jac.colIndex();
    this.values = new double[colIndex.length];
    this.sparse = n > DENSE_LIMIT && colIndex.length < 0.1 * (double) n * n;
    this.rhs = new DMatrixRMaj(n, 1);
    this.x = new DMatrixRMaj(n, 1);
    if (!sparse) {
      dense = new DMatrixRMaj(n, n);
      lu = new LUDecompositionAlt_DDRM();
      csc = null;
      cscIndexOfEntry = null;
      diagIndex = null;
    } else {
      dense = null;
      lu = null;
      // the pattern of M: J's pattern plus the diagonal
      DMatrixSparseTriplet tri = new DMatrixSparseTriplet(n, n, colIndex.length + n);
      for (int i = 0; i < n; i++) {
        tri.addItem(i, i, 1.0);
        for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
          if (colIndex[e] != i) tri.addItem(i, colIndex[e], 1.0);
        }
      }
      csc = DConvertMatrixStruct.convert(tri, (DMatrixSparseCSC) null);
      cscIndexOfEntry = new int[colIndex.length];
      diagIndex = new int[n];
      for (int i = 0; i < n; i++) {
        diagIndex[i] = indexOf(i, i);
        for (int e = rowStart[i]; e < rowStart[i + 1]; e++) cscIndexOfEntry[e] = indexOf(i, colIndex[e]);
      }
      sparseSolver = LinearSolverFactory_DSCC.lu(FillReducing.NONE);
    }
  }

  private int indexOf(int row, int col) {
    for (int k = csc.col_idx[col]; k < csc.col_idx[col + 1]; k++) {
      if (csc.nz_rows[k] == row) return k;
    }
    throw new IllegalStateException("entry (" + row + ", " + col + ") missing from the pattern");
  }

  /** Evaluates and keeps J(t, y); a NaN or infinite entry is a failure naming the entry. */
  public void evaluateJacobian(double t, double[] y) {
    jac.eval(t, y, values);
    stats.jacobians++;
    for (int e = 0; e < values.length; e++) {
      if (!Double.isFinite(values[e])) {
        int row = 0;
        while (rowStart[row + 1] <= e) row++;
        throw SolverInputs.jacobianNonFinite(t, row, colIndex[e], values[e]);
      }
    }
  }

  /** The kept Jacobian's entries (CSR order of the pattern). */
  public double[] jacobianValues() {
    return values;
  }

  /**
   * Forms and factors M = I − γ J with the kept J. Returns false when M is singular (to working
   * precision), so the caller can shrink the step.
   */
  public boolean factor(double gamma) {
    stats.lu++;
    if (!sparse) {
      dense.zero();
      double[] d = dense.data;
      for (int i = 0; i < n; i++) {
        d[i * n + i] = 1.0;
        for (int e = rowStart[i]; e < rowStart[i + 1]; e++) d[i * n + colIndex[e]] -= gamma * values[e];
      }
      if (!lu.decompose(dense)) return false;
      for (int i = 0; i < n; i++) {
        double u = lu.getLU().data[i * n + i];
        if (u == 0.0 || !Double.isFinite(u)) return false;
      }
      return true;
    }
    java.util.Arrays.fill(csc.nz_values, 0, csc.nz_length, 0.0);
    for (int i = 0; i < n; i++) csc.nz_values[diagIndex[i]] = 1.0;
    for (int e = 0; e < values.length; e++) csc.nz_values[cscIndexOfEntry[e]] -= gamma * values[e];
    // EJML's quality() (a product over U's diagonal) underflows for well-conditioned stiff
    // networks whose diagonal spans decades, so only the decomposition's own verdict counts
    return sparseSolver.setA(csc);
  }

  /** Solves M x = b in place (b becomes x). */
  public void solve(double[] b) {
    if (!sparse) {
      // _solveVectorInternal applies the row interchanges itself (getIndx() is a list of swaps,
      // not a permutation to apply first)
      double[] v = rhs.data;
      System.arraycopy(b, 0, v, 0, n);
      lu._solveVectorInternal(v);
      System.arraycopy(v, 0, b, 0, n);
    } else {
      System.arraycopy(b, 0, rhs.data, 0, n);
      sparseSolver.solve(rhs, x);
      System.arraycopy(x.data, 0, b, 0, n);
    }
  }

  public boolean isSparse() {
    return sparse;
  }
}
