package dev.odec.solve;

import java.util.Locale;

/**
 * The checks every solver makes on its inputs, and the failures they raise, written once so
 * that the explicit, BDF and Rosenbrock solvers (and the generated C solvers, whose status codes
 * the runtime turns into these failures) report the same mistakes with the same words.
 */
public final class SolverInputs {
  private SolverInputs() {}

  /**
   * Checks the function, the Jacobian (when {@code jac} is not null), the start, the initial
   * state, the output times and the options shared by all solvers.
   */
  static void check(int n, OdeFunction f, OdeJacobian jac, boolean needsJacobian, double t0, double[] y0,
      double[] saveat, SolverOptions o) {
    if (f == null || (needsJacobian && jac == null) || y0 == null || saveat == null || o == null) {
      throw badInput(t0, "the solver got no " + (f == null ? "function" : needsJacobian && jac == null
          ? "Jacobian" : y0 == null ? "initial state" : saveat == null ? "output times" : "options"));
    }
    if (f.dimension() != n || y0.length != n) {
      throw badInput(t0, String.format(Locale.ROOT,
          "the solver was set up for %d states but the model has %d and the initial state %d",
          n, f.dimension(), y0.length));
    }
    if (jac != null) {
      int[] rowStart = jac.rowStart();
      if (rowStart == null || rowStart.length != n + 1 || jac.colIndex() == null
          || rowStart[n] != jac.colIndex().length) {
        throw badInput(t0, String.format(Locale.ROOT, "the Jacobian's pattern does not fit a model of %d states", n));
      }
    }
    if (!Double.isFinite(t0)) {
      throw badInput(t0, "the start time " + t0 + " is not a finite number");
    }
    for (int c = 0; c < n; c++) {
      if (!Double.isFinite(y0[c])) {
        throw new SolverFailure(SolverFailure.Reason.BAD_INPUT, t0, c + 1, String.format(
            Locale.ROOT, "the initial value of state component %d is %s; give it a finite value",
            c + 1, y0[c]));
      }
    }
    if (saveat.length == 0) {
      throw badInput(t0, "no output times were requested; give at least one");
    }
    double tEnd = saveat[saveat.length - 1];
    double dir = Math.signum(tEnd - t0);
    double prev = t0;
    for (double ts : saveat) {
      if (!Double.isFinite(ts) || (ts - prev) * dir < 0 || (dir == 0 && ts != t0)) {
        throw badInput(t0, String.format(Locale.ROOT,
            "output time %s is out of order: output times must run from the start time %s to "
                + "the end time %s (%s)",
            ExplicitRk.fmt(ts), ExplicitRk.fmt(t0), ExplicitRk.fmt(tEnd), dir >= 0 ? "ascending" : "descending"));
      }
      prev = ts;
    }
    if (!Double.isNaN(o.dt) && !(o.dt > 0 && Double.isFinite(o.dt))) {
      throw badInput(t0, "the step size --dt must be a positive number, not " + o.dt);
    }
    if (!Double.isNaN(o.initialStep) && !(o.initialStep != 0 && Double.isFinite(o.initialStep))) {
      throw badInput(t0, "the initial step must be a nonzero number, not " + o.initialStep);
    }
    if (o.maxSteps <= 0) {
      throw badInput(t0, "--max-steps must be positive, not " + o.maxSteps);
    }
  }

  /** Fills the per-component tolerances from the options (per-state arrays or the scalars). */
  static void tolerances(int n, SolverOptions o, double[] rtolV, double[] atolV, double t0) {
    fill(n, o.rtolPerState, o.rtol, rtolV, "--rtol", t0);
    fill(n, o.atolPerState, o.atol, atolV, "--atol", t0);
  }

  /** Rejects a component whose tolerances are both zero (it could never pass an error test). */
  static void requirePositive(int n, double[] rtolV, double[] atolV, double t0) {
    for (int c = 0; c < n; c++) {
      if (atolV[c] == 0 && rtolV[c] == 0) {
        throw new SolverFailure(SolverFailure.Reason.BAD_INPUT, t0, c + 1, String.format(
            Locale.ROOT, "state component %d has both tolerances zero; give it a positive "
                + "--rtol or --atol", c + 1));
      }
    }
  }

  private static void fill(int n, double[] perState, double scalar, double[] dst, String flag, double t0) {
    if (perState != null && perState.length != n) {
      throw badInput(t0, String.format(Locale.ROOT,
          "%s was given for %d states but the model has %d", flag, perState.length, n));
    }
    for (int c = 0; c < n; c++) {
      double v = perState != null ? perState[c] : scalar;
      if (!(v >= 0 && Double.isFinite(v))) {
        throw badInput(t0, flag + " must be a non-negative number, not " + v);
      }
      dst[c] = v;
    }
  }

  static SolverFailure badInput(double t, String message) {
    return new SolverFailure(SolverFailure.Reason.BAD_INPUT, t, message);
  }

  /** A NaN or infinite state or derivative (component is 0-based; −1: the error estimate). */
  public static SolverFailure nonFinite(double t, int component, boolean derivative, double value, boolean atStart) {
    if (component < 0) {
      return new SolverFailure(SolverFailure.Reason.NON_FINITE, t, String.format(Locale.ROOT,
          "the error estimate overflowed at t = %s: the solution is probably blowing up; check "
              + "the model", ExplicitRk.fmt(t)));
    }
    String what = Double.isNaN(value) ? "NaN" : "infinite";
    String subject = derivative ? "the derivative of state component " : "state component ";
    return new SolverFailure(SolverFailure.Reason.NON_FINITE, t, component + 1, String.format(
        Locale.ROOT,
        "%s%d %s %s at %st = %s; check the model for a division by zero, an overflow, or a "
            + "function used outside its domain (such as log or sqrt of a negative number)",
        subject, component + 1, atStart ? "is" : "became", what, atStart ? "the start time " : "",
        ExplicitRk.fmt(t)));
  }

  /**
   * Whether the step of size hAbs is the last one (and is clipped to land on the end): within
   * rounding for fixed steps, within 1% for adaptive ones (a sliver of a step is not worth taking).
   */
  static boolean lastStep(boolean fixed, double hAbs, double remainingAbs) {
    return fixed ? remainingAbs <= hAbs * (1 + 1e-10) : hAbs * 1.01 >= remainingAbs;
  }

  /** The step size controller drove h below what the time's floating point can resolve. */
  public static SolverFailure stepUnderflow(double t, double hAbs, String cause) {
    return stepUnderflow(t, hAbs, cause, "");
  }

  /**
   * As {@link #stepUnderflow(double, double, String)}; {@code detail} ({@link AtolAdvice#forStep},
   * or "") names the state that limited the step.
   */
  public static SolverFailure stepUnderflow(double t, double hAbs, String cause, String detail) {
    return new SolverFailure(SolverFailure.Reason.STEP_SIZE_UNDERFLOW, t, String.format(Locale.ROOT,
        "step size fell below %.2g at t = %s: %s%s; try a looser --rtol, or check the model",
        hAbs, ExplicitRk.fmt(t), cause, detail));
  }

  /** The step budget ran out. */
  public static SolverFailure tooManySteps(long attempts, double t, double tEnd, boolean fixed) {
    return tooManySteps(attempts, t, tEnd, fixed, "");
  }

  /** The step budget ran out; {@code detail} as for {@link #stepUnderflow(double, double, String, String)}. */
  public static SolverFailure tooManySteps(long attempts, double t, double tEnd, boolean fixed, String detail) {
    return new SolverFailure(SolverFailure.Reason.MAX_STEPS, t, String.format(Locale.ROOT,
        "gave up after %d steps at t = %s (of %s)%s; raise --max-steps or %s",
        attempts, ExplicitRk.fmt(t), ExplicitRk.fmt(tEnd), detail, fixed ? "use a larger --dt" : "loosen --rtol"));
  }

  /** Why an explicit method's step size underflows (its stiffness advice). */
  public static final String EXPLICIT_UNDERFLOW = "the problem may be stiff or the solution may blow up";
  /** Why an implicit method's step size underflows. */
  public static final String IMPLICIT_UNDERFLOW = "the solution may blow up or change abruptly there";

  /** An explicit method found its steps limited by stability for {@code steps} steps in a row. */
  public static String stiffMessage(double t, Method method, double hAbs, long steps) {
    return String.format(Locale.ROOT,
        "the problem is stiff at t = %s: %s's step size (%.2g) has been limited by stability, not "
            + "accuracy, for %d steps; use a stiff solver (--solver bdf or rodas5, or auto, which switches "
            + "by itself)", ExplicitRk.fmt(t), method.text, hAbs, steps);
  }

  /**
   * The iteration matrix of an implicit method stayed singular ({@code times} in a row; 1 with a
   * fixed step); {@code components} (1-based, may be empty) carry its null vector.
   */
  public static SolverFailure singular(double t, int[] components, int times) {
    String where;
    if (components.length == 0) {
      where = "";
    } else {
      StringBuilder sb = new StringBuilder(" in ");
      for (int i = 0; i < components.length; i++) {
        sb.append(i == 0 ? "" : i == components.length - 1 ? " and " : ", ").append("'component ")
            .append(components[i]).append("'");
      }
      where = sb.toString();
    }
    return new SolverFailure(SolverFailure.Reason.NEWTON, t, components.length == 0 ? 0 : components[0],
        String.format(Locale.ROOT,
            "the iteration matrix is singular at t = %s%s (%s); check the model's rates and "
                + "Jacobian there for huge or dependent terms, or try another solver",
            ExplicitRk.fmt(t), where, times == 1 ? "with a fixed step" : "even after halving the step "
                + (times - 1) + " times"));
  }

  /** A NaN or infinite entry (row, col; 0-based) of the Jacobian at t. */
  public static SolverFailure jacobianNonFinite(double t, int row, int col, double value) {
    return new SolverFailure(SolverFailure.Reason.NON_FINITE, t, row + 1, String.format(Locale.ROOT,
        "the Jacobian entry d(rate of state component %d)/d(state component %d) is %s at "
            + "t = %s; check the model for a division by zero, an overflow, or a function "
            + "used outside its domain", row + 1, col + 1, Double.isNaN(value) ? "NaN" : "infinite",
        ExplicitRk.fmt(t)));
  }

  /** A time as failure messages write it (up to 6 significant digits). */
  public static String format(double t) {
    return ExplicitRk.fmt(t);
  }

  /** The index of the first NaN or infinite entry among the first n, or −1. */
  static int firstNonFinite(double[] v, int n) {
    for (int c = 0; c < n; c++) {
      if (!Double.isFinite(v[c])) return c;
    }
    return -1;
  }

  /**
   * Hairer's automatic initial step (HINIT, Solving ODEs I, II.4) for a method of the given order:
   * h0 = 0.01 ‖y0‖/‖f0‖, one explicit Euler step of h0 to estimate the second derivative, then
   * h = min(100 h0, (0.01 / max(‖f0‖, ‖y''‖))^(1/order)), in the error norm of the tolerances.
   * Evaluates f once (into fScratch, with yScratch as its input); the caller counts it.
   */
  static double hairerInitialStep(OdeFunction f, int n, double t0, double[] y, double[] f0, double span,
      double dir, int order, double[] rtolV, double[] atolV, double[] yScratch, double[] fScratch) {
    double[] guess = new double[2];
    hinitGuess(n, y, f0, 0, rtolV, atolV, t0, span, dir, guess);
    double h0 = guess[0];
    for (int c = 0; c < n; c++) {
      yScratch[c] = y[c] + dir * h0 * f0[c];
    }
    f.eval(t0 + dir * h0, yScratch, fScratch);
    return hinitStep(n, y, f0, fScratch, 0, h0, guess[1], order, rtolV, atolV, t0, span, dir);
  }

  /**
   * HINIT's first phase for the n values of y and f0 from {@code off}: h0 = 0.01 ‖y0‖/‖f0‖ (raised
   * to what t resolves) into out[0] and Σ (f0/sc)² into out[1]. Shared with the batched solver,
   * whose rows must start as single solves do.
   */
  static void hinitGuess(int n, double[] y, double[] f0, int off, double[] rtolV, double[] atolV, double t0, double span,
      double dir, double[] out) {
    double dnf = 0.0;
    double dny = 0.0;
    for (int c = 0; c < n; c++) {
      double sc = atolV[c] + rtolV[c] * Math.abs(y[off + c]);
      dnf += (f0[off + c] / sc) * (f0[off + c] / sc);
      dny += (y[off + c] / sc) * (y[off + c] / sc);
    }
    double h0 = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
    out[0] = resolvable(h0, t0, span, dir);
    out[1] = dnf;
  }

  /**
   * HINIT's second phase: from f1 = f(t0 + h0, y0 + h0 f0) the second derivative's estimate, and
   * h = min(100 h0, (0.01 / max(‖f0‖, ‖y''‖))^(1/order)), raised to what t resolves.
   */
  static double hinitStep(int n, double[] y, double[] f0, double[] f1, int off, double h0, double dnf, int order,
      double[] rtolV, double[] atolV, double t0, double span, double dir) {
    double der2 = 0.0;
    for (int c = 0; c < n; c++) {
      double sc = atolV[c] + rtolV[c] * Math.abs(y[off + c]);
      double d = (f1[off + c] - f0[off + c]) / sc;
      der2 += d * d;
    }
    der2 = Math.sqrt(der2 / Math.max(n, 1)) / h0;
    double der12 = Math.max(Math.abs(der2), Math.sqrt(dnf / Math.max(n, 1)));
    double h1 = der12 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / der12, 1.0 / order);
    double h = Math.min(Math.min(100 * h0, h1), span);
    return resolvable(Double.isFinite(h) && h > 0 ? h : 1e-6, t0, span, dir);
  }

  /**
   * A first step raised, where it is smaller, to 100 units of rounding of the larger of |t0| and
   * |t_end| (CVODE's lower bound for its first step), and cut to the span. Hairer's estimate takes
   * min(100 h0, ·) with h0 = 0.01 ‖y0‖/‖f0‖, the time for y to change by its own size — zero for a
   * component that starts at zero and moves (forward sensitivities start at S = ∂x0/∂p, mostly
   * zero, forced by ∂f/∂p): Fujita's model with atol 1e-12 got 6.5e-14, below what t = −1000
   * resolves, and the solve failed before its first step although the state alone solved. The
   * error test shrinks a first step that is too long.
   */
  static double resolvable(double h, double t0, double span, double dir) {
    double tEnd = t0 + dir * span;
    double floor = 100 * 0.5 * Math.ulp(1.0) * Math.max(Math.abs(t0), Math.abs(tEnd));
    return Math.min(Math.max(h, floor), span);
  }
}
