package dev.odec.solve;

/** Test problems with closed-form solutions. */
final class Problems {
  private Problems() {}

  /** A problem dy/dt = f(t, y), y(t0) = y0 with its exact solution. */
  abstract static class Problem implements OdeFunction {
    final String name;
    final double t0;
    final double[] y0;
    /** The end time the convergence tests integrate to. */
    double tEnd = 10.0;

    Problem(String name, double t0, double[] y0) {
      this.name = name;
      this.t0 = t0;
      this.y0 = y0;
    }

    @Override
    public int dimension() {
      return y0.length;
    }

    /** The exact solution at t. */
    abstract double[] exact(double t);

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * y' = A y with A = [[−a, −w], [w, −a]] (rotation with decay); y(t) = e^{−at} R(wt) y0 where R is
   * the rotation by wt, which is exp(tA) in closed form since the two parts of A commute.
   */
  static Problem rotation(double a, double w) {
    return new Problem("rotation", 0.0, new double[] {1.0, 0.5}) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        dy[0] = -a * y[0] - w * y[1];
        dy[1] = w * y[0] - a * y[1];
      }

      @Override
      double[] exact(double t) {
        double d = Math.exp(-a * t);
        double cs = Math.cos(w * t);
        double sn = Math.sin(w * t);
        return new double[] {d * (cs * y0[0] - sn * y0[1]), d * (sn * y0[0] + cs * y0[1])};
      }
    };
  }

  /**
   * Nonlinear limit cycle y1' = −y2 + y1 (1 − r²), y2' = y1 + y2 (1 − r²), r² = y1² + y2². In
   * polar form r' = r (1 − r²), φ' = 1, so r(t) = 1 / sqrt(1 + (1/r0² − 1) e^{−2t}), φ = t.
   */
  static Problem limitCycle() {
    double r0 = 0.5;
    return new Problem("limit-cycle", 0.0, new double[] {r0, 0.0}) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        double g = 1 - (y[0] * y[0] + y[1] * y[1]);
        dy[0] = -y[1] + y[0] * g;
        dy[1] = y[0] + y[1] * g;
      }

      @Override
      double[] exact(double t) {
        double r = 1 / Math.sqrt(1 + (1 / (r0 * r0) - 1) * Math.exp(-2 * t));
        return new double[] {r * Math.cos(t), r * Math.sin(t)};
      }
    };
  }

  /**
   * Nonlinear oscillator y1' = −w y2 (y1² + y2²), y2' = w y1 (y1² + y2²). The radius r0 is
   * conserved, so y = r0 (cos(w r0² t), sin(w r0² t)) — an entire function, which keeps the
   * asymptotic error regime wide.
   */
  static Problem nonlinearOscillator(double w) {
    double r0 = 1.1;
    return new Problem("nonlinear-oscillator", 0.0, new double[] {r0, 0.0}) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        double r2 = y[0] * y[0] + y[1] * y[1];
        dy[0] = -w * y[1] * r2;
        dy[1] = w * y[0] * r2;
      }

      @Override
      double[] exact(double t) {
        double phase = w * r0 * r0 * t;
        return new double[] {r0 * Math.cos(phase), r0 * Math.sin(phase)};
      }
    };
  }

  /**
   * Non-autonomous and nonlinear: y' = y cos t − (y² − e^{2 sin t}) / 5, y(0) = 1; the added term
   * vanishes on the exact solution y = e^{sin t} but not on the numerical one.
   */
  static Problem manufactured() {
    return new Problem("manufactured", 0.0, new double[] {1.0}) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        dy[0] = y[0] * Math.cos(t) - (y[0] * y[0] - Math.exp(2 * Math.sin(t))) / 5;
      }

      @Override
      double[] exact(double t) {
        return new double[] {Math.exp(Math.sin(t))};
      }
    };
  }

  /** The problems of the convergence tests. */
  static Problem[] smooth() {
    Problem rotation = rotation(0.02, 3.0);
    rotation.tEnd = 40.0;
    return new Problem[] {rotation, nonlinearOscillator(1.0), manufactured()};
  }

  static double maxError(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** Least-squares slope of log(ys) against log(xs). */
  static double logLogSlope(double[] xs, double[] ys) {
    int m = xs.length;
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < m; i++) {
      sx += Math.log(xs[i]);
      sy += Math.log(ys[i]);
    }
    double mx = sx / m;
    double my = sy / m;
    double num = 0;
    double den = 0;
    for (int i = 0; i < m; i++) {
      double dx = Math.log(xs[i]) - mx;
      num += dx * (Math.log(ys[i]) - my);
      den += dx * dx;
    }
    return num / den;
  }
}
