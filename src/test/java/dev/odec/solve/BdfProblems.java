package dev.odec.solve;

/** Stiff test problems for {@link Bdf}, each a right-hand side with its hand-written Jacobian. */
final class BdfProblems {
  private BdfProblems() {}

  /** A problem: f and J in one object. */
  abstract static class Stiff implements OdeFunction {
    private final int n;
    /** The Jacobian, as the solver sees it. */
    final OdeJacobian jac = new OdeJacobian() {
      @Override
      public int[] rowStart() {
        return rowStart;
      }

      @Override
      public int[] colIndex() {
        return colIndex;
      }

      @Override
      public void eval(double t, double[] y, double[] values) {
        jacobian(t, y, values);
      }
    };
    private final int[] rowStart;
    private final int[] colIndex;

    /** A dense n×n pattern. */
    Stiff(int n) {
      this.n = n;
      rowStart = new int[n + 1];
      colIndex = new int[n * n];
      for (int i = 0; i < n; i++) {
        rowStart[i + 1] = (i + 1) * n;
        for (int j = 0; j < n; j++) {
          colIndex[i * n + j] = j;
        }
      }
    }

    /** A given CSR pattern. */
    Stiff(int[] rowStart, int[] colIndex) {
      this.n = rowStart.length - 1;
      this.rowStart = rowStart;
      this.colIndex = colIndex;
    }

    @Override
    public int dimension() {
      return n;
    }

    /** Writes J(t, y) in the pattern's order. */
    abstract void jacobian(double t, double[] y, double[] v);
  }

  /**
   * Two species exchanged fast and produced and removed slowly: x' = k (2 − x) − k_f x + k_f y/2,
   * y' = k_f x − k_f y/2 − k y, k = 0.5, k_f = 1000, x(0) = y(0) = 0 (eigenvalues about −1500 and
   * −0.5). It reaches its steady state {@link #exchangeSteadyState} by t ≈ 60 and stays there.
   */
  static Stiff exchange() {
    return new Stiff(2) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        dy[0] = 0.5 * (2 - y[0]) - 1000 * y[0] + 0.5 * 1000 * y[1];
        dy[1] = 1000 * y[0] - 0.5 * 1000 * y[1] - 0.5 * y[1];
      }

      @Override
      void jacobian(double t, double[] y, double[] v) {
        v[0] = -0.5 - 1000;
        v[1] = 500;
        v[2] = 1000;
        v[3] = -500 - 0.5;
      }
    };
  }

  /** The steady state of {@link #exchange}: y = k_f x / (k_f/2 + k) and k (2 − x) = k y. */
  static double[] exchangeSteadyState() {
    double ratio = 1000 / (500 + 0.5);
    double x = 2 / (1 + ratio);
    return new double[] {x, ratio * x};
  }

  /** Robertson's chemical kinetics, k1 = 0.04, k2 = 3e7, k3 = 1e4, y0 = (1, 0, 0). */
  static Stiff robertson() {
    return new Stiff(3) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        double r1 = 0.04 * y[0];
        double r2 = 3e7 * y[1] * y[1];
        double r3 = 1e4 * y[1] * y[2];
        dy[0] = -r1 + r3;
        dy[1] = r1 - r2 - r3;
        dy[2] = r2;
      }

            void jacobian(double t, double[] y, double[] v) {
        v[0] = -0.04;
        v[1] = 1e4 * y[2];
        v[2] = 1e4 * y[1];
        v[3] = 0.04;
        v[4] = -6e7 * y[1] - 1e4 * y[2];
        v[5] = -1e4 * y[1];
        v[6] = 0;
        v[7] = 6e7 * y[1];
        v[8] = 0;
      }
    };
  }

  /** Van der Pol in the IVP test set's scaled form: y1' = y2, y2' = ((1 − y1²) y2 − y1)/ε. */
  static Stiff vanDerPol(double eps) {
    return new Stiff(2) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        dy[0] = y[1];
        dy[1] = ((1 - y[0] * y[0]) * y[1] - y[0]) / eps;
      }

            void jacobian(double t, double[] y, double[] v) {
        v[0] = 0;
        v[1] = 1;
        v[2] = (-2 * y[0] * y[1] - 1) / eps;
        v[3] = (1 - y[0] * y[0]) / eps;
      }
    };
  }

  /**
   * y' = A (y − g(t)) + g'(t) with A = [[−λ, 1], [0, −1]] and g = (sin t, cos t): the solution
   * from y(0) = g(0) is y = g(t) for every λ (a stiff, smooth problem with a known solution).
   */
  static Stiff linearSmooth(double lambda) {
    return new Stiff(2) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        double e0 = y[0] - Math.sin(t);
        double e1 = y[1] - Math.cos(t);
        dy[0] = -lambda * e0 + e1 + Math.cos(t);
        dy[1] = -e1 - Math.sin(t);
      }

            void jacobian(double t, double[] y, double[] v) {
        v[0] = -lambda;
        v[1] = 1;
        v[2] = 0;
        v[3] = -1;
      }
    };
  }

  /**
   * A linear chain of first-order reactions y_0 → y_1 → … → y_{n−1} with rates k_i spread over
   * six decades (stiff), and a constant inflow into y_0: y_0' = 1 − k_0 y_0, y_i' = k_{i−1}
   * y_{i−1} − k_i y_i. Bidiagonal Jacobian.
   */
  static Stiff chain(int n) {
    int[] rs = new int[n + 1];
    int[] ci = new int[2 * n - 1];
    int k = 0;
    for (int i = 0; i < n; i++) {
      rs[i] = k;
      if (i > 0) {
        ci[k++] = i - 1;
      }
      ci[k++] = i;
    }
    rs[n] = k;
    double[] rate = new double[n];
    for (int i = 0; i < n; i++) {
      rate[i] = Math.pow(10.0, (i * 7 % 13) * 0.5);
    }
    return new Stiff(rs, ci) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        dy[0] = 1 - rate[0] * y[0];
        for (int i = 1; i < n; i++) {
          dy[i] = rate[i - 1] * y[i - 1] - rate[i] * y[i];
        }
      }

            void jacobian(double t, double[] y, double[] v) {
        int e = 0;
        v[e++] = -rate[0];
        for (int i = 1; i < n; i++) {
          v[e++] = rate[i - 1];
          v[e++] = -rate[i];
        }
      }
    };
  }
}
