package dev.odec.solve;

import java.util.Locale;

/**
 * Explicit Runge–Kutta integrator for dy/dt = f(t, y), driven by a {@link Tableau}.
 *
 * <p><b>Step.</b> From (t, y) with step h (negative when integrating backward) the stages k_i =
 * f(t + c_i h, y + h Σ_j a_ij k_j) give y1 = y + h Σ b_i k_i. k_1 = f(t, y) is always the end
 * derivative f(t, y1) of the previous step (FSAL methods get it as their last stage; for the
 * others it is evaluated once the step is accepted), so it costs nothing extra.
 *
 * <p><b>Error control</b> (adaptive methods). With sc_i = atol_i + rtol_i max(|y_i|, |y1_i|) and
 * the embedded error estimate E = h Σ e_j k_j, the error measure is Hairer's RMS norm
 * err = sqrt((1/n) Σ (E_i / sc_i)²); for DOP853 it is the combined measure
 * err = ‖E5‖² / sqrt(n (‖E5‖² + 0.01 ‖E3‖²)) with ‖·‖² the sums of squares (Hairer, Nørsett
 * &amp; Wanner, Solving ODEs I, II.10). A step is accepted when err ≤ 1. The next step comes from
 * the PI controller of Hairer's DOPRI5 (Solving ODEs I, IV.2 / Gustafsson):
 *
 * <pre>
 *   h_new = h · clamp(safety · err^(−α) · err_old^β, facMin, facMax),   α = 1/p̂ − 0.75 β
 * </pre>
 *
 * where p̂ is {@link Tableau#errorExponent}; after a rejection h_new = h · max(facMin, safety ·
 * err^(−α)), and the step following a rejection may not grow. DOPRI5, Tsit5 and BS3 use β = 0.04,
 * facMin = 0.2, facMax = 10; DOP853 uses Hairer's β = 0, facMin = 0.333, facMax = 6.
 *
 * <p><b>Initial step.</b> When {@link SolverOptions#initialStep} is NaN, Hairer's HINIT
 * (Solving ODEs I, II.4): h0 = 0.01 ‖y0‖/‖f0‖, one explicit Euler step of h0 to estimate the
 * second derivative, then h = min(100 h0, (0.01 / max(‖f0‖, ‖y''‖))^(1/p)). This costs one
 * evaluation of f.
 *
 * <p><b>Output.</b> The integration runs from t0 to the last {@code saveat} time (which may lie
 * before t0); the last step is clipped to land on it exactly, and output points never shorten a
 * step: each is interpolated with the tableau's dense output within the step that contains it.
 *
 * <p><b>Counting.</b> {@link Stats#nfe} counts every evaluation of f: 1 for f(t0, y0), 1 for the
 * automatic initial step, s − 1 per step attempt (accepted or rejected), 1 per accepted step for
 * methods that are not FSAL (the end derivative), the tableau's extra dense-output stages in
 * each accepted step where dense output was used, and, when stiffness detection is on
 * ({@link SolverOptions#stiffAfter}), {@value #POWER_ITERATIONS} per powered stiffness estimate
 * (one every {@value #POWER_CHECK_EVERY} accepted steps while the plain estimate says "not stiff").
 *
 * <p>An instance preallocates all its work arrays; after that a solve allocates only the returned
 * {@link Solution}. An instance is reusable but not thread-safe.
 */
public final class ExplicitRk {
  private static final double SAFETY = 0.9;
  /** Accepted steps between two powered stiffness estimates ({@link #poweredStiffnessRatio}). */
  public static final int POWER_CHECK_EVERY = 20;
  /** Power steps (evaluations of f) per powered estimate. */
  public static final int POWER_ITERATIONS = 2;
  private static final double SQRT_EPS = Math.sqrt(Math.ulp(1.0));

  private final Method method;
  private final Tableau tab;
  private final int n;
  private final int s;
  private final int endSlot;
  private final boolean fixedOnly;
  /** The step size the controller proposed after the last full (not clipped) step of a solve. */
  private double suggestedStep;
  /** |h·λ| where the method's real stability interval ends; 0 when it cannot detect stiffness. */
  private final double stiffnessBoundary;

  /** Nonzero pattern of the row used to form the input of each slot (null for slot 0). */
  private final int[][] rowIdx;
  private final double[][] rowVal;
  private final int[] bIdx;
  private final double[] bVal;
  private final int[] eIdx;
  private final double[] eVal;
  private final int[] e2Idx;
  private final double[] e2Val;
  /** Slots whose dense-output polynomial is nonzero. */
  private final int[] denseSlots;

  private final double beta;
  private final double facMin;
  private final double facMax;
  private final double expo1;

  private final double[][] k;
  private final double[] y;
  private final double[] yNew;
  private final double[] yStage;
  /** Scratch for the error estimates, one value per component. */
  private final double[] errScratch;
  private final double[] atolV;
  private final double[] rtolV;
  private final double[] w;
  /** Each state's largest magnitude in the solve so far (for {@link AtolAdvice}). */
  private final double[] peak;
  /** The direction of the power iteration of {@link #poweredStiffnessRatio}. */
  private final double[] powerDir;
  /** When set ({@code auto}), a stiff solve also stops where BDF would take longer steps. */
  private BdfStepEstimate bdfEstimate;
  /** The last powered estimate of ρ (0 until the first check of a solve). */
  private double rhoPowered;
  private final Dense dense = new Dense();

  // Per-solve state.
  private OdeFunction f;
  private Stats stats;
  private double badTime;
  private int badComponent;
  private boolean badIsDerivative;
  private double badValue;

  /** An integrator for {@code method} and systems of {@code dimension} equations. */
  public ExplicitRk(Method method, int dimension) {
    if (dimension < 0) {
      throw new IllegalArgumentException("negative dimension " + dimension);
    }
    this.method = method;
    this.tab = Tableau.of(method);
    this.n = dimension;
    this.s = tab.stages;
    this.endSlot = tab.endSlot();
    this.fixedOnly = tab.e == null;
    int slots = tab.slots();

    rowIdx = new int[slots][];
    rowVal = new double[slots][];
    for (int i = 1; i < s; i++) {
      setRow(i, tab.a[i]);
    }
    if (!tab.fsal) {
      setRow(endSlot, tab.b);
    }
    for (int x = 0; x < tab.extraC.length; x++) {
      setRow(endSlot + 1 + x, tab.extraA[x]);
    }
    bIdx = Tableau.nonzeroIndices(tab.b);
    bVal = Tableau.nonzeroValues(tab.b);
    eIdx = tab.e == null ? new int[0] : Tableau.nonzeroIndices(tab.e);
    eVal = tab.e == null ? new double[0] : Tableau.nonzeroValues(tab.e);
    e2Idx = tab.e2 == null ? null : Tableau.nonzeroIndices(tab.e2);
    e2Val = tab.e2 == null ? null : Tableau.nonzeroValues(tab.e2);
    int count = 0;
    for (double[] row : tab.dense) {
      count += isZero(row) ? 0 : 1;
    }
    denseSlots = new int[count];
    count = 0;
    for (int p = 0; p < slots; p++) {
      if (!isZero(tab.dense[p])) {
        denseSlots[count++] = p;
      }
    }

    Controller ctl = controller(method);
    beta = ctl.beta();
    facMin = ctl.facMin();
    facMax = ctl.facMax();
    expo1 = ctl.expo1();
    stiffnessBoundary = ctl.stiffnessBoundary();

    k = new double[slots][n];
    y = new double[n];
    yNew = new double[n];
    yStage = new double[n];
    errScratch = new double[n];
    atolV = new double[n];
    rtolV = new double[n];
    w = new double[slots];
    powerDir = new double[n];
    peak = new double[n];
  }

  /**
   * Makes the stiffness test also stop the solve where BDF's steps ({@link BdfStepEstimate}) would
   * be at least as long as this method's: for the {@code auto} solver, which has BDF to go on with.
   */
  void compareWithBdf() {
    if (bdfEstimate == null) bdfEstimate = new BdfStepEstimate(n);
  }

  /** The method this integrator runs. */
  public Method method() {
    return method;
  }

  /**
   * The step-size controller of an explicit method: h_new = h · clamp(safety · err^(−expo1) ·
   * err_old^beta, facMin, facMax), and the value of h·ρ above which a step counts as limited by
   * stability in Hairer's stiffness test (0: the method cannot detect stiffness). The generated C
   * solvers take their constants from here, so both implementations step alike.
   */
  public record Controller(double beta, double facMin, double facMax, double expo1, double stiffnessBoundary) {}

  /** The controller of {@code method}'s tableau: see the class comment. */
  public static Controller controller(Method method) {
    Tableau tab = Tableau.of(method);
    double beta = method == Method.DOP853 ? 0.0 : 0.04;
    double facMin = method == Method.DOP853 ? 0.333 : 0.2;
    double facMax = method == Method.DOP853 ? 6.0 : 10.0;
    double expo1 = tab.errorExponent == 0 ? 0 : 1.0 / tab.errorExponent - 0.75 * beta;
    // both stage s-1 and the end stage sit at t + h in DOPRI5 and Tsit5: a free estimate of ρ
    boolean canDetect = tab.fsal && tab.stages >= 3 && tab.c[tab.stages - 2] == 1.0;
    // half the real stability limit (3.25 for DOPRI5, about 3.5 for Tsit5): at tight tolerances a
    // step-size controller near the limit keeps h·ρ just below it, so Hairer's full limit detected
    // a 1,000-species network only after 43,000 steps (1,939 with half); no example that is not
    // stiff reaches it at any tolerance (tested from 1e-6 to 1e-12)
    double boundary = !canDetect ? 0.0 : 0.5 * (method == Method.TSIT5 ? 3.5 : 3.25);
    return new Controller(beta, facMin, facMax, expo1, boundary);
  }

  /** Solves without a step observer; see {@link #solve(OdeFunction, double, double[], double[], SolverOptions, StepObserver)}. */
  public Solution solve(OdeFunction f, double t0, double[] y0, double[] saveat, SolverOptions o) {
    return solve(f, t0, y0, saveat, o, null);
  }

  /**
   * Integrates dy/dt = f(t, y), y(t0) = y0 up to the last time in {@code saveat} and returns the
   * states at the {@code saveat} times (sorted in the direction of integration; a time equal to
   * t0 returns y0 exactly).
   *
   * @param observer called after each accepted step, or null
   * @throws SolverFailure when the inputs are inconsistent or the integration cannot finish
   */
  public Solution solve(
      OdeFunction f,
      double t0,
      double[] y0,
      double[] saveat,
      SolverOptions o,
      StepObserver observer) {
    return solve(f, t0, y0, saveat, o, observer, null);
  }

  /**
   * As {@link #solve(OdeFunction, double, double[], double[], SolverOptions, StepObserver)}, and
   * stops early where {@code locator} finds a root (see {@link Solution#stopped()}).
   */
  public Solution solve(OdeFunction f, double t0, double[] y0, double[] saveat, SolverOptions o,
      StepObserver observer, RootLocator locator) {
    checkInputs(f, t0, y0, saveat, o);
    this.f = f;
    Stats st = new Stats();
    this.stats = st;
    int m = saveat.length;
    double tEnd = saveat[m - 1];
    double dir = Math.signum(tEnd - t0);
    double span = Math.abs(tEnd - t0);

    System.arraycopy(y0, 0, y, 0, n);
    StepEnd ends = new StepEnd(n, t0, y0, saveat, observer, locator);
    if (ends.done()) {
      return ends.solution(st);
    }

    f.eval(t0, y, k[0]);
    st.nfe++;
    int bad = firstNonFinite(k[0]);
    if (bad >= 0) {
      throw nonFinite(t0, bad, true, k[0][bad], true);
    }

    boolean fixed = fixedOnly || !Double.isNaN(o.dt);
    double h;
    if (fixed) {
      h = dir * o.dt;
    } else if (!Double.isNaN(o.initialStep)) {
      h = dir * Math.min(Math.abs(o.initialStep), span);
    } else {
      h = dir * initialStep(t0, span, dir);
    }

    double t = t0;
    suggestedStep = 0.0;
    long attempts = 0;
    boolean rejectedLast = false;
    boolean nonFinitePending = false;
    double pendingTime = t0;
    int pendingComponent = 0;
    boolean pendingDerivative = false;
    double pendingValue = Double.NaN;
    double errOld = 1e-4;
    double hTried = 0.0;
    AtolAdvice.start(n, y0, peak);
    double hAbsMax = span;
    int stiffSteps = 0;
    int nonStiffSteps = 0;
    int unstableSteps = 0;
    rhoPowered = 0.0;
    boolean implicitCheaper = false;
    if (bdfEstimate != null) {
      bdfEstimate.reset();
      bdfEstimate.push(t0, k[0]);
    }
    boolean detect = o.stiffAfter > 0 && !fixed && stiffnessBoundary > 0;

    while (true) {
      double remaining = tEnd - t;
      boolean last = SolverInputs.lastStep(fixed, Math.abs(h), Math.abs(remaining));
      if (last) h = remaining;
      if (!last && Math.abs(h) < 1e-14 * Math.max(1.0, Math.abs(t))) {
        if (nonFinitePending) {
          throw nonFinite(pendingTime, pendingComponent, pendingDerivative, pendingValue, false);
        }
        throw SolverInputs.stepUnderflow(t, Math.abs(h), SolverInputs.EXPLICIT_UNDERFLOW, diagnosis(hTried));
      }
      if (attempts >= o.maxSteps) {
        throw SolverInputs.tooManySteps(attempts, t, tEnd, fixed, diagnosis(hTried));
      }
      attempts++;
      double tNew = last ? tEnd : t + h;

      attempt(t, h, tNew);
      hTried = h;
      double err = fixed ? 0.0 : errorNorm(h);
      boolean finite = findNonFinite(t, h, tNew, !Double.isFinite(err));
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
        h *= facMin;
        continue;
      }
      if (err > 1.0) {
        st.rejected++;
        rejectedLast = true;
        double fac11 = Math.pow(err, expo1);
        h /= Math.min(1.0 / facMin, fac11 / SAFETY);
        continue;
      }

      // Accepted.
      if (!tab.fsal) {
        f.eval(tNew, yNew, k[endSlot]);
        st.nfe++;
        bad = firstNonFinite(k[endSlot]);
        if (bad >= 0) {
          throw nonFinite(tNew, bad, true, k[endSlot][bad], false);
        }
      }
      double hNext = h;
      if (!fixed) {
        double fac11 = Math.pow(err, expo1);
        double fac = fac11 / Math.pow(errOld, beta);
        fac = Math.max(1.0 / facMax, Math.min(1.0 / facMin, fac / SAFETY));
        double hAbs = Math.min(Math.abs(h) / fac, hAbsMax);
        if (rejectedLast) {
          hAbs = Math.min(hAbs, Math.abs(h));
        }
        hNext = dir * hAbs;
        errOld = Math.max(err, 1e-4);
      }
      rejectedLast = false;
      nonFinitePending = false;
      AtolAdvice.update(n, yNew, peak);
      if (!last || suggestedStep == 0.0) suggestedStep = Math.abs(hNext);
      if (detect) {
        // Hairer's test (Solving ODEs II, IV.2): the last two stages are both at t + h, so
        // rho = |k_s - k_{s-1}| / |y1 - Y_{s-1}| estimates the dominant eigenvalue's modulus; while
        // it says "not stiff", every POWER_CHECK_EVERY steps two power steps refine it (and auto
        // asks whether BDF's step would be as long as this one)
        double rho = stiffnessRatio();
        if (bdfEstimate != null) bdfEstimate.push(tNew, k[s - 1]);
        if (Math.abs(h) * rho <= stiffnessBoundary && st.steps % POWER_CHECK_EVERY == 0) {
          rhoPowered = poweredStiffnessRatio(tNew);
          implicitCheaper = bdfEstimate != null && bdfEstimate.step(yNew, rtolV, atolV) >= Math.abs(h);
        }
        rho = Math.max(rho, rhoPowered);
        boolean stabilityLimited = Math.abs(h) * rho > stiffnessBoundary;
        if (stabilityLimited || implicitCheaper) {
          nonStiffSteps = 0;
          stiffSteps++;
          if (stabilityLimited) unstableSteps++;
        } else if (++nonStiffSteps >= 6) {
          stiffSteps = 0;
          unstableSteps = 0;
        }
      }

      dense.begin(t, h);
      st.steps++;
      if (ends.accept(t, tNew, yNew, dense)) {
        break;
      }

      System.arraycopy(yNew, 0, y, 0, n);
      double[] k0 = k[0];
      k[0] = k[endSlot];
      k[endSlot] = k0;
      t = tNew;
      if (last) {
        break;
      }
      if (detect && stiffSteps >= o.stiffAfter) {
        this.f = null;
        this.stats = null;
        throw new StiffnessDetected(t, y, h, ends.outputsDone(), ends.states(), st, unstableSteps > 0,
            unstableSteps > 0 ? SolverInputs.stiffMessage(t, method, Math.abs(h), stiffSteps)
            : String.format(Locale.ROOT, "at t = %s BDF's steps would be as long as %s's (%.2g)", fmt(t),
                method.text, Math.abs(h)));
      }
      h = hNext;
    }
    this.f = null;
    this.stats = null;
    st.nextStep = suggestedStep;
    return ends.solution(st);
  }

  // -----------------------------------------------------------------------------------------------
  // Kernels

  /**
   * One step attempt from (t, y) with step h: stages k_2..k_s into {@link #k}, the new state
   * y1 = y + h Σ b_i k_i into {@link #yNew}. For FSAL methods the last stage input is y1 itself.
   */
  private void attempt(double t, double h, double tNew) {
    double[] c = tab.c;
    for (int i = 1; i < s; i++) {
      boolean isEnd = tab.fsal && i == s - 1;
      double[] target = isEnd ? yNew : yStage;
      combine(rowIdx[i], rowVal[i], h, target);
      double ti = c[i] == 1.0 ? tNew : t + c[i] * h;
      f.eval(ti, target, k[i]);
    }
    stats.nfe += s - 1;
    if (!tab.fsal) {
      combine(bIdx, bVal, h, yNew);
    }
  }

  /** out = y + h Σ_j val_j k_{idx_j}. */
  private void combine(int[] idx, double[] val, double h, double[] out) {
    // term by term, streaming over the components: the inner loops are plain axpys the JIT
    // vectorises (component by component over the terms it was 4-6x slower for large n); the
    // sums are formed in the same order as before, so the results are bit for bit the same
    java.util.Arrays.fill(out, 0, n, 0.0);
    for (int j = 0; j < idx.length; j++) {
      double v = val[j];
      double[] kj = k[idx[j]];
      for (int c = 0; c < n; c++) {
        out[c] += v * kj[c];
      }
    }
    for (int c = 0; c < n; c++) {
      out[c] = y[c] + h * out[c];
    }
  }

  /**
   * ρ ≈ ‖k_end − k_{s−1}‖ / ‖y1 − Y_{s−1}‖ after an accepted FSAL step, where Y_{s−1} (still in
   * {@link #yStage}) is the input of the second-to-last stage, both norms weighted by the error
   * test's scales sc_c = atol_c + rtol_c max(|y_c|, |y1_c|). Since k_end − k_{s−1} ≈ J (y1 −
   * Y_{s−1}), ρ estimates the dominant eigenvalue of W J W⁻¹ (W = diag(1/sc)), which has the
   * eigenvalues of J, along the direction the step-size controller sees. Hairer's DOPRI5 uses plain
   * Euclidean norms; those are dominated by the largest states, and when a large state changes
   * slowly (EGFR at 4e7 in Fujita's signalling model next to fast species of order 1e-3) they see
   * only its slow dynamics and never the fast modes that limit the step.
   */
  private double stiffnessRatio() {
    double num = 0.0;
    double den = 0.0;
    double[] ka = k[s - 1];
    double[] kb = k[s - 2];
    for (int c = 0; c < n; c++) {
      double w = 1.0 / (atolV[c] + rtolV[c] * Math.max(Math.abs(y[c]), Math.abs(yNew[c])));
      double dk = (ka[c] - kb[c]) * w;
      double dy = (yNew[c] - yStage[c]) * w;
      num += dk * dk;
      den += dy * dy;
    }
    return den > 0 ? Math.sqrt(num / den) : 0.0;
  }

  /**
   * ρ refined by {@value #POWER_ITERATIONS} steps of the power iteration on W J W⁻¹, started from
   * k_end − k_{s−1} ≈ J (y1 − Y_{s−1}) (the direction of Hairer's estimate, already one application
   * of J), with J v ≈ (f(t1, y1 + σ v) − f(t1, y1)) / σ, the perturbation of size √ε relative to
   * the states' typical size atol/rtol + |y|. Hairer's estimate sees a stiff mode only when it is
   * excited: in a stiff problem that has settled onto its slow manifold, the controller keeps the
   * fast modes just stable and the stage differences are ruled by the slow dynamics (a two-species
   * exchange with eigenvalues −1500 and −0.5 at rtol 1e-12: h ρ grew from 0.01 to the threshold over
   * 4,000 steps at the stability limit). Each power step multiplies the fast modes' share by the
   * ratio of the eigenvalues. Costs {@value #POWER_ITERATIONS} evaluations of f (counted); uses
   * {@link #yStage} and {@link #errScratch} as scratch after the step's error test.
   */
  private double poweredStiffnessRatio(double tNew) {
    double[] fEnd = k[s - 1];
    double[] fPrev = k[s - 2];
    double rtolMax = 0.0;
    for (int c = 0; c < n; c++) {
      powerDir[c] = fEnd[c] - fPrev[c];
      rtolMax = Math.max(rtolMax, rtolV[c]);
    }
    if (rtolMax == 0.0) rtolMax = 1.0;
    double norm = weightedNorm(powerDir);
    double start = norm;
    int done = 0;
    for (int it = 0; it < POWER_ITERATIONS; it++) {
      if (!(norm > 0.0) || !Double.isFinite(norm)) break;
      double sigma = SQRT_EPS / (rtolMax * norm);
      for (int c = 0; c < n; c++) {
        yStage[c] = yNew[c] + sigma * powerDir[c];
      }
      f.eval(tNew, yStage, errScratch);
      stats.nfe++;
      for (int c = 0; c < n; c++) {
        powerDir[c] = (errScratch[c] - fEnd[c]) / sigma;
      }
      double next = weightedNorm(powerDir);
      if (!Double.isFinite(next)) break;
      norm = next;
      done++;
    }
    // the geometric mean of the ratios: one ratio alone swings about ρ when J maps between
    // differently scaled blocks (a neural ODE's ratios alternated 0.18, 21.7: ρ ≈ 2)
    return done == 0 ? 0.0 : Math.pow(norm / start, 1.0 / done);
  }

  /** ‖W v‖ with the error test's weights 1/(atol_c + rtol_c max(|y_c|, |y1_c|)). */
  private double weightedNorm(double[] v) {
    double sum = 0.0;
    for (int c = 0; c < n; c++) {
      double e = v[c] / (atolV[c] + rtolV[c] * Math.max(Math.abs(y[c]), Math.abs(yNew[c])));
      sum += e * e;
    }
    return Math.sqrt(sum);
  }

  /** Σ_c (h Σ_j val_j k_j[c] / sc_c)², accumulated term by term in {@link #errScratch}. */
  private double weightedSquares(int[] idx, double[] val, double h) {
    java.util.Arrays.fill(errScratch, 0.0);
    for (int j = 0; j < idx.length; j++) {
      double v = val[j];
      double[] kj = k[idx[j]];
      for (int c = 0; c < n; c++) {
        errScratch[c] += v * kj[c];
      }
    }
    double sum = 0.0;
    for (int c = 0; c < n; c++) {
      double sc = atolV[c] + rtolV[c] * Math.max(Math.abs(y[c]), Math.abs(yNew[c]));
      double e = errScratch[c] * (h / sc);
      sum += e * e;
    }
    return sum;
  }

  /**
   * {@link AtolAdvice#forStep} for the last step attempt (of size hTried; 0: none yet, or fixed
   * steps without an error estimate): its weighted error per component into {@link #errScratch}.
   */
  private String diagnosis(double hTried) {
    if (hTried == 0.0 || fixedOnly) return AtolAdvice.forFailure(n, peak, atolV);
    weightedSquares(eIdx, eVal, hTried);
    for (int c = 0; c < n; c++) {
      double sc = atolV[c] + rtolV[c] * Math.max(Math.abs(y[c]), Math.abs(yNew[c]));
      errScratch[c] = Math.abs(errScratch[c] * hTried / sc);
    }
    return AtolAdvice.forStep(n, errScratch, peak, atolV);
  }

  /**
   * Hairer's error measure of the attempted step: with sc_i = atol_i + rtol_i max(|y_i|, |y1_i|)
   * and E = h Σ e_j k_j, err = sqrt(Σ (E_i/sc_i)² / n); with second weights (DOP853) err =
   * S5 / sqrt(n (S5 + 0.01 S3)) where S5, S3 are the sums of squares of the two estimates.
   */
  private double errorNorm(double h) {
    double sum5 = weightedSquares(eIdx, eVal, h);
    double sum3 = e2Idx == null ? 0.0 : weightedSquares(e2Idx, e2Val, h);
    if (n == 0) {
      return 0.0;
    }
    if (e2Idx == null) {
      return Math.sqrt(sum5 / n);
    }
    double deno = sum5 + 0.01 * sum3;
    if (deno <= 0.0) {
      deno = 1.0;
    }
    return sum5 / Math.sqrt(n * deno);
  }

  /**
   * Hairer's HINIT (Solving ODEs I, II.4), with RMS norms weighted by sc_i = atol_i + rtol_i
   * |y0_i|: d0 = ‖y0‖, d1 = ‖f0‖, h0 = 0.01 d0/d1 (1e-6 when either is tiny); one Euler step
   * gives d2 = ‖f(t0 + h0, y0 + h0 f0) − f0‖ / h0; h1 = (0.01 / max(d1, d2))^(1/p); the result is
   * min(100 h0, h1, |t_end − t0|). Uses {@link #yStage} and the slot-1 array as scratch.
   */
  private double initialStep(double t0, double span, double dir) {
    stats.nfe++;
    return SolverInputs.hairerInitialStep(f, n, t0, y, k[0], span, dir, tab.order, rtolV, atolV, yStage, k[1]);
  }

  /**
   * Looks for a NaN or infinity in the attempted step: the new state, its derivative (FSAL), and,
   * when {@code scanStages} (the error measure was not finite), the stage derivatives. Records the
   * first one found in the {@code bad*} fields and returns false, or returns true.
   */
  private boolean findNonFinite(double t, double h, double tNew, boolean scanStages) {
    int c = firstNonFinite(yNew);
    if (c >= 0) {
      return recordBad(tNew, c, false, yNew[c]);
    }
    for (int i = 1; i < s; i++) {
      if (scanStages || (tab.fsal && i == s - 1)) {
        c = firstNonFinite(k[i]);
        if (c >= 0) {
          return recordBad(tab.c[i] == 1.0 ? tNew : t + tab.c[i] * h, c, true, k[i][c]);
        }
      }
    }
    if (scanStages) {
      // The error measure overflowed without any non-finite value: treat as a huge error.
      return recordBad(tNew, -1, false, Double.POSITIVE_INFINITY);
    }
    return true;
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

  /** The continuous extension of the current step, u(t + θh) = y + h Σ_p b_p(θ) k_p. */
  private final class Dense implements DenseOutput {
    private double t0;
    private double h;
    private boolean extrasReady;

    void begin(double t0, double h) {
      this.t0 = t0;
      this.h = h;
      this.extrasReady = tab.extraC.length == 0;
    }

    @Override
    public void interpolate(double t, double[] out) {
      if (!extrasReady) {
        computeExtraStages(t0, h);
        extrasReady = true;
      }
      double theta = (t - t0) / h;
      double[][] d = tab.dense;
      for (int p : denseSlots) {
        double[] poly = d[p];
        double acc = 0.0;
        for (int q = poly.length - 1; q >= 0; q--) {
          acc = acc * theta + poly[q];
        }
        w[p] = acc * theta;
      }
      java.util.Arrays.fill(out, 0, n, 0.0);
      for (int p : denseSlots) {
        double wp = w[p];
        double[] kp = k[p];
        for (int c = 0; c < n; c++) {
          out[c] += wp * kp[c];
        }
      }
      for (int c = 0; c < n; c++) {
        out[c] = y[c] + h * out[c];
      }
    }
  }

  /** The dense-output-only stages (DOP853's stages 14–16) of the step (t, h). */
  private void computeExtraStages(double t, double h) {
    int first = endSlot + 1;
    for (int x = 0; x < tab.extraC.length; x++) {
      int slot = first + x;
      combine(rowIdx[slot], rowVal[slot], h, yStage);
      f.eval(t + tab.extraC[x] * h, yStage, k[slot]);
      stats.nfe++;
      int bad = firstNonFinite(k[slot]);
      if (bad >= 0) {
        throw nonFinite(t + tab.extraC[x] * h, bad, true, k[slot][bad], false);
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Input checks and messages

  private void checkInputs(
      OdeFunction f, double t0, double[] y0, double[] saveat, SolverOptions o) {
    SolverInputs.check(n, f, null, false, t0, y0, saveat, o);
    boolean fixed = fixedOnly || !Double.isNaN(o.dt);
    if (fixedOnly && Double.isNaN(o.dt)) {
      throw badInput(t0, "solver " + method.text + " needs a step size (--dt)");
    }
    SolverInputs.tolerances(n, o, rtolV, atolV, t0);
    if (!fixed) SolverInputs.requirePositive(n, rtolV, atolV, t0);
  }

  private static SolverFailure badInput(double t, String message) {
    return SolverInputs.badInput(t, message);
  }

  private static SolverFailure nonFinite(
      double t, int component, boolean derivative, double value, boolean atStart) {
    return SolverInputs.nonFinite(t, component, derivative, value, atStart);
  }

  /** A compact rendering of a time for messages: up to 6 significant digits. */
  static String fmt(double t) {
    if (t == 0 || (Math.abs(t) >= 1e-4 && Math.abs(t) < 1e7)) {
      String r = String.format(Locale.ROOT, "%.6g", t);
      if (r.contains(".")) {
        r = r.replaceAll("0+$", "").replaceAll("\\.$", "");
      }
      return r;
    }
    return String.format(Locale.ROOT, "%.5e", t).replaceAll("\\.?0+e", "e");
  }

  // -----------------------------------------------------------------------------------------------
  // Construction helpers

  private void setRow(int slot, double[] row) {
    rowIdx[slot] = Tableau.nonzeroIndices(row);
    rowVal[slot] = Tableau.nonzeroValues(row);
  }

  private static boolean isZero(double[] v) {
    for (double x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
