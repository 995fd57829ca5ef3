package dev.odec.solve;

import java.util.Locale;

/**
 * Variable-order (1–5), variable-step BDF integrator for stiff systems dy/dt = f(t, y), with
 * modified Newton iterations on the model's analytic Jacobian.
 *
 * <p><b>Formulation.</b> The quasi-constant step size, fixed-leading-coefficient form of
 * Shampine &amp; Reichelt ("The MATLAB ODE Suite", SIAM J. Sci. Comput. 18, 1997; the form of
 * ode15s and of SciPy's {@code scipy.integrate.BDF}) with the NDF constants κ set to zero, i.e.
 * the plain BDFs. The history is kept as the backward differences D_j = ∇^j y_n, j = 0..q (plus
 * two more rows for the error estimates of the neighbouring orders), on an equally spaced grid of
 * spacing h. A step of order q from t_n to t_{n+1} = t_n + h
 *
 * <pre>
 *   predictor   y⁽⁰⁾ = Σ_{j=0..q} D_j
 *   corrector   Σ_{j=1..q} (1/j) ∇^j y_{n+1} = h f(t_{n+1}, y_{n+1})
 *   written as  d = c f(t_{n+1}, y⁽⁰⁾ + d) − ψ,   c = h / γ_q,   ψ = (1/γ_q) Σ_{j=1..q} γ_j D_j,
 *               γ_j = Σ_{i=1..j} 1/i,   d = y_{n+1} − y⁽⁰⁾ = ∇^{q+1} y_{n+1}
 * </pre>
 *
 * is solved for d by modified Newton iterations (I − c J) Δ = c f − ψ − d with the iteration
 * matrix of {@link IterationMatrix} (γ of that class is c here). When the step size changes, the
 * differences are re-interpolated to the new spacing (D ← (R U)ᵀ D with Shampine &amp; Reichelt's
 * matrices R(ρ) and U = R(1), ρ = h_new / h_old).
 *
 * <p><b>Newton iteration</b> (SciPy's {@code solve_bdf_system}): at most 4 iterations; with the
 * weighted RMS norm of the corrections and the observed rate ρ_k = ‖Δ_k‖/‖Δ_{k−1}‖ the iteration
 * stops as divergent when ρ ≥ 1 or ρ^{4−k}/(1−ρ)·‖Δ_k‖ exceeds the tolerance, and as converged
 * when ρ/(1−ρ)·‖Δ_k‖ &lt; tol, tol = max(10 ε / rtol, min(0.03, √rtol)). The Jacobian J is kept
 * across steps and re-evaluated (at the last accepted point) only when the iteration fails with a
 * Jacobian from an earlier step; M = I − c J is re-factored only when c has changed by more than
 * 30% since the last factorisation (or after a failure with a stale factorisation). A factorisation
 * at c_old is used for c with CVODE's correction scale 2/(1 + c/c_old) (Hindmarsh et al., "SUNDIALS:
 * Suite of nonlinear and differential/algebraic equation solvers", ACM TOMS 31, 2005, §2.1). When
 * the iteration fails with a current Jacobian and factorisation, the step is cut by 4; ten such
 * failures in one step (CVODE's limit), or a step below the floating-point resolution of t, end the
 * solve with a "Newton iteration failed" {@link SolverFailure}.
 *
 * <p><b>Error control and order selection.</b> The local error estimate of order q is
 * E = d/(q + 1) (the error constant of the BDF of order q times ∇^{q+1} y_{n+1}); its norm is
 * Hairer's weighted RMS norm ‖E‖ = sqrt((1/n) Σ (E_i / sc_i)²), sc_i = atol_i + rtol_i |y_{n+1,i}|
 * with per-state tolerances. A step is accepted when ‖E‖ ≤ 1; a rejected step is retried with
 * h · max(0.2, s ‖E‖^{−1/(q+1)}), s = 0.9 (2·4 + 1)/(2·4 + iterations). After q + 1 steps of equal
 * size the estimates of the orders q − 1 (‖∇^q y_{n+1}‖/q) and q + 1 (‖∇^{q+2} y_{n+1}‖/(q + 2))
 * are compared with that of order q: the order with the largest step factor ‖E_k‖^{−1/(k+1)} is
 * taken, and h grows by min(10, s · that factor).
 *
 * <p><b>Initial step.</b> Order 1, D_1 = h f(t0, y0), and h from Hairer's estimate as in SciPy's
 * {@code select_initial_step}: h0 = 0.01 ‖y0‖/‖f0‖, one explicit Euler step for ‖y''‖, h =
 * min(100 h0, (0.01 / max(‖f0‖, ‖y''‖))^{1/2}) (one evaluation of f).
 *
 * <p><b>Output.</b> As {@link ExplicitRk}: integration from t0 to the last {@code saveat} time
 * (possibly before t0), the last step clipped to land on it; output points never shorten a step
 * and are interpolated with the polynomial through y_{n+1}, …, y_{n+1−q}, the Newton backward
 * difference form p(t) = Σ_j D_j Π_{i&lt;j} (t − t_{n+1} + i h)/((i + 1) h).
 *
 * <p><b>Counting.</b> {@link Stats#nfe}: 1 for f(t0, y0), 1 for the initial step estimate, 1 per
 * Newton iteration; {@link Stats#steps}, {@link Stats#rejected} (error test and Newton failures),
 * {@link Stats#jacobians} and {@link Stats#lu} as counted by {@link IterationMatrix}.
 * {@link SolverOptions#maxSteps} bounds the step attempts; {@link SolverOptions#dt} forces fixed
 * steps without error control or order changes.
 *
 * <p><b>Linear algebra.</b> {@link IterationMatrix} forms, factors and counts M; two of its defects
 * are worked around here: its dense {@code solve} permutes the right-hand side before an LU solve
 * that pivots itself (wrong whenever rows were swapped), so dense solves call the LU directly; and
 * its sparse singularity test gives false alarms, so a sparse factorisation reported singular is
 * kept when a test solve shows it accurate.
 *
 * <p>An instance preallocates all its work arrays (and keeps the iteration matrix of the last
 * Jacobian it saw); after that a solve allocates only the returned {@link Solution}. An instance
 * is reusable but not thread-safe.
 */
public final class Bdf {
  /**
   * The local error test runs at this fraction of the requested tolerances. Like most BDF codes,
   * the plain test (CVODE's ‖e‖ ≤ 1) lets the global error of long or oscillatory problems grow
   * to 5–10 times the tolerance (OREGO at rtol 1e-6: 4.2 correct digits); a tenth brings every
   * IVP test set problem to the digits the tolerance promises (the stiff test-set test), for about
   * 1.5 times the work. Tests that pin the order see the plain tolerances.
   */
  static final double TOLERANCE_CALIBRATION = 0.1;

  static final int MAX_ORDER = 5;
  private static final int NEWTON_MAXITER = 4;
  private static final double MIN_FACTOR = 0.2;
  private static final double MAX_FACTOR = 10.0;
  private static final double REFACTOR_CHANGE = 0.3;
  private static final double NEWTON_CUT = 0.25;
  private static final int MAX_NEWTON_FAILURES = 10;
  /** γ_k = Σ_{j=1..k} 1/j, k = 0..MAX_ORDER (also α_k, as κ = 0). */
  private static final double[] GAMMA = new double[MAX_ORDER + 1];
  /** The error constants 1/(k + 1), k = 0..MAX_ORDER + 1. */
  private static final double[] ERROR_CONST = new double[MAX_ORDER + 2];

  static {
    for (int k = 1; k <= MAX_ORDER; k++) {
      GAMMA[k] = GAMMA[k - 1] + 1.0 / k;
    }
    for (int k = 0; k < ERROR_CONST.length; k++) {
      ERROR_CONST[k] = 1.0 / (k + 1);
    }
  }

  /**
   * Pins the order to this value (1..5) when positive: no order selection. For tests of the
   * methods' convergence, with {@link SolverOptions#dt} for a fixed step.
   */
  int pinnedOrder = 0;
  /** The highest order the order selection may choose (1..5). */
  int maxOrder = MAX_ORDER;
  /**
   * When non-null (with {@link #pinnedOrder} q and a fixed step h), the starting history:
   * {@code startHistory[j]} = y(t0 − j h) for j = 0..q, so that the first step already has order q.
   */
  double[][] startHistory = null;

  private final int n;
  private final double[][] dd;
  private final double[][] dTmp;
  private final double[][] rMat = new double[MAX_ORDER + 1][MAX_ORDER + 1];
  private final double[][] uMat = new double[MAX_ORDER + 1][MAX_ORDER + 1];
  private final double[][] ruMat = new double[MAX_ORDER + 1][MAX_ORDER + 1];
  private final double[] yPred;
  private final double[] psi;
  private final double[] yNew;
  private final double[] d;
  private final double[] fv;
  private final double[] dy;
  private final double[] scale;
  private final double[] resid;
  private final double[] atolV;
  private final double[] rtolV;
  private final Stats matrixStats = new Stats();
  private final Dense dense = new Dense();
  private IterationMatrix matrix;
  private OdeJacobian matrixJac;

  // Per-solve state.
  private OdeFunction f;
  private Stats stats;
  private int newtonIterations;
  private int badComponent;
  private double badTime;
  private double badValue;

  /** An integrator for systems of {@code dimension} equations. */
  public Bdf(int dimension) {
    if (dimension < 0) {
      throw new IllegalArgumentException("negative dimension " + dimension);
    }
    this.n = dimension;
    dd = new double[MAX_ORDER + 3][n];
    dTmp = new double[MAX_ORDER + 1][n];
    yPred = new double[n];
    psi = new double[n];
    yNew = new double[n];
    d = new double[n];
    fv = new double[n];
    dy = new double[n];
    scale = new double[n];
    resid = new double[n];
    atolV = new double[n];
    rtolV = new double[n];
  }

  /** Solves without a step observer; see {@link #solve(OdeFunction, OdeJacobian, double, double[], double[], SolverOptions, StepObserver)}. */
  public Solution solve(OdeFunction f, OdeJacobian jac, double t0, double[] y0, double[] saveat,
      SolverOptions o) {
    return solve(f, jac, t0, y0, saveat, o, null);
  }

  /**
   * Integrates dy/dt = f(t, y), y(t0) = y0 up to the last time in {@code saveat} and returns the
   * states at the {@code saveat} times (sorted in the direction of integration; a time equal to
   * t0 returns y0 exactly).
   *
   * @param jac the Jacobian ∂f/∂y of {@code f}
   * @param observer called after each accepted step, or null
   * @throws SolverFailure when the inputs are inconsistent or the integration cannot finish
   */
  public Solution solve(OdeFunction f, OdeJacobian jac, double t0, double[] y0, double[] saveat,
      SolverOptions o, StepObserver observer) {
    return solve(f, jac, t0, y0, saveat, o, observer, null);
  }

  /** As above, and stops early where {@code locator} finds a root (see {@link Solution#stopped()}). */
  public Solution solve(OdeFunction f, OdeJacobian jac, double t0, double[] y0, double[] saveat,
      SolverOptions o, StepObserver observer, RootLocator locator) {
    checkInputs(f, jac, t0, y0, saveat, o);
    Stats st = new Stats();
    StepEnd ends = new StepEnd(n, t0, y0, saveat, observer, locator);
    if (ends.done()) {
      return ends.solution(st);
    }
    this.f = f;
    this.stats = st;
    if (matrix == null || matrixJac != jac) {
      matrix = new IterationMatrix(jac, n, matrixStats);
      matrixJac = jac;
    }
    matrixStats.reset();
    try {
      integrate(t0, y0, saveat, o, ends);
    } finally {
      st.jacobians = matrixStats.jacobians;
      st.lu = matrixStats.lu;
      this.f = null;
      this.stats = null;
    }
    return ends.solution(st);
  }

  private void integrate(double t0, double[] y0, double[] saveat, SolverOptions o, StepEnd ends) {
    Stats st = stats;
    int m = saveat.length;
    double tEnd = saveat[m - 1];
    double dir = Math.signum(tEnd - t0);
    double span = Math.abs(tEnd - t0);
    boolean fixed = !Double.isNaN(o.dt);
    double rtolRef = Double.POSITIVE_INFINITY;
    for (int c = 0; c < n; c++) {
      if (rtolV[c] > 0) {
        rtolRef = Math.min(rtolRef, rtolV[c]);
      }
    }
    if (rtolRef == Double.POSITIVE_INFINITY) {
      rtolRef = 1e-3;
    }
    double newtonTol = Math.max(10 * Math.ulp(1.0) / rtolRef, Math.min(0.03, Math.sqrt(rtolRef)));

    for (double[] row : dd) {
      java.util.Arrays.fill(row, 0.0);
    }
    double[] y = dd[0];
    System.arraycopy(y0, 0, y, 0, n);
    f.eval(t0, y, fv);
    st.nfe++;
    int bad = firstNonFinite(fv);
    if (bad >= 0) {
      throw nonFinite(t0, bad, true, fv[bad], true);
    }

    double hAbs;
    if (fixed) {
      hAbs = o.dt;
    } else if (!Double.isNaN(o.initialStep)) {
      hAbs = Math.min(Math.abs(o.initialStep), span);
    } else {
      hAbs = initialStep(t0, span, dir);
    }
    int order;
    if (pinnedOrder > 0 && startHistory != null) {
      order = pinnedOrder;
      for (int j = 0; j <= order; j++) {
        System.arraycopy(startHistory[j], 0, dTmp[j], 0, n);
      }
      // D_j = ∇^j y(t0): repeated differences of y(t0), y(t0 − h), ...
      for (int j = 0; j <= order; j++) {
        System.arraycopy(dTmp[0], 0, dd[j], 0, n);
        for (int i = 0; i < order - j; i++) {
          for (int c = 0; c < n; c++) {
            dTmp[i][c] -= dTmp[i + 1][c];
          }
        }
      }
    } else {
      order = 1;
      for (int c = 0; c < n; c++) {
        dd[1][c] = fv[c] * hAbs * dir;
      }
    }

    double t = t0;
    long attempts = 0;
    int nEqual = 0;
    int newtonFailures = 0;
    boolean jacValid = false;
    boolean jacCurrent = false;
    boolean luValid = false;
    double cLu = Double.NaN;
    boolean nonFinitePending = false;
    boolean singular = false;

    while (true) {
      double remaining = Math.abs(tEnd - t);
      boolean last = false;
      if (SolverInputs.lastStep(fixed, hAbs, remaining)) {
        if (remaining != hAbs) {
          changeD(order, remaining / hAbs);
          nEqual = 0;
          hAbs = remaining;
        }
        last = true;
      }
      double minStep = Math.max(10 * Math.ulp(t), 10 * Double.MIN_NORMAL);
      if (hAbs < minStep) {
        if (nonFinitePending) {
          throw nonFinite(badTime, badComponent, true, badValue, false);
        }
        if (newtonFailures > 0) {
          throw newtonFailure(t, hAbs, singular);
        }
        throw SolverInputs.stepUnderflow(t, hAbs, "the solution may blow up or have a discontinuity");
      }
      if (attempts >= o.maxSteps) {
        throw SolverInputs.tooManySteps(attempts, t, tEnd, fixed);
      }
      attempts++;
      double h = dir * hAbs;
      double tNew = last ? tEnd : t + h;

      // predictor, weights and the constant part of the corrector
      java.util.Arrays.fill(psi, 0.0);
      System.arraycopy(dd[0], 0, yPred, 0, n);
      for (int j = 1; j <= order; j++) {
        double[] dj = dd[j];
        double g = GAMMA[j];
        for (int c = 0; c < n; c++) {
          yPred[c] += dj[c];
          psi[c] += g * dj[c];
        }
      }
      double inv = 1.0 / GAMMA[order];
      for (int c = 0; c < n; c++) {
        psi[c] *= inv;
        scale[c] = atolV[c] + rtolV[c] * Math.abs(yPred[c]);
      }
      double cc = h * inv;

      boolean converged = false;
      boolean nonFiniteF = false;
      singular = false;
      while (true) {
        if (!jacValid) {
          evaluateJacobian(t, dd[0]);
          jacValid = true;
          jacCurrent = true;
          luValid = false;
        }
        if (!luValid || Math.abs(cc / cLu - 1.0) > REFACTOR_CHANGE) {
          cLu = cc;
          luValid = matrix.factor(cc);
          if (!luValid) {
            singular = true;
            if (!jacCurrent) {
              jacValid = false;
              continue;
            }
            break;
          }
        }
        int status = newton(tNew, cc, cLu, newtonTol);
        if (status > 0) {
          converged = true;
          break;
        }
        if (status < 0) {
          nonFiniteF = true;
          break;
        }
        if (!jacCurrent) {
          jacValid = false;
          continue;
        }
        if (cc != cLu) {
          luValid = false;
          continue;
        }
        break;
      }
      if (converged && firstNonFinite(yNew) >= 0) {
        int c = firstNonFinite(yNew);
        converged = false;
        nonFiniteF = true;
        badComponent = c;
        badTime = tNew;
        badValue = yNew[c];
      }
      if (!converged) {
        st.rejected++;
        nonFinitePending = nonFiniteF;
        if (fixed) {
          if (nonFiniteF) {
            throw nonFinite(badTime, badComponent, true, badValue, false);
          }
          throw newtonFailure(t, hAbs, singular);
        }
        newtonFailures++;
        if (newtonFailures >= MAX_NEWTON_FAILURES) {
          if (nonFiniteF) {
            throw nonFinite(badTime, badComponent, true, badValue, false);
          }
          throw newtonFailure(t, hAbs, singular);
        }
        hAbs *= NEWTON_CUT;
        changeD(order, NEWTON_CUT);
        nEqual = 0;
        continue;
      }

      double safety = 0.9 * (2 * NEWTON_MAXITER + 1) / (2 * NEWTON_MAXITER + newtonIterations);
      for (int c = 0; c < n; c++) {
        scale[c] = atolV[c] + rtolV[c] * Math.abs(yNew[c]);
      }
      if (!fixed) {
        double err = ERROR_CONST[order] * norm(d);
        if (!(err <= 1.0)) {
          st.rejected++;
          double factor = Double.isFinite(err)
              ? Math.max(MIN_FACTOR, safety * Math.pow(err, -1.0 / (order + 1))) : MIN_FACTOR;
          hAbs *= factor;
          changeD(order, factor);
          nEqual = 0;
          continue;
        }
      }

      // accepted: D_{q+2} = d − D_{q+1}, D_{q+1} = d, D_j += D_{j+1} for j = q..0
      newtonFailures = 0;
      nonFinitePending = false;
      jacCurrent = false;
      nEqual++;
      double[] dq1 = dd[order + 1];
      double[] dq2 = dd[order + 2];
      for (int c = 0; c < n; c++) {
        dq2[c] = d[c] - dq1[c];
        dq1[c] = d[c];
      }
      for (int j = order; j >= 0; j--) {
        double[] a = dd[j];
        double[] b = dd[j + 1];
        for (int c = 0; c < n; c++) {
          a[c] += b[c];
        }
      }
      st.steps++;
      dense.begin(tNew, h, order);
      if (ends.accept(t, tNew, yNew, dense)) {
        break;
      }
      t = tNew;
      if (last) {
        break;
      }
      if (fixed || nEqual < order + 1) {
        continue;
      }

      // order and step size for the next step
      double errNorm = ERROR_CONST[order] * norm(d);
      double errM = order > 1 && pinnedOrder == 0
          ? ERROR_CONST[order - 1] * norm(dd[order]) : Double.POSITIVE_INFINITY;
      double errP = order < maxOrder && pinnedOrder == 0
          ? ERROR_CONST[order + 1] * norm(dd[order + 2]) : Double.POSITIVE_INFINITY;
      double facM = Math.pow(errM, -1.0 / order);
      double facQ = Math.pow(errNorm, -1.0 / (order + 1));
      double facP = Math.pow(errP, -1.0 / (order + 2));
      double best = facQ;
      int newOrder = order;
      if (facM > best) {
        best = facM;
        newOrder = order - 1;
      }
      if (facP > best) {
        best = facP;
        newOrder = order + 1;
      }
      order = newOrder;
      double factor = Math.min(MAX_FACTOR, safety * best);
      hAbs *= factor;
      changeD(order, factor);
      nEqual = 0;
    }
  }

  /**
   * The Newton iteration of one step attempt from the predictor: fills {@link #yNew} and
   * {@link #d}. Returns 1 when it converged, 0 when it diverged or was too slow, −1 when f was not
   * finite (recorded in the {@code bad*} fields).
   */
  private int newton(double tNew, double cc, double cLu, double tol) {
    System.arraycopy(yPred, 0, yNew, 0, n);
    java.util.Arrays.fill(d, 0.0);
    double scaleFactor = cc == cLu ? 1.0 : 2.0 / (1.0 + cc / cLu);
    double normOld = Double.NaN;
    for (int k = 0; k < NEWTON_MAXITER; k++) {
      newtonIterations = k + 1;
      f.eval(tNew, yNew, fv);
      stats.nfe++;
      int bad = firstNonFinite(fv);
      if (bad >= 0) {
        badComponent = bad;
        badTime = tNew;
        badValue = fv[bad];
        return -1;
      }
      for (int c = 0; c < n; c++) {
        double r = cc * fv[c] - psi[c] - d[c];
        dy[c] = r;
        resid[c] = Math.abs(r) / scale[c];
      }
      solve(dy);
      if (scaleFactor != 1.0) {
        for (int c = 0; c < n; c++) {
          dy[c] *= scaleFactor;
        }
      }
      double dyNorm = norm(dy);
      double rate = k == 0 ? Double.NaN : dyNorm / normOld;
      if (k > 0 && (!(rate < 1.0)
          || Math.pow(rate, NEWTON_MAXITER - k) / (1 - rate) * dyNorm > tol)) {
        return 0;
      }
      if (!Double.isFinite(dyNorm)) {
        return 0;
      }
      for (int c = 0; c < n; c++) {
        yNew[c] += dy[c];
        d[c] += dy[c];
      }
      if (dyNorm == 0.0 || (k > 0 && rate / (1 - rate) * dyNorm < tol)) {
        return 1;
      }
      normOld = dyNorm;
    }
    return 0;
  }

  /** Solves M x = b in place with the factorisation of {@link #matrix}. */
  private void solve(double[] b) {
    matrix.solve(b);
  }

  /** Weighted RMS norm with the weights in {@link #scale}. */
  private double norm(double[] v) {
    if (n == 0) {
      return 0.0;
    }
    double sum = 0.0;
    for (int c = 0; c < n; c++) {
      double e = v[c] / scale[c];
      sum += e * e;
    }
    return Math.sqrt(sum / n);
  }

  private void evaluateJacobian(double t, double[] y) {
    matrix.evaluateJacobian(t, y);
  }


  /**
   * Re-interpolates D_0..D_order from spacing h to spacing ρh: D ← (R(ρ) U)ᵀ D with
   * R(ρ)_{ij} = Π_{l=1..i} (l − 1 − ρ j)/l (R_{0j} = 1, R_{i0} = 0 for i &gt; 0) and U = R(1)
   * (Shampine &amp; Reichelt 1997, §2.2).
   */
  private void changeD(int order, double factor) {
    computeR(order, factor, rMat);
    computeR(order, 1.0, uMat);
    for (int i = 0; i <= order; i++) {
      for (int j = 0; j <= order; j++) {
        double s = 0.0;
        for (int k = 0; k <= order; k++) {
          s += rMat[i][k] * uMat[k][j];
        }
        ruMat[i][j] = s;
      }
    }
    for (int j = 0; j <= order; j++) {
      double[] target = dTmp[j];
      java.util.Arrays.fill(target, 0.0);
      for (int i = 0; i <= order; i++) {
        double coef = ruMat[i][j];
        if (coef != 0.0) {
          double[] src = dd[i];
          for (int c = 0; c < n; c++) {
            target[c] += coef * src[c];
          }
        }
      }
    }
    for (int j = 0; j <= order; j++) {
      System.arraycopy(dTmp[j], 0, dd[j], 0, n);
    }
  }

  private static void computeR(int order, double factor, double[][] r) {
    for (int j = 0; j <= order; j++) {
      r[0][j] = 1.0;
    }
    for (int i = 1; i <= order; i++) {
      r[i][0] = 0.0;
      for (int j = 1; j <= order; j++) {
        r[i][j] = r[i - 1][j] * (i - 1 - factor * j) / i;
      }
    }
  }

  /**
   * Hairer's starting step (SciPy's {@code select_initial_step} with error order 2): weights
   * sc_i = atol_i + rtol_i |y0_i|; d0 = ‖y0‖, d1 = ‖f0‖, h0 = 0.01 d0/d1 (1e-6 when either is
   * below 1e-5); d2 = ‖f(t0 + h0, y0 + h0 f0) − f0‖/h0; h1 = (0.01/max(d1, d2))^{1/2}; the result
   * is min(100 h0, h1, |t_end − t0|). Uses {@link #yNew} and {@link #dy} as scratch.
   */
  private double initialStep(double t0, double span, double dir) {
    double[] y0 = dd[0];
    for (int c = 0; c < n; c++) {
      scale[c] = atolV[c] + rtolV[c] * Math.abs(y0[c]);
    }
    double d0 = norm(y0);
    double d1 = norm(fv);
    double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    h0 = Math.min(h0, span);
    for (int c = 0; c < n; c++) {
      yNew[c] = y0[c] + dir * h0 * fv[c];
    }
    f.eval(t0 + dir * h0, yNew, dy);
    stats.nfe++;
    for (int c = 0; c < n; c++) {
      dy[c] -= fv[c];
    }
    double d2 = norm(dy) / h0;
    double h1;
    if (!Double.isFinite(d2)) {
      h1 = h0 * 1e-3;
    } else if (d1 <= 1e-15 && d2 <= 1e-15) {
      h1 = Math.max(1e-6, h0 * 1e-3);
    } else {
      h1 = Math.sqrt(0.01 / Math.max(d1, d2));
    }
    double h = Math.min(Math.min(100 * h0, h1), span);
    return Double.isFinite(h) && h > 0 ? h : Math.min(1e-6, span);
  }

  /** The interpolating polynomial through the last q + 1 solution points. */
  private final class Dense implements DenseOutput {
    private double tNew;
    private double h;
    private int order;

    void begin(double tNew, double h, int order) {
      this.tNew = tNew;
      this.h = h;
      this.order = order;
    }

    @Override
    public void interpolate(double t, double[] out) {
      System.arraycopy(dd[0], 0, out, 0, n);
      double p = 1.0;
      for (int j = 1; j <= order; j++) {
        p *= (t - tNew + (j - 1) * h) / (j * h);
        double[] dj = dd[j];
        for (int c = 0; c < n; c++) {
          out[c] += p * dj[c];
        }
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Failures

  private SolverFailure newtonFailure(double t, double hAbs, boolean singular) {
    // the two components with the largest weighted residual of the last iteration
    int first = -1;
    int second = -1;
    double[] w = singular ? dd[1] : resid;
    for (int c = 0; c < n; c++) {
      double v = singular ? Math.abs(w[c]) / scale[c] : w[c];
      if (!(v >= 0)) {
        v = Double.POSITIVE_INFINITY;
      }
      if (first < 0 || v > weight(first, singular)) {
        second = first;
        first = c;
      } else if (second < 0 || v > weight(second, singular)) {
        second = c;
      }
    }
    String who;
    if (first < 0) {
      who = "";
    } else if (second < 0) {
      who = String.format(Locale.ROOT, ": the state changing fastest is 'component %d'",
          first + 1);
    } else {
      who = String.format(Locale.ROOT,
          ": the states changing fastest are 'component %d', 'component %d'", first + 1,
          second + 1);
    }
    return new SolverFailure(SolverFailure.Reason.NEWTON, t, first + 1,
        String.format(Locale.ROOT,
            "Newton iteration failed to converge at t = %s (step size %s)%s; %sthe Jacobian "
                + "may be wrong or the problem may have a singularity",
            ExplicitRk.fmt(t), ExplicitRk.fmt(hAbs), who,
            singular ? "the iteration matrix I - γJ was singular; " : ""));
  }

  private double weight(int c, boolean singular) {
    double v = singular ? Math.abs(dd[1][c]) / scale[c] : resid[c];
    return v >= 0 ? v : Double.POSITIVE_INFINITY;
  }

  private static SolverFailure nonFinite(
      double t, int component, boolean derivative, double value, boolean atStart) {
    return SolverInputs.nonFinite(t, component, derivative, value, atStart);
  }

  private int firstNonFinite(double[] v) {
    return SolverInputs.firstNonFinite(v, n);
  }

  // -----------------------------------------------------------------------------------------------
  // Input checks

  private void checkInputs(OdeFunction f, OdeJacobian jac, double t0, double[] y0,
      double[] saveat, SolverOptions o) {
    SolverInputs.check(n, f, jac, true, t0, y0, saveat, o);
    if (pinnedOrder < 0 || pinnedOrder > MAX_ORDER
        || (startHistory != null && (pinnedOrder == 0 || startHistory.length <= pinnedOrder))) {
      throw badInput(t0, "the pinned order must lie in 1.." + MAX_ORDER
          + " and the start history hold order + 1 states");
    }
    SolverInputs.tolerances(n, o, rtolV, atolV, t0);
    if (pinnedOrder == 0) {
      for (int c = 0; c < n; c++) {
        rtolV[c] *= TOLERANCE_CALIBRATION;
        atolV[c] *= TOLERANCE_CALIBRATION;
      }
    }
    SolverInputs.requirePositive(n, rtolV, atolV, t0);
  }

  private static SolverFailure badInput(double t, String message) {
    return SolverInputs.badInput(t, message);
  }
}
