package dev.odec.solve;

import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Rodas5P, a stiffly accurate, L-stable Rosenbrock–Wanner method of order 5 with an embedded
 * solution of order 4 and a continuous extension of order 4, for stiff systems dy/dt = f(t, y)
 * with the model's analytic Jacobian J = ∂f/∂y ({@link OdeJacobian}).
 *
 * <p><b>Method.</b> G. Steinebach, "Construction of Rosenbrock–Wanner method Rodas5P and
 * numerical benchmarks within the Julia Differential Equations package", BIT Numerical
 * Mathematics 63 (2023) 27; the coefficients are those of OrdinaryDiffEq.jl's
 * {@code Rodas5PTableau}, in the W-transformed form of that package (see {@link RodasTableau}).
 * From (t, y) with step h (negative when integrating backward), J = J(t, y), the time derivative
 * f_t = ∂f/∂t(t, y) and W = I − hγJ, the s = 8 stages are
 *
 * <pre>
 *   U_i = y + Σ_{j&lt;i} a_ij u_j
 *   W u_i = hγ ( f(t + c_i h, U_i) + h d_i f_t + Σ_{j&lt;i} (C_ij / h) u_j )
 *   y1 = U_8 + u_8,     error estimate E = u_8 (y1 minus the embedded order-4 solution U_8).
 * </pre>
 *
 * W is factored once per step attempt ({@link IterationMatrix#factor} with hγ; dense LU, or
 * EJML's sparse LU for large sparse systems) and reused for the 8 solves.
 *
 * <p><b>The non-autonomous term.</b> f_t comes from a {@link TimeDerivative} passed to
 * {@link #solve(OdeFunction, OdeJacobian, TimeDerivative, double, double[], double[],
 * SolverOptions, StepObserver)}: {@link #AUTONOMOUS} for a model that does not depend on t (no
 * cost), an exact derivative, or null for a forward difference in t as in Hairer's RODAS:
 * f_t ≈ (f(t + δ, y) − f(t, y)) / δ with δ = sqrt(u · max(1e-5, |t|)), u the unit round-off,
 * one extra evaluation of f per accepted step. The two shorter {@code solve} overloads use the
 * forward difference. Its error, of order sqrt(u) relative, limits the accuracy of a
 * non-autonomous problem to about 1e-9 relative; give the exact derivative for tighter work.
 *
 * <p><b>Error control.</b> With sc_i = atol_i + rtol_i max(|y_i|, |y1_i|), err = sqrt((1/n) Σ
 * (E_i/sc_i)²) (Hairer's RMS norm); the step is accepted when err ≤ 1. The new step is h/fac with
 * fac = clamp(err^(1/5) / 0.9, 1/6, 5) and, after the first accepted step, Gustafsson's
 * predictive controller as in Hairer's RODAS (Solving ODEs II, IV.8): fac = max(fac,
 * clamp((h_acc/h) (err² / err_acc)^(1/5) / 0.9, 1/6, 5)) with h_acc, err_acc = max(0.01, err) of
 * the previous accepted step. The step following a rejection may not grow; a rejection before
 * the first accepted step divides the step by 10 (as in RODAS).
 *
 * <p><b>Singular W.</b> When W cannot be factored the step is halved (the Jacobian is kept: it
 * belongs to the same point); after {@value #MAX_SINGULAR} consecutive singular matrices the
 * solve fails with "the iteration matrix is singular at t = …" naming the state components of
 * W's (numerical) null space.
 *
 * <p><b>Initial step.</b> Hairer's HINIT (Solving ODEs I, II.4) with p = 5, as in
 * {@link ExplicitRk}, when {@link SolverOptions#initialStep} is NaN.
 *
 * <p><b>Output and semantics</b> are those of {@link ExplicitRk}: the integration runs from t0
 * to the last {@code saveat} time (which may lie before t0); the last step is clipped to land on
 * it; output points never shorten a step, they are interpolated with the order-4 continuous
 * extension u(t + θh) = (1 − θ) y + θ (y1 + (1 − θ)(K_1 + θ (K_2 + θ K_3))), K_j = Σ_i H_ji u_i;
 * a {@code saveat} time equal to t0 returns y0 exactly. {@link SolverOptions#dt} forces fixed
 * steps without error control. {@link SolverOptions#maxSteps} counts step attempts.
 *
 * <p><b>Counting.</b> {@link Stats#nfe}: 1 for f(t0, y0), 1 for the automatic initial step, 7
 * per step attempt (stages 2..8; stage 1 uses f(t, y)), 1 per accepted step that is not the last
 * (f at the new point), and 1 per accepted step for the forward difference in t when it is used.
 * {@link Stats#jacobians}: one per point a step starts from (a rejected step retries from the same
 * point, where J and f_t are unchanged, so they are reused). {@link Stats#lu}: one per step
 * attempt. {@link Stats#rejected} counts error-test failures, non-finite attempts and singular W.
 *
 * <p>An instance preallocates its work arrays (the iteration matrix is kept for the last
 * Jacobian it was used with); after the first solve with a given Jacobian a solve allocates
 * only the returned {@link Solution}. An instance is reusable but not thread-safe.
 */
public final class Rosenbrock {
  /** ∂f/∂t of a right-hand side, for non-autonomous models. */
  public interface TimeDerivative {
    /** Writes ∂f/∂t(t, y) into {@code dfdt}; must not allocate or modify {@code y}. */
    void eval(double t, double[] y, double[] dfdt);
  }

  /** The time derivative of an autonomous model: zero, at no cost. */
  public static final TimeDerivative AUTONOMOUS = (t, y, dfdt) -> java.util.Arrays.fill(dfdt, 0.0);

  private static final double SAFETY = 0.9;
  /** Bounds of fac = h/h_new: the step may shrink by at most 5 and grow by at most 6. */
  private static final double FAC_SHRINK = 5.0;
  private static final double FAC_GROW = 1.0 / 6.0;
  static final int MAX_SINGULAR = 5;
  /** Above this the singular-matrix diagnosis (a dense SVD) is skipped. */
  private static final int DIAGNOSIS_LIMIT = 400;

  private final RodasTableau tab;
  private final int n;
  private final int s;
  private final double expo;

  private final int[][] aIdx;
  private final double[][] aVal;
  private final int[][] cIdx;
  private final double[][] cVal;
  private final int[] mIdx;
  private final double[] mVal;

  private final double[][] k;
  private final double[] y;
  private final double[] yNew;
  private final double[] yStage;
  private final double[] f0;
  private final double[] fStage;
  private final double[] dT;
  private final double[][] kDense;
  private final double[] atolV;
  private final double[] rtolV;
  /** Each state's largest magnitude in the solve so far (for {@link AtolAdvice}). */
  private final double[] peak;
  private final Stats live = new Stats();
  private final Dense dense = new Dense();

  private OdeJacobian cachedJac;
  private IterationMatrix matrix;

  // Per-solve state.
  private OdeFunction f;
  private double badTime;
  private int badComponent;
  private boolean badIsDerivative;
  private double badValue;

  /** An integrator for systems of {@code dimension} equations. */
  public Rosenbrock(int dimension) {
    if (dimension < 0) {
      throw new IllegalArgumentException("negative dimension " + dimension);
    }
    this.tab = RodasTableau.RODAS5P;
    this.n = dimension;
    this.s = tab.stages;
    this.expo = 1.0 / (tab.embeddedOrder + 1);
    aIdx = new int[s][];
    aVal = new double[s][];
    cIdx = new int[s][];
    cVal = new double[s][];
    for (int i = 0; i < s; i++) {
      aIdx[i] = Tableau.nonzeroIndices(tab.a[i]);
      aVal[i] = Tableau.nonzeroValues(tab.a[i]);
      cIdx[i] = Tableau.nonzeroIndices(tab.cMat[i]);
      // the stage right-hand side carries γ C_ij u_j (hγ times C_ij/h)
      cVal[i] = Tableau.nonzeroValues(tab.cMat[i]);
      for (int x = 0; x < cVal[i].length; x++) {
        cVal[i][x] *= tab.gamma;
      }
    }
    mIdx = Tableau.nonzeroIndices(tab.m);
    mVal = Tableau.nonzeroValues(tab.m);
    k = new double[s][n];
    y = new double[n];
    yNew = new double[n];
    yStage = new double[n];
    f0 = new double[n];
    fStage = new double[n];
    dT = new double[n];
    kDense = new double[3][n];
    atolV = new double[n];
    rtolV = new double[n];
    peak = new double[n];
  }

  /** Solves with a forward difference for ∂f/∂t and no step observer. */
  public Solution solve(OdeFunction f, OdeJacobian jac, double t0, double[] y0, double[] saveat,
      SolverOptions o) {
    return solve(f, jac, null, t0, y0, saveat, o, null);
  }

  /** Solves with a forward difference for ∂f/∂t. */
  public Solution solve(OdeFunction f, OdeJacobian jac, double t0, double[] y0, double[] saveat,
      SolverOptions o, StepObserver observer) {
    return solve(f, jac, null, t0, y0, saveat, o, observer);
  }

  /**
   * Integrates dy/dt = f(t, y), y(t0) = y0 up to the last time in {@code saveat} and returns the
   * states at the {@code saveat} times (sorted in the direction of integration; a time equal to
   * t0 returns y0 exactly).
   *
   * @param jac the Jacobian ∂f/∂y of f
   * @param dfdt ∂f/∂t: {@link #AUTONOMOUS}, an exact derivative, or null for a forward difference
   * @param observer called after each accepted step, or null
   * @throws SolverFailure when the inputs are inconsistent or the integration cannot finish
   */
  public Solution solve(OdeFunction f, OdeJacobian jac, TimeDerivative dfdt, double t0,
      double[] y0, double[] saveat, SolverOptions o, StepObserver observer) {
    return solve(f, jac, dfdt, t0, y0, saveat, o, observer, null);
  }

  /** As above, and stops early where {@code locator} finds a root (see {@link Solution#stopped()}). */
  public Solution solve(OdeFunction f, OdeJacobian jac, TimeDerivative dfdt, double t0,
      double[] y0, double[] saveat, SolverOptions o, StepObserver observer, RootLocator locator) {
    checkInputs(f, jac, t0, y0, saveat, o);
    if (jac != cachedJac) {
      matrix = new IterationMatrix(jac, n, live);
      cachedJac = jac;
    }
    live.reset();
    this.f = f;
    try {
      return integrate(dfdt, t0, y0, saveat, o, new StepEnd(n, t0, y0, saveat, observer, locator));
    } finally {
      this.f = null;
    }
  }

  private Solution integrate(TimeDerivative dfdt, double t0, double[] y0, double[] saveat,
      SolverOptions o, StepEnd ends) {
    Stats st = live;
    IterationMatrix w = matrix;
    int m = saveat.length;
    double tEnd = saveat[m - 1];
    double dir = Math.signum(tEnd - t0);
    double span = Math.abs(tEnd - t0);
    boolean autonomous = dfdt == AUTONOMOUS;

    System.arraycopy(y0, 0, y, 0, n);
    AtolAdvice.start(n, y0, peak);
    if (ends.done() || n == 0) {
      // nothing to integrate (an empty system has only empty states)
      return ends.solution(copy(st));
    }

    f.eval(t0, y, f0);
    st.nfe++;
    int bad = firstNonFinite(f0);
    if (bad >= 0) {
      throw nonFinite(t0, bad, true, f0[bad], true);
    }

    boolean fixed = !Double.isNaN(o.dt);
    double h;
    if (fixed) {
      h = dir * o.dt;
    } else if (!Double.isNaN(o.initialStep)) {
      h = dir * Math.min(Math.abs(o.initialStep), span);
    } else {
      h = dir * initialStep(t0, span, dir);
    }

    double t = t0;
    long attempts = 0;
    boolean rejectedLast = false;
    boolean anyAccepted = false;
    boolean newPoint = true;
    int singular = 0;
    boolean nonFinitePending = false;
    double pendingTime = t0;
    int pendingComponent = 0;
    boolean pendingDerivative = false;
    double pendingValue = Double.NaN;
    double hAcc = 0.0;
    double errAcc = 1e-2;
    double hAbsMax = span;

    while (true) {
      double remaining = tEnd - t;
      boolean last = SolverInputs.lastStep(fixed, Math.abs(h), Math.abs(remaining));
      if (last) h = remaining;
      if (!last && Math.abs(h) < 1e-14 * Math.max(1.0, Math.abs(t))) {
        if (nonFinitePending) {
          throw nonFinite(pendingTime, pendingComponent, pendingDerivative, pendingValue, false);
        }
        throw SolverInputs.stepUnderflow(t, Math.abs(h), SolverInputs.IMPLICIT_UNDERFLOW,
            diagnosis(attempts > 0));
      }
      if (attempts >= o.maxSteps) {
        throw SolverInputs.tooManySteps(attempts, t, tEnd, fixed, diagnosis(attempts > 0 && !fixed));
      }
      attempts++;
      double tNew = last ? tEnd : t + h;

      if (newPoint) {
        w.evaluateJacobian(t, y);
        timeDerivative(dfdt, autonomous, t);
        newPoint = false;
      }
      double hg = h * tab.gamma;
      if (!w.factor(hg)) {
        st.rejected++;
        singular++;
        if (singular >= MAX_SINGULAR || fixed) {
          throw singularFailure(t, hg, singular);
        }
        rejectedLast = true;
        h *= 0.5;
        continue;
      }
      singular = 0;

      boolean finite = attempt(t, h, tNew, autonomous);
      double err = 0.0;
      if (finite) {
        err = fixed ? 0.0 : errorNorm();
        if (!Double.isFinite(err)) {
          finite = recordBad(tNew, -1, false, Double.POSITIVE_INFINITY);
        }
      }
      if (!finite) {
        if (fixed) {
          throw nonFinite(badTime, badComponent, badIsDerivative, badValue, false);
        }
        nonFinitePending = true;
        pendingTime = badTime;
        pendingComponent = badComponent;
        pendingDerivative = badIsDerivative;
        pendingValue = badValue;
        st.rejected++;
        rejectedLast = true;
        h /= FAC_SHRINK;
        continue;
      }
      if (err > 1.0) {
        st.rejected++;
        rejectedLast = true;
        if (!anyAccepted) {
          h *= 0.1;
        } else {
          double fac = Math.max(FAC_GROW, Math.min(FAC_SHRINK, Math.pow(err, expo) / SAFETY));
          h /= fac;
        }
        continue;
      }

      // Accepted.
      double hNext = h;
      if (!fixed) {
        double fac = Math.max(FAC_GROW, Math.min(FAC_SHRINK, Math.pow(err, expo) / SAFETY));
        if (anyAccepted) {
          double facGus = (hAcc / h) * Math.pow(err * err / errAcc, expo) / SAFETY;
          facGus = Math.max(FAC_GROW, Math.min(FAC_SHRINK, facGus));
          fac = Math.max(fac, facGus);
        }
        hAcc = h;
        errAcc = Math.max(1e-2, err);
        double hAbs = Math.min(Math.abs(h) / fac, hAbsMax);
        if (rejectedLast) {
          hAbs = Math.min(hAbs, Math.abs(h));
        }
        hNext = dir * hAbs;
      }
      anyAccepted = true;
      AtolAdvice.update(n, yNew, peak);
      rejectedLast = false;
      nonFinitePending = false;

      dense.begin(t, h);
      st.steps++;
      if (ends.accept(t, tNew, yNew, dense)) {
        break;
      }

      System.arraycopy(yNew, 0, y, 0, n);
      t = tNew;
      if (last) {
        break;
      }
      f.eval(t, y, f0);
      st.nfe++;
      bad = firstNonFinite(f0);
      if (bad >= 0) {
        throw nonFinite(t, bad, true, f0[bad], false);
      }
      newPoint = true;
      h = hNext;
    }
    return ends.solution(copy(st));
  }

  private static Stats copy(Stats from) {
    Stats r = new Stats();
    r.nfe = from.nfe;
    r.steps = from.steps;
    r.rejected = from.rejected;
    r.jacobians = from.jacobians;
    r.lu = from.lu;
    return r;
  }

  // -----------------------------------------------------------------------------------------------
  // Kernels

  /**
   * One step attempt with W already factored: the transformed stages u_i into {@link #k} and
   * y1 into {@link #yNew}. Returns false (with the culprit recorded) when a stage derivative or
   * y1 is not finite.
   */
  private boolean attempt(double t, double h, double tNew, boolean autonomous) {
    double hg = h * tab.gamma;
    IterationMatrix w = matrix;
    for (int i = 0; i < s; i++) {
      double[] src;
      if (i == 0) {
        src = f0;
      } else {
        combine(aIdx[i], aVal[i], yStage);
        double ti = tab.c[i] == 1.0 ? tNew : t + tab.c[i] * h;
        f.eval(ti, yStage, fStage);
        live.nfe++;
        int bad = firstNonFinite(fStage);
        if (bad >= 0) {
          return recordBad(ti, bad, true, fStage[bad]);
        }
        src = fStage;
      }
      double[] ki = k[i];
      for (int c = 0; c < n; c++) {
        ki[c] = hg * src[c];
      }
      double di = tab.d[i];
      if (di != 0.0 && !autonomous) {
        double coef = hg * h * di;
        for (int c = 0; c < n; c++) {
          ki[c] += coef * dT[c];
        }
      }
      int[] idx = cIdx[i];
      double[] val = cVal[i];
      for (int j = 0; j < idx.length; j++) {
        double v = val[j];
        double[] kj = k[idx[j]];
        for (int c = 0; c < n; c++) {
          ki[c] += v * kj[c];
        }
      }
      w.solve(ki);
    }
    combine(mIdx, mVal, yNew);
    int bad = firstNonFinite(yNew);
    if (bad >= 0) {
      return recordBad(tNew, bad, false, yNew[bad]);
    }
    return true;
  }

  /** out = y + Σ_j val_j u_{idx_j}, term by term over the components. */
  private void combine(int[] idx, double[] val, double[] out) {
    System.arraycopy(y, 0, out, 0, n);
    for (int j = 0; j < idx.length; j++) {
      double v = val[j];
      double[] kj = k[idx[j]];
      for (int c = 0; c < n; c++) {
        out[c] += v * kj[c];
      }
    }
  }

  /** Hairer's RMS norm of the error estimate E = u_s, sc_i = atol_i + rtol_i max(|y_i|, |y1_i|). */
  private double errorNorm() {
    if (n == 0) {
      return 0.0;
    }
    double[] e = k[s - 1];
    double sum = 0.0;
    for (int c = 0; c < n; c++) {
      double sc = atolV[c] + rtolV[c] * Math.max(Math.abs(y[c]), Math.abs(yNew[c]));
      double q = e[c] / sc;
      sum += q * q;
    }
    return Math.sqrt(sum / n);
  }

  /**
   * {@link AtolAdvice#forStep} for the last step attempt (its error estimate E = u_8 weighted as in
   * {@link #errorNorm}) when {@code attempted}, else only the advice on the absolute tolerance. Uses
   * {@link #fStage} as scratch.
   */
  private String diagnosis(boolean attempted) {
    if (!attempted) return AtolAdvice.forFailure(n, peak, atolV);
    double[] e = k[s - 1];
    for (int c = 0; c < n; c++) {
      fStage[c] = Math.abs(e[c]) / (atolV[c] + rtolV[c] * Math.max(Math.abs(y[c]), Math.abs(yNew[c])));
    }
    return AtolAdvice.forStep(n, fStage, peak, atolV);
  }

  /** ∂f/∂t at (t, y) into {@link #dT}: given, zero, or a forward difference (Hairer's RODAS). */
  private void timeDerivative(TimeDerivative dfdt, boolean autonomous, double t) {
    if (autonomous) {
      return;
    }
    if (dfdt != null) {
      dfdt.eval(t, y, dT);
      int bad = firstNonFinite(dT);
      if (bad >= 0) {
        throw new SolverFailure(SolverFailure.Reason.NON_FINITE, t, bad + 1, String.format(
            Locale.ROOT, "the time derivative of the right-hand side of state component %d is "
                + "%s at t = %s; check the model", bad + 1, word(dT[bad]), fmt(t)));
      }
      return;
    }
    double delta = Math.sqrt(0x1.0p-53 * Math.max(1e-5, Math.abs(t)));
    double tDelta = t + delta;
    delta = tDelta - t;
    f.eval(tDelta, y, dT);
    live.nfe++;
    for (int c = 0; c < n; c++) {
      dT[c] = (dT[c] - f0[c]) / delta;
    }
    int bad = firstNonFinite(dT);
    if (bad >= 0) {
      throw nonFinite(tDelta, bad, true, dT[bad], false);
    }
  }



  /**
   * Hairer's HINIT (Solving ODEs I, II.4) with p = 5; see {@link ExplicitRk}. Uses
   * {@link #yStage} and {@link #fStage} as scratch.
   */
  private double initialStep(double t0, double span, double dir) {
    live.nfe++;
    return SolverInputs.hairerInitialStep(f, n, t0, y, f0, span, dir, tab.order, rtolV, atolV, yStage, fStage);
  }

  private boolean recordBad(double time, int component, boolean derivative, double value) {
    badTime = time;
    badComponent = component;
    badIsDerivative = derivative;
    badValue = value;
    return false;
  }

  private int firstNonFinite(double[] v) {
    return SolverInputs.firstNonFinite(v, n);
  }

  /** The continuous extension of the current step (order 4). */
  private final class Dense implements DenseOutput {
    private double t0;
    private double h;
    private boolean ready;

    void begin(double t0, double h) {
      this.t0 = t0;
      this.h = h;
      this.ready = false;
    }

    @Override
    public void interpolate(double t, double[] out) {
      if (!ready) {
        for (int j = 0; j < 3; j++) {
          double[] kd = kDense[j];
          double[] row = tab.h[j];
          java.util.Arrays.fill(kd, 0.0);
          for (int i = 0; i < s; i++) {
            double v = row[i];
            double[] ki = k[i];
            for (int c = 0; c < n; c++) {
              kd[c] += v * ki[c];
            }
          }
        }
        ready = true;
      }
      double theta = (t - t0) / h;
      double theta1 = 1.0 - theta;
      double[] k1 = kDense[0];
      double[] k2 = kDense[1];
      double[] k3 = kDense[2];
      // y and yNew hold the step's end points while the step is being reported
      for (int c = 0; c < n; c++) {
        out[c] = theta1 * y[c]
            + theta * (yNew[c] + theta1 * (k1[c] + theta * (k2[c] + theta * k3[c])));
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Singular iteration matrix

  private SolverFailure singularFailure(double t, double hg, int times) {
    return SolverInputs.singular(t, nullSpaceComponents(hg), times);
  }

  /**
   * The 1-based components carrying W = I − hγJ's numerical null vector (entries of at least a
   * tenth of the largest; at most 6), from a dense SVD. Empty for large systems.
   */
  private int[] nullSpaceComponents(double hg) {
    if (n == 0 || n > DIAGNOSIS_LIMIT) {
      return new int[0];
    }
    int[] rowStart = cachedJac.rowStart();
    int[] colIndex = cachedJac.colIndex();
    double[] v = matrix.jacobianValues();
    DMatrixRMaj mm = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      mm.add(i, i, 1.0);
      for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
        mm.add(i, colIndex[e], -hg * v[e]);
      }
    }
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(n, n, false, true, true);
    if (!svd.decompose(mm)) {
      return new int[0];
    }
    DMatrixRMaj nv = SingularOps_DDRM.nullVector(svd, true, null);
    double max = 0;
    for (int c = 0; c < n; c++) {
      max = Math.max(max, Math.abs(nv.get(c)));
    }
    int[] tmp = new int[6];
    int count = 0;
    for (int c = 0; c < n && count < tmp.length; c++) {
      if (Math.abs(nv.get(c)) >= 0.1 * max && max > 0) {
        tmp[count++] = c + 1;
      }
    }
    return java.util.Arrays.copyOf(tmp, count);
  }

  // -----------------------------------------------------------------------------------------------
  // Input checks and messages

  private void checkInputs(OdeFunction f, OdeJacobian jac, double t0, double[] y0,
      double[] saveat, SolverOptions o) {
    SolverInputs.check(n, f, jac, true, t0, y0, saveat, o);
    SolverInputs.tolerances(n, o, rtolV, atolV, t0);
    if (Double.isNaN(o.dt)) SolverInputs.requirePositive(n, rtolV, atolV, t0);
  }

  private static SolverFailure badInput(double t, String message) {
    return SolverInputs.badInput(t, message);
  }

  private static String word(double v) {
    return Double.isNaN(v) ? "NaN" : "infinite";
  }

  private static SolverFailure nonFinite(
      double t, int component, boolean derivative, double value, boolean atStart) {
    return SolverInputs.nonFinite(t, component, derivative, value, atStart);
  }


  private static String fmt(double t) {
    return ExplicitRk.fmt(t);
  }

}
