package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IterationMatrixTest {
  /** Values of a Jacobian's entries in pattern order. */
  private interface Values {
    void eval(double t, double[] y, double[] v);
  }

  /** A Jacobian with pattern (rs, ci), its values from {@code values}, claiming sensitivity block size {@code block}. */
  private static OdeJacobian jacobian(int[] rs, int[] ci, int block, Values values) {
    return new OdeJacobian() {
      public int[] rowStart() {
        return rs;
      }

      public int[] colIndex() {
        return ci;
      }

      public void eval(double t, double[] y, double[] v) {
        values.eval(t, y, v);
      }

      public int sensitivityBlock() {
        return block;
      }
    };
  }

  /** J = tridiagonal(1, -2 - i/n, 1) of size n: M = I - γ J is diagonally dominant. */
  private static OdeJacobian tridiagonal(int n) {
    int[] rs = new int[n + 1];
    int[] ci = new int[3 * n - 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      rs[i] = k;
      for (int j = Math.max(0, i - 1); j <= Math.min(n - 1, i + 1); j++) ci[k++] = j;
    }
    rs[n] = k;
    return jacobian(rs, ci, 0, (t, y, v) -> {
      for (int i = 0; i < n; i++) {
        for (int e = rs[i]; e < rs[i + 1]; e++) v[e] = ci[e] == i ? -2 - (double) i / n + y[0] : 1.0;
      }
    });
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 64, 300})
  void solvesAgainstTheMatrixItFactored(int n) {
    Stats stats = new Stats();
    OdeJacobian jac = tridiagonal(n);
    IterationMatrix m = new IterationMatrix(jac, n, stats);
    assertEquals(n > IterationMatrix.DENSE_LIMIT, m.isSparse());
    m.evaluateJacobian(0, new double[] {0.5});
    double gamma = 0.37;
    assertTrue(m.factor(gamma));
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = Math.sin(i + 1.0);
    // b = M x
    double[] b = new double[n];
    double[] v = m.jacobianValues();
    int[] rs = jac.rowStart();
    int[] ci = jac.colIndex();
    for (int i = 0; i < n; i++) {
      b[i] = x[i];
      for (int e = rs[i]; e < rs[i + 1]; e++) b[i] -= gamma * v[e] * x[ci[e]];
    }
    m.solve(b);
    for (int i = 0; i < n; i++) assertEquals(x[i], b[i], 1e-12);
    assertEquals(1, stats.jacobians);
    assertEquals(1, stats.lu);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 80})
  void pivotsWhenTheDiagonalIsSmall(int n) {
    // J with M = I - J a cyclic permutation-like matrix: zero diagonal forces row exchanges
    int[] rs = new int[n + 1];
    int[] ci = new int[2 * n];
    for (int i = 0; i < n; i++) {
      rs[i] = 2 * i;
      int a = i;
      int b = (i + 1) % n;
      ci[2 * i] = Math.min(a, b);
      ci[2 * i + 1] = Math.max(a, b);
    }
    rs[n] = 2 * n;
    OdeJacobian jac = jacobian(rs, ci, 0, (t, y, v) -> {
      for (int i = 0; i < n; i++) {
        // diagonal 1 (so M's diagonal is 0), off-diagonal -(2 + i)
        v[2 * i] = ci[2 * i] == i ? 1.0 : -(2.0 + i);
        v[2 * i + 1] = ci[2 * i + 1] == i ? 1.0 : -(2.0 + i);
      }
    });
    IterationMatrix m = new IterationMatrix(jac, n, new Stats());
    m.evaluateJacobian(0, new double[n]);
    assertTrue(m.factor(1.0));
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = 1.0 + i * 0.25;
    double[] b = new double[n];
    for (int i = 0; i < n; i++) b[i] = (2.0 + i) * x[(i + 1) % n]; // M x with M = I - J
    m.solve(b);
    for (int i = 0; i < n; i++) assertEquals(x[i], b[i], 1e-12);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 100})
  void reportsASingularMatrix(int n) {
    OdeJacobian identity = jacobian(java.util.stream.IntStream.rangeClosed(0, n).toArray(),
        java.util.stream.IntStream.range(0, n).toArray(), 0, (t, y, v) -> java.util.Arrays.fill(v, 1.0));
    IterationMatrix m = new IterationMatrix(identity, n, new Stats());
    m.evaluateJacobian(0, new double[n]);
    assertFalse(m.factor(1.0), "I - 1 * I is singular");
  }

  /**
   * The Jacobian of a sensitivity system [x, S_1..S_K] with blocks of size m: A = tridiagonal, C_k
   * with three entries per row in block column 0, and the diagonal blocks A; claims the
   * structure when {@code claim}.
   */
  private static OdeJacobian sensitivityLike(int m, int cols, boolean claim) {
    int n = m * (1 + cols);
    java.util.List<int[]> entries = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i / m;
      int r = i % m;
      if (k > 0) {
        java.util.TreeSet<Integer> cs = new java.util.TreeSet<>();
        for (int q = 0; q < 3; q++) cs.add((r * 7 + q * 13 + k * 5) % m);
        for (int c : cs) entries.add(new int[] {i, c});
      }
      for (int j = Math.max(0, r - 1); j <= Math.min(m - 1, r + 1); j++) entries.add(new int[] {i, k * m + j});
    }
    int[] rs = new int[n + 1];
    int[] ci = new int[entries.size()];
    for (int e = 0; e < ci.length; e++) {
      rs[entries.get(e)[0] + 1]++;
      ci[e] = entries.get(e)[1];
    }
    for (int i = 0; i < n; i++) rs[i + 1] += rs[i];
    return jacobian(rs, ci, claim ? m : 0, (t, y, v) -> {
      for (int i = 0; i < n; i++) {
        int r = i % m;
        for (int e = rs[i]; e < rs[i + 1]; e++) {
          int c = ci[e];
          if (c / m == i / m) v[e] = c % m == r ? -2 - (double) r / m + y[0] : 1.0 + 0.1 * (c % m) / m;
          else v[e] = Math.sin(1.0 + i + 0.5 * c); // C_k
        }
      }
    });
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 80})
  void factorsOnlyTheDiagonalBlockOfASensitivitySystemAndSolvesTheWholeSystem(int m) {
    int cols = 3;
    int n = m * (1 + cols);
    Stats stats = new Stats();
    IterationMatrix blockwise = new IterationMatrix(sensitivityLike(m, cols, true), n, stats);
    IterationMatrix whole = new IterationMatrix(sensitivityLike(m, cols, false), n, new Stats());
    assertEquals(m, blockwise.factoredSize());
    assertEquals(n, whole.factoredSize());
    assertEquals(m > IterationMatrix.DENSE_LIMIT, blockwise.isSparse());
    double gamma = 0.41;
    double[] y = {0.3};
    for (IterationMatrix im : new IterationMatrix[] {blockwise, whole}) {
      im.evaluateJacobian(0, y);
      assertTrue(im.factor(gamma));
    }
    double[] b = new double[n];
    for (int i = 0; i < n; i++) b[i] = Math.cos(0.7 * i);
    double[] u = b.clone();
    double[] w = b.clone();
    blockwise.solve(u);
    whole.solve(w);
    // M u = b with the full M = I - γ J, and the same solution as the LU of the whole matrix
    OdeJacobian jac = sensitivityLike(m, cols, true);
    double[] v = blockwise.jacobianValues();
    for (int i = 0; i < n; i++) {
      double r = u[i];
      for (int e = jac.rowStart()[i]; e < jac.rowStart()[i + 1]; e++) r -= gamma * v[e] * u[jac.colIndex()[e]];
      assertEquals(b[i], r, 1e-12, "row " + i);
      assertEquals(w[i], u[i], 1e-12 * (1 + Math.abs(w[i])), "component " + i);
    }
    assertEquals(1, stats.lu);
  }

  @org.junit.jupiter.api.Test
  void aPatternWithoutTheSensitivityStructureIsFactoredWhole() {
    // claims block size 5 but S_1's rows read S_2: not block lower-triangular
    int m = 5;
    OdeJacobian honest = sensitivityLike(m, 2, true);
    int n = 3 * m;
    int[] rs = honest.rowStart().clone();
    int[] ci = honest.colIndex().clone();
    ci[rs[m + 1] - 1] = 2 * m + 1; // the last entry of row m+1 (a diagonal-block entry) moves to block 2
    OdeJacobian crossed = jacobian(rs, ci, m, (t, y, v) -> java.util.Arrays.fill(v, 0.5));
    assertEquals(n, new IterationMatrix(crossed, n, new Stats()).factoredSize());
  }
}
