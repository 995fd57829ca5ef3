package dev.odec.infer.optim;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Bounded nonlinear least squares, min ½‖r(θ)‖² subject to lo ≤ θ ≤ hi, by the trust-region
 * reflective method of Branch, Coleman and Li (SIAM J. Sci. Comput. 21, 1999), in the form of
 * scipy's {@code least_squares(method='trf')} with the exact (SVD) subproblem solver:
 *
 * <ul>
 *   <li>Coleman–Li scaling: v_i = distance to the bound the anti-gradient points at (1 when
 *       that bound is infinite or g_i = 0), D = diag(√v). The scaled problem has the Jacobian
 *       J·D, gradient D·g and an extra diagonal term diag(g·dv) (dv = ∂v/∂θ ∈ {−1, 0, 1}) that
 *       keeps the quadratic model consistent with the affine-scaling Newton step.
 *   <li>The trust-region subproblem min ‖[J D; diag(g dv)^½] p + [r; 0]‖² subject to ‖p‖ ≤ Δ is
 *       solved exactly from one SVD per iteration with Moré's Newton iteration on the
 *       Levenberg–Marquardt parameter α (Moré, "The Levenberg–Marquardt algorithm:
 *       implementation and theory", 1978).
 *   <li>A step that would leave the box is cut at the first bound it hits and reflected there;
 *       of the cut step (pulled back by θ_s = max(0.995, 1 − ‖g_scaled‖∞) to stay strictly
 *       inside), the best point along the reflected direction and the best point along the
 *       scaled anti-gradient, the one with the lowest model value is taken.
 *   <li>The radius follows the ratio of actual to predicted reduction (×¼ below 0.25, ×2 above
 *       0.75 when the step reached the radius); a point where the model cannot be evaluated
 *       shrinks the radius to a quarter of the step and tries again.
 * </ul>
 *
 * Stops on ‖v·g‖∞ &lt; gtol (first-order optimality with bounds), on ΔF &lt; ftol·F with a
 * ratio above 0.25, on ‖Δθ‖ &lt; xtol·(xtol + ‖θ‖), or on the {@link StopRules} limits.
 */
public final class TrustRegionReflective {
  private static final double EPS = Math.ulp(1.0);

  private final LeastSquares problem;
  private final double[] lo;
  private final double[] hi;
  private final StopRules stop;
  private final int n;
  private final int m;
  private int evaluations;

  public TrustRegionReflective(LeastSquares problem, double[] lo, double[] hi, StopRules stop) {
    this.problem = problem;
    this.lo = lo;
    this.hi = hi;
    this.stop = stop;
    this.n = problem.dimension();
    this.m = problem.residuals();
  }

  /** Minimises from θ0 (moved strictly inside the bounds first). The first point must evaluate. */
  public OptimResult minimize(double[] theta0) {
    double[] x = strictlyFeasible(theta0, 1e-10);
    double[] f = new double[m];
    double[][] jac = new double[m][n];
    double c = problem.evaluate(x, f, jac);
    evaluations = 1;
    double cost = 0.5 * dot(f, f);
    checkFinite(cost);
    double[] g = jtr(jac, f);
    double[] v = new double[n];
    double[] dv = new double[n];
    scaling(x, g, v, dv);
    double delta = 0;
    for (int i = 0; i < n; i++) delta += x[i] * x[i] / v[i];
    delta = Math.sqrt(delta);
    if (delta == 0 || !Double.isFinite(delta)) delta = 1;
    double alpha = 0;
    int iterations = 0;
    String exit = null;
    double[] fNew = new double[m];
    double[][] jacNew = new double[m][n];
    int maxEvaluations = Math.max(100 * n, 10 * stop.maxIter());
    while (true) {
      scaling(x, g, v, dv);
      double gNorm = 0;
      for (int i = 0; i < n; i++) gNorm = Math.max(gNorm, Math.abs(g[i] * v[i]));
      if (gNorm < stop.gtol()) {
        exit = "gradient";
        break;
      }
      String why = stop.interruption(iterations);
      if (why != null || evaluations >= maxEvaluations) {
        exit = why != null ? why : "max-iter";
        break;
      }
      double[] d = new double[n];
      double[] diagH = new double[n];
      double[] gH = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = Math.sqrt(v[i]);
        diagH[i] = g[i] * dv[i];
        gH[i] = d[i] * g[i];
      }
      double[][] jh = new double[m][n];
      for (int r = 0; r < m; r++) for (int i = 0; i < n; i++) jh[r][i] = jac[r][i] * d[i];
      Svd svd = Svd.of(jh, diagH, f);
      double theta = Math.max(0.995, 1 - gNorm);
      double actual = -1;
      double costNew = cost;
      double stepNorm = 0;
      double[] xNew = null;
      boolean done = false;
      while (actual <= 0 && evaluations < maxEvaluations) {
        double[] sub = svd.trustRegionStep(delta, alpha, m >= n);
        alpha = sub[n];
        double[] pH = java.util.Arrays.copyOf(sub, n);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) p[i] = d[i] * pH[i];
        Step step = selectStep(x, jh, diagH, gH, p, pH, d, delta, theta);
        xNew = new double[n];
        for (int i = 0; i < n; i++) xNew[i] = x[i] + step.x[i];
        xNew = strictlyFeasible(xNew, 0);
        double stepHNorm = norm(step.h);
        evaluations++;
        boolean ok;
        try {
          problem.evaluate(xNew, fNew, jacNew);
          costNew = 0.5 * dot(fNew, fNew);
          ok = Double.isFinite(costNew);
        } catch (EvaluationFailure e) {
          ok = false;
        }
        if (!ok) {
          delta = 0.25 * stepHNorm;
          if (delta < 1e-300 || stop.interruption(iterations) != null) break;
          continue;
        }
        actual = cost - costNew;
        double ratio;
        if (step.predicted > 0) ratio = actual / step.predicted;
        else ratio = step.predicted == 0 && actual == 0 ? 1 : 0;
        double deltaNew = delta;
        if (ratio < 0.25) deltaNew = 0.25 * stepHNorm;
        else if (ratio > 0.75 && stepHNorm > 0.95 * delta) deltaNew = 2 * delta;
        stepNorm = norm(step.x);
        boolean fConv = actual < stop.ftol() * cost && ratio > 0.25;
        boolean xConv = stepNorm < stop.xtol() * (stop.xtol() + norm(x));
        if (fConv || xConv) {
          exit = fConv ? "function change" : "step";
          done = true;
          break;
        }
        if (deltaNew > 0) alpha *= delta / deltaNew;
        delta = deltaNew;
      }
      if (actual > 0) {
        x = xNew;
        double[] tf = f;
        f = fNew;
        fNew = tf;
        double[][] tj = jac;
        jac = jacNew;
        jacNew = tj;
        cost = costNew;
        g = jtr(jac, f);
      }
      iterations++;
      if (done) break;
      if (actual <= 0 && (delta < 1e-300 || evaluations >= maxEvaluations)) {
        exit = evaluations >= maxEvaluations ? "max-iter" : "no progress";
        break;
      }
    }
    boolean converged = exit.equals("gradient") || exit.equals("function change") || exit.equals("step");
    return new OptimResult(x, cost + c, iterations, evaluations, exit, converged);
  }

  private static void checkFinite(double cost) {
    if (!Double.isFinite(cost)) throw new EvaluationFailure("non-finite objective", "the objective is " + cost);
  }

  /** Coleman–Li scaling vector v and its derivative dv (see the class comment). */
  private void scaling(double[] x, double[] g, double[] v, double[] dv) {
    for (int i = 0; i < n; i++) {
      v[i] = 1;
      dv[i] = 0;
      if (g[i] < 0 && hi[i] != Double.POSITIVE_INFINITY) {
        v[i] = hi[i] - x[i];
        dv[i] = -1;
      } else if (g[i] > 0 && lo[i] != Double.NEGATIVE_INFINITY) {
        v[i] = x[i] - lo[i];
        dv[i] = 1;
      }
    }
  }

  /**
   * Moves x inside the bounds: a component on or beyond a bound is set a relative distance
   * {@code rstep} inside it (the next representable number when rstep = 0), the midpoint when
   * the bounds are too close for that.
   */
  double[] strictlyFeasible(double[] x, double rstep) {
    double[] out = x.clone();
    for (int i = 0; i < n; i++) {
      boolean atLo;
      boolean atHi;
      if (rstep == 0) {
        atLo = x[i] <= lo[i];
        atHi = !atLo && x[i] >= hi[i];
      } else {
        double dl = x[i] - lo[i];
        double du = hi[i] - x[i];
        atLo = lo[i] != Double.NEGATIVE_INFINITY && dl <= Math.min(rstep * Math.max(1, Math.abs(lo[i])), du);
        atHi = !atLo && hi[i] != Double.POSITIVE_INFINITY && du <= Math.min(rstep * Math.max(1, Math.abs(hi[i])), dl);
      }
      if (atLo) out[i] = rstep == 0 ? Math.nextUp(lo[i]) : lo[i] + rstep * Math.max(1, Math.abs(lo[i]));
      if (atHi) out[i] = rstep == 0 ? Math.nextDown(hi[i]) : hi[i] - rstep * Math.max(1, Math.abs(hi[i]));
      if (out[i] < lo[i] || out[i] > hi[i]) out[i] = 0.5 * (lo[i] + hi[i]);
    }
    return out;
  }

  private record Step(double[] x, double[] h, double predicted) {}

  /** The smallest step along s from x to a bound, and which components reach it (sign of s). */
  private double[] toBound(double[] x, double[] s, int[] hits) {
    double min = Double.POSITIVE_INFINITY;
    double[] steps = new double[n];
    for (int i = 0; i < n; i++) {
      steps[i] = Double.POSITIVE_INFINITY;
      if (s[i] != 0) steps[i] = Math.max((lo[i] - x[i]) / s[i], (hi[i] - x[i]) / s[i]);
      min = Math.min(min, steps[i]);
    }
    if (hits != null) for (int i = 0; i < n; i++) hits[i] = steps[i] == min ? (int) Math.signum(s[i]) : 0;
    return new double[] {min};
  }

  /** The step among the cut trust-region step, its reflection and the anti-gradient with the lowest model. */
  private Step selectStep(double[] x, double[][] jh, double[] diagH, double[] gH, double[] p, double[] pH, double[] d,
      double delta, double theta) {
    boolean inside = true;
    for (int i = 0; i < n; i++) inside &= x[i] + p[i] >= lo[i] && x[i] + p[i] <= hi[i];
    if (inside) return new Step(p, pH, -quadratic(jh, gH, pH, diagH));
    int[] hits = new int[n];
    double pStride = toBound(x, p, hits)[0];
    double[] rH = pH.clone();
    for (int i = 0; i < n; i++) if (hits[i] != 0) rH[i] = -rH[i];
    double[] r = new double[n];
    for (int i = 0; i < n; i++) r[i] = d[i] * rH[i];
    for (int i = 0; i < n; i++) {
      p[i] *= pStride;
      pH[i] *= pStride;
    }
    double[] xOnBound = new double[n];
    for (int i = 0; i < n; i++) xOnBound[i] = x[i] + p[i];
    double toTr = intersectTrustRegion(pH, rH, delta);
    double toB = toBound(xOnBound, r, null)[0];
    double rStride = Math.min(toB, toTr);
    double rLo;
    double rHi;
    if (rStride > 0) {
      rLo = (1 - theta) * pStride / rStride;
      rHi = rStride == toB ? theta * toB : toTr;
    } else {
      rLo = 0;
      rHi = -1;
    }
    double rValue = Double.POSITIVE_INFINITY;
    if (rLo <= rHi) {
      double[] abc = quadratic1d(jh, gH, rH, diagH, pH);
      double[] best = minimize1d(abc[0], abc[1], rLo, rHi, abc[2]);
      rValue = best[1];
      for (int i = 0; i < n; i++) {
        rH[i] = rH[i] * best[0] + pH[i];
        r[i] = rH[i] * d[i];
      }
    }
    for (int i = 0; i < n; i++) {
      p[i] *= theta;
      pH[i] *= theta;
    }
    double pValue = quadratic(jh, gH, pH, diagH);
    double[] agH = new double[n];
    double[] ag = new double[n];
    for (int i = 0; i < n; i++) {
      agH[i] = -gH[i];
      ag[i] = d[i] * agH[i];
    }
    double toTrAg = delta / norm(agH);
    double toBAg = toBound(x, ag, null)[0];
    double agStride = toBAg < toTrAg ? theta * toBAg : toTrAg;
    double[] ab = quadratic1d(jh, gH, agH, diagH, null);
    double[] best = minimize1d(ab[0], ab[1], 0, agStride, 0);
    for (int i = 0; i < n; i++) {
      agH[i] *= best[0];
      ag[i] *= best[0];
    }
    double agValue = best[1];
    if (pValue < rValue && pValue < agValue) return new Step(p, pH, -pValue);
    if (rValue < pValue && rValue < agValue) return new Step(r, rH, -rValue);
    return new Step(ag, agH, -agValue);
  }

  /** The model ½‖J s‖² + ½ sᵀdiag(h)s + gᵀs. */
  private double quadratic(double[][] j, double[] g, double[] s, double[] diag) {
    double q = 0;
    for (int r = 0; r < m; r++) {
      double js = 0;
      for (int i = 0; i < n; i++) js += j[r][i] * s[i];
      q += js * js;
    }
    for (int i = 0; i < n; i++) q += s[i] * diag[i] * s[i];
    return 0.5 * q + dot(g, s);
  }

  /** The model along s0 + t·s as a·t² + b·t + c (s0 may be null: then c = 0). */
  private double[] quadratic1d(double[][] j, double[] g, double[] s, double[] diag, double[] s0) {
    double a = 0;
    double b = dot(g, s);
    double c = 0;
    for (int r = 0; r < m; r++) {
      double v = 0;
      double u = 0;
      for (int i = 0; i < n; i++) {
        v += j[r][i] * s[i];
        if (s0 != null) u += j[r][i] * s0[i];
      }
      a += v * v;
      b += u * v;
      c += 0.5 * u * u;
    }
    for (int i = 0; i < n; i++) {
      a += s[i] * diag[i] * s[i];
      if (s0 != null) {
        b += s0[i] * diag[i] * s[i];
        c += 0.5 * s0[i] * diag[i] * s0[i];
      }
    }
    if (s0 != null) c += dot(g, s0);
    return new double[] {0.5 * a, b, c};
  }

  /** The minimum of a·t² + b·t + c over [lo, hi]: {t, value}. */
  private static double[] minimize1d(double a, double b, double lo, double hi, double c) {
    double[] ts = {lo, hi, Double.NaN};
    if (a != 0) {
      double ext = -0.5 * b / a;
      if (lo < ext && ext < hi) ts[2] = ext;
    }
    double bestT = lo;
    double bestV = Double.POSITIVE_INFINITY;
    for (double t : ts) {
      if (Double.isNaN(t)) continue;
      double v = t * (a * t + b) + c;
      if (v < bestV) {
        bestV = v;
        bestT = t;
      }
    }
    return new double[] {bestT, bestV};
  }

  /** The positive t with ‖x + t·s‖ = Δ (x lies inside the region). */
  private static double intersectTrustRegion(double[] x, double[] s, double delta) {
    double a = dot(s, s);
    double b = dot(x, s);
    double c = dot(x, x) - delta * delta;
    if (a == 0) return Double.POSITIVE_INFINITY;
    c = Math.min(c, 0); // x is inside up to rounding
    double disc = Math.sqrt(b * b - a * c);
    double q = -(b + Math.copySign(disc, b));
    double t1 = q / a;
    double t2 = q == 0 ? 0 : c / q;
    return Math.max(t1, t2);
  }

  private double[] jtr(double[][] j, double[] f) {
    double[] g = new double[n];
    for (int r = 0; r < m; r++) for (int i = 0; i < n; i++) g[i] += j[r][i] * f[r];
    return g;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  /**
   * The SVD of the augmented matrix [J_h; diag(diagH)^½] = U S Vᵀ and uf = Uᵀ[r; 0], from which
   * the trust-region subproblem is solved for any radius.
   */
  private static final class Svd {
    final double[] s;
    final double[][] v;
    final double[] uf;
    final int n;
    final int rows;

    private Svd(double[] s, double[][] v, double[] uf, int rows) {
      this.s = s;
      this.v = v;
      this.uf = uf;
      this.n = s.length;
      this.rows = rows;
    }

    static Svd of(double[][] jh, double[] diagH, double[] f) {
      int m = jh.length;
      int n = diagH.length;
      DMatrixRMaj a = new DMatrixRMaj(m + n, n);
      for (int r = 0; r < m; r++) for (int i = 0; i < n; i++) a.set(r, i, jh[r][i]);
      for (int i = 0; i < n; i++) a.set(m + i, i, Math.sqrt(Math.max(0, diagH[i])));
      SingularValueDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.svd(m + n, n, true, true, true);
      if (!dec.decompose(a)) throw new EvaluationFailure("singular value decomposition failed",
          "the Jacobian of the residuals has non-finite entries");
      DMatrixRMaj u = dec.getU(null, false);
      DMatrixRMaj w = dec.getW(null);
      DMatrixRMaj vt = dec.getV(null, false);
      SingularOps_DDRM.descendingOrder(u, false, w, vt, false);
      double[] s = new double[n];
      double[][] v = new double[n][n];
      double[] uf = new double[n];
      for (int k = 0; k < n; k++) {
        s[k] = w.get(k, k);
        double sum = 0;
        for (int r = 0; r < m; r++) sum += u.get(r, k) * f[r];
        uf[k] = sum;
        for (int i = 0; i < n; i++) v[i][k] = vt.get(i, k);
      }
      return new Svd(s, v, uf, m);
    }

    private double[] apply(double[] coef) {
      double[] p = new double[n + 1];
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int k = 0; k < n; k++) sum += v[i][k] * coef[k];
        p[i] = -sum;
      }
      return p;
    }

    /**
     * The step p (first n entries) minimising the model within radius Δ, and the
     * Levenberg–Marquardt parameter α (entry n) with p = −V (S² + α)⁻¹ S Uᵀf (Moré 1978).
     */
    double[] trustRegionStep(double delta, double alphaStart, boolean tall) {
      double[] suf = new double[n];
      for (int k = 0; k < n; k++) suf[k] = s[k] * uf[k];
      boolean fullRank = tall && n > 0 && s[n - 1] > EPS * rows * s[0];
      if (fullRank) {
        double[] coef = new double[n];
        for (int k = 0; k < n; k++) coef[k] = uf[k] / s[k];
        double[] p = apply(coef);
        if (norm(java.util.Arrays.copyOf(p, n)) <= delta) {
          p[n] = 0;
          return p;
        }
      }
      double alphaHi = norm(suf) / delta;
      double alphaLo = 0;
      if (fullRank) {
        double[] pp = phi(0, suf, delta);
        alphaLo = -pp[0] / pp[1];
      }
      double alpha = alphaStart;
      if (!fullRank && alphaStart == 0) alpha = Math.max(1e-3 * alphaHi, Math.sqrt(alphaLo * alphaHi));
      for (int it = 0; it < 10; it++) {
        if (alpha < alphaLo || alpha > alphaHi) alpha = Math.max(1e-3 * alphaHi, Math.sqrt(alphaLo * alphaHi));
        double[] pp = phi(alpha, suf, delta);
        if (pp[0] < 0) alphaHi = alpha;
        double ratio = pp[0] / pp[1];
        alphaLo = Math.max(alphaLo, alpha - ratio);
        alpha -= (pp[0] + delta) * ratio / delta;
        if (Math.abs(pp[0]) < 0.01 * delta) break;
      }
      double[] coef = new double[n];
      for (int k = 0; k < n; k++) coef[k] = suf[k] / (s[k] * s[k] + alpha);
      double[] p = apply(coef);
      double pn = norm(java.util.Arrays.copyOf(p, n));
      if (pn > 0) for (int i = 0; i < n; i++) p[i] *= delta / pn;
      p[n] = alpha;
      return p;
    }

    /** φ(α) = ‖p(α)‖ − Δ and φ'(α). */
    private double[] phi(double alpha, double[] suf, double delta) {
      double pn = 0;
      double dp = 0;
      for (int k = 0; k < n; k++) {
        double den = s[k] * s[k] + alpha;
        pn += suf[k] * suf[k] / (den * den);
        dp += suf[k] * suf[k] / (den * den * den);
      }
      pn = Math.sqrt(pn);
      return new double[] {pn - delta, -dp / pn};
    }
  }
}
