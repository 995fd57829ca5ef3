package dev.odec.solve;

import java.util.Arrays;

/**
 * Explicit Runge–Kutta over a batch of members solved together: every right-hand-side evaluation
 * is one call of a {@link BatchOdeFunction} for all members still running, while each member keeps
 * its own time, step size, error control, step budget and failure. The arithmetic of each member is
 * that of {@link ExplicitRk} (the same stage sums in the same order, Hairer's RMS error norm, the
 * PI controller with β = 0.04, facMin = 0.2, facMax = 10, Hairer's initial step, the 1 % rule for
 * the last step, the same retry with a smaller step after a non-finite value), so a member's steps
 * are those of its single solve as long as the right-hand sides agree, and its outputs agree to
 * the rounding of the right-hand side.
 *
 * <p>Members that finish drop out of the batch (the remaining rows are gathered), and a member that
 * fails — non-finite state, step size underflow, step budget — is recorded and dropped; it never
 * stops the others. Not supported here: DOP853 (its dense output needs extra stages per member),
 * stiffness detection, events and switches.
 *
 * <p>Work arrays are sized once per solve: 2 + (stages + 4)·n doubles per member.
 */
public final class BatchRk {
  private static final double SAFETY = 0.9;
  private static final double BETA = 0.04;
  private static final double FAC_MIN = 0.2;
  private static final double FAC_MAX = 10.0;

  private final Method method;
  private final Tableau tab;
  private final int n;
  private final int s;
  private final int endSlot;
  private final boolean fixedOnly;
  private final double expo1;

  /** The outcome of a batched solve: per member its solution or its failure. */
  public record Result(Solution[] solutions, SolverFailure[] failures) {
    public int failed() {
      int k = 0;
      for (SolverFailure f : failures) k += f == null ? 0 : 1;
      return k;
    }
  }

  public BatchRk(Method method, int dimension) {
    if (!supports(method)) {
      throw new IllegalArgumentException("batched solves support bs3, dopri5, tsit5 and the fixed-step methods, not "
          + method.text);
    }
    this.method = method;
    this.tab = Tableau.of(method);
    this.n = dimension;
    this.s = tab.stages;
    this.endSlot = tab.endSlot();
    this.fixedOnly = tab.e == null;
    this.expo1 = tab.errorExponent == 0 ? 0 : 1.0 / tab.errorExponent - 0.75 * BETA;
  }

  /**
   * The bytes a batched solve holds per member for a system of n components with {@code outputs}
   * output times: the stage and state arrays, the per-member step data and the outputs.
   */
  public static long bytesPerMember(Method method, int n, int outputs) {
    return 8L * ((Tableau.of(method).slots() + 4L) * n + 12 + (long) outputs * n) + 64;
  }

  /** Whether a batched solve can run {@code method}. */
  public static boolean supports(Method method) {
    return method != null && !method.stiff && method != Method.DOP853;
  }

  /**
   * Solves every member from t0 to the last of {@code saveat}: member m starts from
   * {@code y0[m]}. The options apply to every member.
   */
  public Result solve(BatchOdeFunction f, double t0, double[][] y0, double[] saveat, SolverOptions o) {
    int members = y0.length;
    Solution[] solutions = new Solution[members];
    SolverFailure[] failures = new SolverFailure[members];
    double[] rtolV = new double[n];
    double[] atolV = new double[n];
    SolverInputs.tolerances(n, o, rtolV, atolV, t0);
    boolean fixed = fixedOnly || !Double.isNaN(o.dt);
    if (fixedOnly && Double.isNaN(o.dt)) {
      throw SolverInputs.badInput(t0, "solver " + method.text + " needs a step size (--dt)");
    }
    if (!fixed) SolverInputs.requirePositive(n, rtolV, atolV, t0);
    new Run(f, t0, y0, saveat, o, rtolV, atolV, fixed, solutions, failures).go();
    return new Result(solutions, failures);
  }

  /** One batched solve: per-member state, the rows of the running members, the stage arrays. */
  private final class Run {
    final BatchOdeFunction f;
    final double t0;
    final double[] saveat;
    final SolverOptions o;
    final double[] rtolV;
    final double[] atolV;
    final boolean fixed;
    final Solution[] solutions;
    final SolverFailure[] failures;
    final int members;
    final double tEnd;
    final double dir;
    final double span;

    // per member
    final double[] t;
    final double[] h;
    final double[] errOld;
    final double[] hAbsMax;
    final boolean[] rejectedLast;
    final boolean[] nonFinitePending;
    final SolverFailure[] pending;
    final long[] attempts;
    final Stats[] stats;
    final StepEnd[] ends;
    // per row (the running members, compacted)
    int rows;
    int[] member;
    final double[][] k;
    final double[] y;
    final double[] yNew;
    final double[] yStage;
    final double[] tRow;
    final boolean[] last;
    final double[] tNew;
    final double[] err;
    final double[] dense;

    Run(BatchOdeFunction f, double t0, double[][] y0, double[] saveat, SolverOptions o, double[] rtolV,
        double[] atolV, boolean fixed, Solution[] solutions, SolverFailure[] failures) {
      this.f = f;
      this.t0 = t0;
      this.saveat = saveat;
      this.o = o;
      this.rtolV = rtolV;
      this.atolV = atolV;
      this.fixed = fixed;
      this.solutions = solutions;
      this.failures = failures;
      this.members = y0.length;
      this.tEnd = saveat[saveat.length - 1];
      this.dir = Math.signum(tEnd - t0);
      this.span = Math.abs(tEnd - t0);
      t = new double[members];
      h = new double[members];
      errOld = new double[members];
      hAbsMax = new double[members];
      rejectedLast = new boolean[members];
      nonFinitePending = new boolean[members];
      pending = new SolverFailure[members];
      attempts = new long[members];
      stats = new Stats[members];
      ends = new StepEnd[members];
      member = new int[members];
      k = new double[tab.slots()][members * n];
      y = new double[members * n];
      yNew = new double[members * n];
      yStage = new double[members * n];
      tRow = new double[members];
      last = new boolean[members];
      tNew = new double[members];
      err = new double[members];
      dense = new double[n];
      for (int m = 0; m < members; m++) {
        stats[m] = new Stats();
        t[m] = t0;
        errOld[m] = 1e-4;
        hAbsMax[m] = span;
        double[] ym = y0[m];
        ends[m] = new StepEnd(n, t0, ym, saveat, null, null);
        SolverFailure bad = checkStart(ym);
        if (bad != null) {
          failures[m] = bad;
        } else if (ends[m].done()) {
          solutions[m] = ends[m].solution(stats[m]);
        } else {
          member[rows] = m;
          System.arraycopy(ym, 0, y, rows * n, n);
          rows++;
        }
      }
    }

    SolverFailure checkStart(double[] ym) {
      if (ym.length != n) {
        return SolverInputs.badInput(t0, "a member's initial state has " + ym.length + " components, not " + n);
      }
      for (int c = 0; c < n; c++) {
        if (!Double.isFinite(ym[c])) {
          return new SolverFailure(SolverFailure.Reason.BAD_INPUT, t0, c + 1, "the initial value of state component "
              + (c + 1) + " is " + ym[c] + "; give it a finite value");
        }
      }
      return null;
    }

    void go() {
      if (rows == 0) return;
      Arrays.fill(tRow, 0, rows, t0);
      eval(y, k[0]);
      for (int r = 0; r < rows; r++) {
        stats[member[r]].nfe++;
        int bad = firstNonFinite(k[0], r);
        if (bad >= 0) fail(r, SolverInputs.nonFinite(t0, bad, true, k[0][r * n + bad], true));
      }
      compact();
      initialSteps();
      while (rows > 0) {
        step();
        compact();
      }
    }

    /** Hairer's initial step for every row (or the fixed or given one), as in ExplicitRk. */
    void initialSteps() {
      if (fixed || !Double.isNaN(o.initialStep)) {
        for (int r = 0; r < rows; r++) {
          h[member[r]] = fixed ? dir * o.dt : dir * Math.min(Math.abs(o.initialStep), span);
        }
        return;
      }
      // Hairer's HINIT row by row with SolverInputs' two phases (one batched evaluation between
      // them), so that every row starts with the step its single solve takes
      double[] h0 = new double[rows];
      double[] dnf = new double[rows];
      double[] guess = new double[2];
      for (int r = 0; r < rows; r++) {
        SolverInputs.hinitGuess(n, y, k[0], r * n, rtolV, atolV, t0, span, dir, guess);
        h0[r] = guess[0];
        dnf[r] = guess[1];
        for (int c = 0; c < n; c++) yStage[r * n + c] = y[r * n + c] + dir * h0[r] * k[0][r * n + c];
        tRow[r] = t0 + dir * h0[r];
      }
      double[] f1 = k[1];
      eval(yStage, f1);
      for (int r = 0; r < rows; r++) {
        int m = member[r];
        stats[m].nfe++;
        h[m] = dir * SolverInputs.hinitStep(n, y, k[0], f1, r * n, h0[r], dnf[r], tab.order, rtolV, atolV, t0, span, dir);
      }
    }

    /** One step attempt of every row, then acceptance or rejection member by member. */
    void step() {
      for (int r = 0; r < rows; r++) {
        int m = member[r];
        double remaining = tEnd - t[m];
        last[r] = SolverInputs.lastStep(fixed, Math.abs(h[m]), Math.abs(remaining));
        if (last[r]) h[m] = remaining;
        if (!last[r] && Math.abs(h[m]) < 1e-14 * Math.max(1.0, Math.abs(t[m]))) {
          fail(r, nonFinitePending[m] ? pending[m] : SolverInputs.stepUnderflow(t[m], Math.abs(h[m]),
              "the problem may be stiff or the solution may blow up"));
          continue;
        }
        if (attempts[m] >= o.maxSteps) {
          fail(r, SolverInputs.tooManySteps(attempts[m], t[m], tEnd, fixed));
          continue;
        }
        attempts[m]++;
        tNew[r] = last[r] ? tEnd : t[m] + h[m];
      }
      // rows that just failed are computed with the others (their results are ignored) and
      // dropped by the compaction after the step
      attempt();
      for (int r = 0; r < rows; r++) {
        int m = member[r];
        err[r] = failures[m] != null ? Double.NaN : fixed ? 0.0 : errorNorm(r, h[m]);
      }
      boolean anyAccepted = false;
      for (int r = 0; r < rows; r++) {
        int m = member[r];
        if (failures[m] != null) continue;
        SolverFailure bad = findNonFinite(r, t[m], h[m], tNew[r], !Double.isFinite(err[r]));
        if (bad != null) {
          if (fixed) {
            fail(r, bad);
            continue;
          }
          nonFinitePending[m] = true;
          pending[m] = bad;
          stats[m].rejected++;
          rejectedLast[m] = true;
          h[m] *= FAC_MIN;
          err[r] = Double.NaN;
          continue;
        }
        if (err[r] > 1.0) {
          stats[m].rejected++;
          rejectedLast[m] = true;
          double fac11 = Math.pow(err[r], expo1);
          h[m] /= Math.min(1.0 / FAC_MIN, fac11 / SAFETY);
          err[r] = Double.NaN;
          continue;
        }
        anyAccepted = true;
      }
      if (!anyAccepted) return;
      if (!tab.fsal) endDerivatives();
      for (int r = 0; r < rows; r++) {
        int m = member[r];
        if (failures[m] != null || Double.isNaN(err[r])) continue;
        accept(r, m);
      }
    }

    /** The end derivative f(t1, y1) of non-FSAL methods, for the rows whose step was accepted. */
    void endDerivatives() {
      // evaluate all running rows (the rejected ones are discarded): one batched call
      for (int r = 0; r < rows; r++) tRow[r] = tNew[r];
      eval(yNew, k[endSlot]);
      for (int r = 0; r < rows; r++) {
        int m = member[r];
        if (failures[m] != null || Double.isNaN(err[r])) continue;
        stats[m].nfe++;
        int bad = firstNonFinite(k[endSlot], r);
        if (bad >= 0) fail(r, SolverInputs.nonFinite(tNew[r], bad, true, k[endSlot][r * n + bad], false));
      }
    }

    void accept(int r, int m) {
      double hm = h[m];
      double hNext = hm;
      if (!fixed) {
        double fac11 = Math.pow(err[r], expo1);
        double fac = fac11 / Math.pow(errOld[m], BETA);
        fac = Math.max(1.0 / FAC_MAX, Math.min(1.0 / FAC_MIN, fac / SAFETY));
        double hAbs = Math.min(Math.abs(hm) / fac, hAbsMax[m]);
        if (rejectedLast[m]) hAbs = Math.min(hAbs, Math.abs(hm));
        hNext = dir * hAbs;
        errOld[m] = Math.max(err[r], 1e-4);
      }
      rejectedLast[m] = false;
      nonFinitePending[m] = false;
      Stats st = stats[m];
      if (!last[r] || st.nextStep == 0.0) st.nextStep = Math.abs(hNext);
      st.steps++;
      double tm = t[m];
      double[] yRow = Arrays.copyOfRange(yNew, r * n, r * n + n);
      ends[m].accept(tm, tNew[r], yRow, (tq, out) -> interpolate(r, tm, hm, tq, out));
      System.arraycopy(yNew, r * n, y, r * n, n);
      System.arraycopy(k[endSlot], r * n, k[0], r * n, n);
      t[m] = tNew[r];
      if (last[r]) {
        solutions[m] = ends[m].solution(st);
      } else {
        h[m] = hNext;
      }
    }

    /** Row r's dense output within its step (t, h): u(t + θh) = y + h Σ_p b_p(θ) k_p. */
    void interpolate(int r, double tm, double hm, double tq, double[] out) {
      double theta = (tq - tm) / hm;
      Arrays.fill(out, 0, n, 0.0);
      for (int p = 0; p < tab.slots(); p++) {
        double[] poly = tab.dense[p];
        boolean zero = true;
        for (double v : poly) zero &= v == 0;
        if (zero) continue;
        double acc = 0.0;
        for (int q = poly.length - 1; q >= 0; q--) acc = acc * theta + poly[q];
        double wp = acc * theta;
        double[] kp = k[p];
        for (int c = 0; c < n; c++) out[c] += wp * kp[r * n + c];
      }
      for (int c = 0; c < n; c++) out[c] = y[r * n + c] + hm * out[c];
    }

    /** Stages 2..s of every row, and y1 (into yNew). */
    void attempt() {
      double[] c = tab.c;
      for (int i = 1; i < s; i++) {
        boolean isEnd = tab.fsal && i == s - 1;
        double[] target = isEnd ? yNew : yStage;
        for (int r = 0; r < rows; r++) {
          int m = member[r];
          combine(r, tab.a[i], h[m], target);
          tRow[r] = c[i] == 1.0 ? tNew[r] : t[m] + c[i] * h[m];
        }
        eval(target, k[i]);
      }
      for (int r = 0; r < rows; r++) {
        stats[member[r]].nfe += s - 1;
        if (!tab.fsal) combine(r, tab.b, h[member[r]], yNew);
      }
    }

    /** Row r: out = y + h Σ_j row_j k_j, the sum formed term by term in j order as ExplicitRk does. */
    void combine(int r, double[] row, double hm, double[] out) {
      int base = r * n;
      Arrays.fill(out, base, base + n, 0.0);
      for (int j = 0; j < row.length; j++) {
        double v = row[j];
        if (v == 0) continue;
        double[] kj = k[j];
        for (int c = 0; c < n; c++) out[base + c] += v * kj[base + c];
      }
      for (int c = 0; c < n; c++) out[base + c] = y[base + c] + hm * out[base + c];
    }

    double errorNorm(int r, double hm) {
      if (n == 0) return 0.0;
      int base = r * n;
      double sum = 0.0;
      for (int c = 0; c < n; c++) {
        double acc = 0.0;
        for (int j = 0; j < tab.e.length; j++) {
          if (tab.e[j] != 0) acc += tab.e[j] * k[j][base + c];
        }
        double sc = atolV[c] + rtolV[c] * Math.max(Math.abs(y[base + c]), Math.abs(yNew[base + c]));
        double e = acc * (hm / sc);
        sum += e * e;
      }
      return Math.sqrt(sum / n);
    }

    /** As ExplicitRk.findNonFinite, for row r: the failure to report, or null. */
    SolverFailure findNonFinite(int r, double tm, double hm, double tn, boolean scanStages) {
      int c = firstNonFinite(yNew, r);
      if (c >= 0) return SolverInputs.nonFinite(tn, c, false, yNew[r * n + c], false);
      for (int i = 1; i < s; i++) {
        if (scanStages || (tab.fsal && i == s - 1)) {
          c = firstNonFinite(k[i], r);
          if (c >= 0) {
            return SolverInputs.nonFinite(tab.c[i] == 1.0 ? tn : tm + tab.c[i] * hm, c, true, k[i][r * n + c], false);
          }
        }
      }
      if (scanStages) return SolverInputs.nonFinite(tn, -1, false, Double.POSITIVE_INFINITY, false);
      return null;
    }

    int firstNonFinite(double[] v, int r) {
      for (int c = 0; c < n; c++) {
        if (!Double.isFinite(v[r * n + c])) return c;
      }
      return -1;
    }

    void eval(double[] in, double[] out) {
      f.eval(rows, member, tRow, in, out);
    }

    void fail(int r, SolverFailure failure) {
      failures[member[r]] = failure;
    }

    /** Drops the rows of members that finished or failed, keeping the others' per-row data. */
    void compact() {
      int w = 0;
      for (int r = 0; r < rows; r++) {
        int m = member[r];
        if (failures[m] != null || solutions[m] != null) continue;
        if (w != r) {
          member[w] = m;
          System.arraycopy(y, r * n, y, w * n, n);
          System.arraycopy(k[0], r * n, k[0], w * n, n);
        }
        w++;
      }
      rows = w;
    }
  }
}
