package dev.odec.solve;

/**
 * The step size {@link Bdf} would take at the current point of an explicit integration, from the
 * derivatives f(t_j, y_j) at the explicit method's last accepted points: the {@code auto} solver's
 * test whether the implicit method has become the cheaper one (LSODA's method-switching idea,
 * L. Petzold, "Automatic selection of methods for solving stiff and nonstiff systems of ordinary
 * differential equations", SIAM J. Sci. Stat. Comput. 4, 1983, with an explicit Runge–Kutta
 * method in place of Adams).
 *
 * <p>With the divided differences of f over the last ℓ + 1 points, y^(ℓ+1) ≈ ℓ! f[t_0, …, t_ℓ].
 * BDF of order q estimates its local error as ∇^{q+1} y / (q + 1) ≈ H^{q+1} y^(q+1) / (q + 1)
 * (see {@link Bdf}), so with BDF's weights (its calibrated tolerances) the largest step of order q
 * that passes its error test is H_q = ((q + 1) / ‖W y^(q+1)‖)^{1/(q+1)}; the estimate is the
 * largest H_q for q = 1..min(5, points − 1). Where the explicit method's steps are limited by
 * accuracy rather than stability, this is what decides between the two methods at tight
 * tolerances: BDF's error is of one order higher in H than the embedded estimate of a 5(4) pair,
 * so on a stiff problem's smooth stretches at rtol 1e-10 it takes steps as long as Tsit5's for
 * about half the evaluations of f per step (HIRES, OREGO), while on oscillatory non-stiff problems
 * (Lotka–Volterra, Lorenz, a pendulum) its steps stay 3–4 times shorter.
 *
 * <p>Preallocated; {@link #push} copies one vector per accepted step.
 */
final class BdfStepEstimate {
  static final int POINTS = Bdf.MAX_ORDER + 1;

  private final int n;
  private final double[][] f;
  private final double[] t = new double[POINTS];
  private final double[][] diff;
  private int count;
  private int head;

  BdfStepEstimate(int n) {
    this.n = n;
    f = new double[POINTS][n];
    diff = new double[POINTS][n];
  }

  /** Forgets the history (a new solve). */
  void reset() {
    count = 0;
    head = 0;
  }

  /** Records f(time, y) at an accepted point. */
  void push(double time, double[] fy) {
    head = (head + 1) % POINTS;
    t[head] = time;
    System.arraycopy(fy, 0, f[head], 0, n);
    count = Math.min(count + 1, POINTS);
  }

  /**
   * BDF's step at the newest point with weights 1/sc, sc_c = calibrated (atol_c + rtol_c |y_c|);
   * 0 when fewer than three points are known.
   */
  double step(double[] y, double[] rtol, double[] atol) {
    if (count < 3) return 0.0;
    for (int j = 0; j < count; j++) {
      System.arraycopy(f[(head - j + POINTS) % POINTS], 0, diff[j], 0, n);
    }
    double best = 0.0;
    double factorial = 1.0;
    for (int level = 1; level < count; level++) {
      // diff[j] ← f[t_j, …, t_{j+level}] (newest first)
      for (int j = 0; j + level < count; j++) {
        double span = t[(head - j + POINTS) % POINTS] - t[(head - j - level + 2 * POINTS) % POINTS];
        double[] a = diff[j];
        double[] b = diff[j + 1];
        for (int c = 0; c < n; c++) {
          a[c] = (a[c] - b[c]) / span;
        }
      }
      factorial *= level;
      double sum = 0.0;
      for (int c = 0; c < n; c++) {
        double sc = Bdf.TOLERANCE_CALIBRATION * (atol[c] + rtol[c] * Math.abs(y[c]));
        double e = factorial * diff[0][c] / sc;
        sum += e * e;
      }
      double norm = Math.sqrt(sum / Math.max(n, 1));
      if (!Double.isFinite(norm)) return 0.0;
      double h = norm == 0.0 ? Double.POSITIVE_INFINITY : Math.pow((level + 1) / norm, 1.0 / (level + 1));
      best = Math.max(best, h);
    }
    return best;
  }
}
