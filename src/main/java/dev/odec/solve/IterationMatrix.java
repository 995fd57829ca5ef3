package dev.odec.solve;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.data.DMatrixSparseTriplet;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.interfaces.linsol.LinearSolverSparse;
import org.ejml.ops.DConvertMatrixStruct;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;

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
 *
 * <p><b>Sensitivity systems.</b> When the Jacobian says it belongs to a forward-sensitivity
 * system ({@link OdeJacobian#sensitivityBlock()} = m &gt; 0), the unknowns are [x, S_1, …, S_K]
 * with x and every S_k of size m, and J is block lower-triangular with the same diagonal block:
 *
 * <pre>
 *        | A              |            A   = ∂F/∂x
 *   J =  | C_1  A         |            C_k = ∂(A S_k + ∂F/∂p_k)/∂x
 *        | ⋮         ⋱    |
 *        | C_K         A  |
 * </pre>
 *
 * so M = I − γJ has the diagonal block M₀ = I − γA and the sub-diagonal blocks −γC_k. Only M₀
 * (m × m) is factored; M u = b is solved by block forward substitution, u_0 = M₀⁻¹ b_0 and
 * u_k = M₀⁻¹ (b_k + γ C_k u_0). This is the exact solve of the full system (as CVODES's
 * simultaneous corrector with the exact Newton matrix; Maly &amp; Petzold 1996, Hindmarsh et al.,
 * CVODES guide §2.6), at the cost of one m × m factorisation and K + 1 triangular solves instead
 * of a factorisation of order m(1 + K). The diagonal blocks of rows k ≥ 1 are not read: they are
 * A by construction of the system.
 */
public final class IterationMatrix {
  static final int DENSE_LIMIT = 64;

  private final OdeJacobian jac;
  private final int n;
  private final int[] rowStart;
  private final int[] colIndex;
  private final double[] values;
  private final Stats stats;

  /** The factored block: M itself, or M₀ of a sensitivity system. */
  private final Lu lu;
  /** Sensitivity systems: the block size m (0: M is factored whole). */
  private final int block;
  /**
   * The C_k blocks in compressed rows (rows m..n−1 as 0..n−m−1): each entry's index in
   * {@link #values}, its column (in x), and γ times its value, set by {@link #factor}.
   */
  private final int[] couplingStart;
  private final int[] couplingEntry;
  private final int[] couplingCol;
  private final double[] couplingValue;

  public IterationMatrix(OdeJacobian jac, int n, Stats stats) {
    this.jac = jac;
    this.n = n;
    this.stats = stats;
    this.rowStart = jac.rowStart();
    this.colIndex = jac.colIndex();
    this.values = new double[colIndex.length];
    int m = jac.sensitivityBlock();
    if (m > 0 && m < n && n % m == 0 && isBlockLowerTriangular(m)) {
      block = m;
      int count = 0;
      for (int e = rowStart[m]; e < colIndex.length; e++) if (colIndex[e] < m) count++;
      couplingStart = new int[n - m + 1];
      couplingEntry = new int[count];
      couplingCol = new int[count];
      couplingValue = new double[count];
      int c = 0;
      for (int i = m; i < n; i++) {
        couplingStart[i - m] = c;
        for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
          if (colIndex[e] >= m) continue;
          couplingEntry[c] = e;
          couplingCol[c++] = colIndex[e];
        }
      }
      couplingStart[n - m] = c;
      // rows 0..m-1 hold A, and their entries come first in the CSR order
      lu = new Lu(m, java.util.Arrays.copyOf(rowStart, m + 1), colIndex, n / m - 1);
    } else {
      block = 0;
      couplingStart = couplingEntry = couplingCol = null;
      couplingValue = null;
      lu = new Lu(n, rowStart, colIndex, 0);
    }
  }

  /**
   * Whether the pattern has the sensitivity structure for block size m: rows of block 0 read only
   * block 0, rows of block k only block 0 and block k. Anything else is factored whole.
   */
  private boolean isBlockLowerTriangular(int m) {
    for (int i = 0; i < n; i++) {
      int k = i / m;
      for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
        int kc = colIndex[e] / m;
        if (kc != 0 && kc != k) return false;
      }
    }
    return true;
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
   * Forms and factors M = I − γ J with the kept J (for a sensitivity system, its diagonal block).
   * Returns false when M is singular (to working precision), so the caller can shrink the step.
   */
  public boolean factor(double gamma) {
    stats.lu++;
    if (block > 0) {
      for (int c = 0; c < couplingEntry.length; c++) couplingValue[c] = gamma * values[couplingEntry[c]];
    }
    return lu.factor(gamma, values);
  }

  /** Solves M x = b in place (b becomes x). */
  public void solve(double[] b) {
    if (block == 0) {
      lu.solve(b, 0);
      return;
    }
    int m = block;
    lu.solve(b, 0);
    for (int i = m; i < n; i++) {
      double sum = b[i];
      for (int e = couplingStart[i - m]; e < couplingStart[i - m + 1]; e++) sum += couplingValue[e] * b[couplingCol[e]];
      b[i] = sum;
    }
    lu.solveColumns(b, m, n / m - 1);
  }

  /** Whether the factored block is stored sparse. */
  public boolean isSparse() {
    return lu.sparse;
  }

  /** The order of the matrix that is factored: n, or the block size m of a sensitivity system. */
  public int factoredSize() {
    return lu.n;
  }

  /**
   * I − γA for the leading n × n block A of a CSR pattern (the first rowStart[n] entries of the
   * values), factored dense or sparse. The dense factors are compressed after each factorisation
   * to their non-zero entries, so a solve costs nnz(L + U) rather than n²: the Jacobians of
   * reaction networks stay sparse under LU (Bachmann's 25 × 25 block: 86 of 625), and a
   * sensitivity system solves with the same factors K + 1 times per Newton iteration.
   */
  private static final class Lu {
    final int n;
    final boolean sparse;
    private final int[] rowStart;
    private final int[] colIndex;
    private final DMatrixRMaj dense;
    private final DMatrixRMaj rhs;
    private final DMatrixRMaj x;
    private final LUDecompositionAlt_DDRM denseLu;
    private final DMatrixSparseCSC csc;
    private final LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> sparseSolver;
    private final int[] cscIndexOfEntry;
    private final int[] diagIndex;
    /** The dense factors, compressed: L's strictly lower and U's strictly upper entries by row. */
    private int[] swaps;
    private int[] lStart;
    private int[] lCol;
    private double[] lVal;
    private int[] uStart;
    private int[] uCol;
    private double[] uVal;
    private double[] uDiag;
    /** The row permutation the swaps amount to, and right-hand sides side by side (n × count, row-major). */
    private final int[] perm;
    private final double[] side;

    /** @param columns how many right-hand sides {@link #solveColumns} takes at once (0: none) */
    Lu(int n, int[] rowStart, int[] colIndex, int columns) {
      this.n = n;
      this.rowStart = rowStart;
      this.colIndex = colIndex;
      int nnz = rowStart[n];
      this.sparse = n > DENSE_LIMIT && nnz < 0.1 * (double) n * n;
      this.rhs = new DMatrixRMaj(n, 1);
      this.x = new DMatrixRMaj(n, 1);
      if (!sparse) {
        dense = new DMatrixRMaj(n, n);
        denseLu = new LUDecompositionAlt_DDRM();
        int strict = n * (n - 1) / 2;
        lStart = new int[n + 1];
        uStart = new int[n + 1];
        lCol = new int[strict];
        uCol = new int[strict];
        lVal = new double[strict];
        uVal = new double[strict];
        uDiag = new double[n];
        perm = new int[n];
        side = new double[n * columns];
        csc = null;
        sparseSolver = null;
        cscIndexOfEntry = null;
        diagIndex = null;
        return;
      }
      dense = null;
      denseLu = null;
      perm = null;
      side = null;
      // the pattern of M: J's pattern plus the diagonal
      DMatrixSparseTriplet tri = new DMatrixSparseTriplet(n, n, nnz + n);
      for (int i = 0; i < n; i++) {
        tri.addItem(i, i, 1.0);
        for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
          if (colIndex[e] != i) tri.addItem(i, colIndex[e], 1.0);
        }
      }
      csc = DConvertMatrixStruct.convert(tri, (DMatrixSparseCSC) null);
      cscIndexOfEntry = new int[nnz];
      diagIndex = new int[n];
      for (int i = 0; i < n; i++) {
        diagIndex[i] = indexOf(i, i);
        for (int e = rowStart[i]; e < rowStart[i + 1]; e++) cscIndexOfEntry[e] = indexOf(i, colIndex[e]);
      }
      sparseSolver = LinearSolverFactory_DSCC.lu(FillReducing.NONE);
    }

    private int indexOf(int row, int col) {
      for (int k = csc.col_idx[col]; k < csc.col_idx[col + 1]; k++) {
        if (csc.nz_rows[k] == row) return k;
      }
      throw new IllegalStateException("entry (" + row + ", " + col + ") missing from the pattern");
    }

    boolean factor(double gamma, double[] values) {
      if (!sparse) {
        dense.zero();
        double[] d = dense.data;
        for (int i = 0; i < n; i++) {
          d[i * n + i] = 1.0;
          for (int e = rowStart[i]; e < rowStart[i + 1]; e++) d[i * n + colIndex[e]] -= gamma * values[e];
        }
        if (!denseLu.decompose(dense)) return false;
        double[] f = denseLu.getLU().data;
        for (int i = 0; i < n; i++) {
          double u = f[i * n + i];
          if (u == 0.0 || !Double.isFinite(u)) return false;
        }
        compress(f);
        return true;
      }
      java.util.Arrays.fill(csc.nz_values, 0, csc.nz_length, 0.0);
      for (int i = 0; i < n; i++) csc.nz_values[diagIndex[i]] = 1.0;
      int nnz = rowStart[n];
      for (int e = 0; e < nnz; e++) csc.nz_values[cscIndexOfEntry[e]] -= gamma * values[e];
      // EJML's quality() (a product over U's diagonal) underflows for well-conditioned stiff
      // networks whose diagonal spans decades, so only the decomposition's own verdict counts
      return sparseSolver.setA(csc);
    }

    /** Keeps the non-zero entries of the packed factors f = L − I + U, row by row. */
    private void compress(double[] f) {
      swaps = denseLu.getIndx();
      for (int i = 0; i < n; i++) perm[i] = i;
      for (int i = 0; i < n; i++) {
        int t = perm[swaps[i]];
        perm[swaps[i]] = perm[i];
        perm[i] = t;
      }
      int nl = 0;
      int nu = 0;
      for (int i = 0; i < n; i++) {
        lStart[i] = nl;
        uStart[i] = nu;
        int row = i * n;
        for (int j = 0; j < i; j++) {
          double v = f[row + j];
          if (v != 0.0) {
            lCol[nl] = j;
            lVal[nl++] = v;
          }
        }
        uDiag[i] = f[row + i];
        for (int j = i + 1; j < n; j++) {
          double v = f[row + j];
          if (v != 0.0) {
            uCol[nu] = j;
            uVal[nu++] = v;
          }
        }
      }
      lStart[n] = nl;
      uStart[n] = nu;
    }

    /**
     * Solves (I − γA) u = b[off, off + n) in place: the row interchanges (EJML's list of swaps, in
     * order), then L y = Pb and U u = y over the compressed factors, in the order of EJML's own
     * substitutions (skipping exact zeros changes no result).
     */
    void solve(double[] b, int off) {
      if (!sparse) {
        for (int i = 0; i < n; i++) {
          int p = off + swaps[i];
          double t = b[p];
          b[p] = b[off + i];
          b[off + i] = t;
        }
        for (int i = 0; i < n; i++) {
          double sum = b[off + i];
          for (int e = lStart[i]; e < lStart[i + 1]; e++) sum -= lVal[e] * b[off + lCol[e]];
          b[off + i] = sum;
        }
        for (int i = n - 1; i >= 0; i--) {
          double sum = b[off + i];
          for (int e = uStart[i]; e < uStart[i + 1]; e++) sum -= uVal[e] * b[off + uCol[e]];
          b[off + i] = sum / uDiag[i];
        }
      } else {
        solveSparse(b, off);
      }
    }

    /**
     * Solves for {@code count} right-hand sides stored one after another from b[off]. The dense
     * factors work on them side by side (each update of a row is then a loop over the count
     * columns, which the JIT vectorises); every column sees the same operations in the same order
     * as {@link #solve}, so the results are identical.
     */
    void solveColumns(double[] b, int off, int count) {
      if (sparse) {
        for (int k = 0; k < count; k++) solveSparse(b, off + k * n);
        return;
      }
      double[] t = side;
      for (int i = 0; i < n; i++) {
        int from = off + perm[i];
        int row = i * count;
        for (int k = 0; k < count; k++) t[row + k] = b[from + k * n];
      }
      for (int i = 0; i < n; i++) {
        int row = i * count;
        for (int e = lStart[i]; e < lStart[i + 1]; e++) {
          double l = lVal[e];
          int src = lCol[e] * count;
          for (int k = 0; k < count; k++) t[row + k] -= l * t[src + k];
        }
      }
      for (int i = n - 1; i >= 0; i--) {
        int row = i * count;
        for (int e = uStart[i]; e < uStart[i + 1]; e++) {
          double u = uVal[e];
          int src = uCol[e] * count;
          for (int k = 0; k < count; k++) t[row + k] -= u * t[src + k];
        }
        double d = uDiag[i];
        for (int k = 0; k < count; k++) t[row + k] /= d;
      }
      for (int i = 0; i < n; i++) {
        int row = i * count;
        for (int k = 0; k < count; k++) b[off + k * n + i] = t[row + k];
      }
    }

    private void solveSparse(double[] b, int off) {
      {
        System.arraycopy(b, off, rhs.data, 0, n);
        sparseSolver.solve(rhs, x);
        System.arraycopy(x.data, 0, b, off, n);
      }
    }
  }
}
