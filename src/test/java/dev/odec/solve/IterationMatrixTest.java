package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IterationMatrixTest {
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
    return new OdeJacobian() {
      public int[] rowStart() {
        return rs;
      }

      public int[] colIndex() {
        return ci;
      }

      public void eval(double t, double[] y, double[] v) {
        for (int i = 0; i < n; i++) {
          for (int e = rs[i]; e < rs[i + 1]; e++) v[e] = ci[e] == i ? -2 - (double) i / n + y[0] : 1.0;
        }
      }
    };
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
    OdeJacobian jac = new OdeJacobian() {
      public int[] rowStart() {
        return rs;
      }

      public int[] colIndex() {
        return ci;
      }

      public void eval(double t, double[] y, double[] v) {
        for (int i = 0; i < n; i++) {
          int b = (i + 1) % n;
          // diagonal 1 (so M's diagonal is 0), off-diagonal -(2 + i)
          v[2 * i] = ci[2 * i] == i ? 1.0 : -(2.0 + i);
          v[2 * i + 1] = ci[2 * i + 1] == i ? 1.0 : -(2.0 + i);
        }
      }
    };
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
    OdeJacobian identity = new OdeJacobian() {
      final int[] rs = java.util.stream.IntStream.rangeClosed(0, n).toArray();
      final int[] ci = java.util.stream.IntStream.range(0, n).toArray();

      public int[] rowStart() {
        return rs;
      }

      public int[] colIndex() {
        return ci;
      }

      public void eval(double t, double[] y, double[] v) {
        java.util.Arrays.fill(v, 1.0);
      }
    };
    IterationMatrix m = new IterationMatrix(identity, n, new Stats());
    m.evaluateJacobian(0, new double[n]);
    assertFalse(m.factor(1.0), "I - 1 * I is singular");
  }
}
