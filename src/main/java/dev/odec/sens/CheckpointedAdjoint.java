package dev.odec.sens;

import dev.odec.solve.DenseOutput;
import dev.odec.solve.ExplicitRk;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.Solution;
import dev.odec.solve.StepObserver;
import java.util.Arrays;

/**
 * An adjoint that does not integrate the state backwards: the forward solve keeps, for every
 * step, the solver's dense output sampled at m + 1 equally spaced points, where m is the degree
 * of the method's interpolating polynomial, and the backward pass integrates only [λ, μ],
 *
 * <pre>
 *   λ' = −(∂F/∂x)ᵀ λ,   μ' = −(∂F/∂p)ᵀ λ,
 * </pre>
 *
 * with x(t) from the polynomial through those points — which is the dense output itself, so x is
 * as accurate as the forward solution everywhere. This is stable where backward integration of
 * x is not (dissipative or stiff problems), at a memory cost of m·n values per forward step:
 * the interpolating adjoint of CVODES and SciMLSensitivity.
 */
public final class CheckpointedAdjoint implements GradientMethod {
  @Override
  public String name() {
    return "checkpoint";
  }

  @Override
  public GradientResult compute(GradientProblem pr) {
    GradientModel m = pr.model;
    int nx = m.nx;
    int np = m.np;
    GradientResult r = new GradientResult(np);
    r.method = name();
    ExplicitRk fwd = new ExplicitRk(pr.method, nx);
    ExplicitRk back = new ExplicitRk(pr.method, nx + np);
    for (GradientProblem.Experiment e : pr.experiments) {
      double[] p = e.p;
      double[] x0 = pr.initialState(p);
      double[] outT = pr.outputTimes(e);
      Trajectory traj = new Trajectory(nx, x0, degree(pr.method));
      Solution sol = fwd.solve(pr.forward(p), pr.t0, x0, outT, pr.options, traj);
      r.nfeForward += sol.stats.nfe;
      double[] grad = new double[np];
      double[] s = new double[nx + np];
      double[] x1 = GradientProblem.stateAt(pr.t1, pr.t0, x0, outT, sol.states);
      if (m.hasRates) s[nx - 1] = 1.0;
      r.objective += pr.integralTerm(x1);
      double[] timeGrads = new double[e.times.length];
      double[] dx = new double[nx];
      double[] dt = new double[1];
      OdeFunction adj = new InterpolatedAdjoint(m, traj, p);
      double[] saveat = new double[1];
      int k = e.times.length - 1;
      double tCur = pr.t1;
      while (true) {
        double[] xCur = GradientProblem.stateAt(tCur, pr.t0, x0, outT, sol.states);
        if (k >= 0 && e.times[k] == tCur) {
          Arrays.fill(dx, 0.0);
          r.objective += pr.termsAt(e, k, xCur, dx, grad, dt);
          timeGrads[k] = pr.timeGradient(tCur, xCur, p, dx, dt[0]);
          for (int i = 0; i < nx; i++) s[i] += dx[i];
          k--;
        }
        if (tCur == pr.t0) break;
        double tNext = k >= 0 ? Math.max(e.times[k], pr.t0) : pr.t0;
        saveat[0] = tNext;
        Solution b = back.solve(adj, tCur, s, saveat, pr.options);
        r.nfeBackward += b.stats.nfe;
        System.arraycopy(b.states[0], 0, s, 0, s.length);
        tCur = tNext;
      }
      double[] lambda0 = Arrays.copyOf(s, nx);
      for (int i = 0; i < np; i++) grad[i] += s[nx + i];
      pr.addInitialVjp(lambda0, p, grad);
      r.dt0 += -BacksolveAdjoint.dot(lambda0, BacksolveAdjoint.dynamics(pr, x0, p));
      r.dt1 += pr.gradT1(x1, p);
      r.timeGradients.add(timeGrads);
      GradientProblem.accumulate(e, grad, r.gradient);
    }
    return r;
  }

  /** The degree of the method's dense-output polynomial in θ. */
  static int degree(dev.odec.solve.Method method) {
    int m = 1;
    for (double[] poly : dev.odec.solve.Tableau.of(method).dense) m = Math.max(m, poly.length);
    return m;
  }

  /** The forward trajectory, m + 1 samples a step, and the polynomial through them. */
  static final class Trajectory implements StepObserver {
    private final int n;
    private final int m;
    private double[] times = new double[64];
    /** Per step: y at θ = 1/m, ..., 1 (m·n values); y at the very start separately. */
    private double[] samples;
    private final double[] start;
    private int steps;
    private final double[] buf;
    private final double[] weights;
    private int last;

    Trajectory(int n, double[] y0, int m) {
      this.n = n;
      this.m = m;
      this.samples = new double[64 * m * n];
      this.start = y0.clone();
      this.buf = new double[n];
      this.weights = new double[m + 1];
    }

    @Override
    public void onStep(double tPrev, double tNew, DenseOutput dense) {
      if (steps == 0) times[0] = tPrev;
      if (steps + 2 > times.length) times = Arrays.copyOf(times, times.length * 2);
      if ((steps + 1) * m * n > samples.length) samples = Arrays.copyOf(samples, samples.length * 2);
      double h = tNew - tPrev;
      for (int j = 1; j <= m; j++) {
        dense.interpolate(j == m ? tNew : tPrev + h * j / m, buf);
        System.arraycopy(buf, 0, samples, (steps * m + j - 1) * n, n);
      }
      times[++steps] = tNew;
    }

    /** x(t) by the polynomial through the samples of the step that holds t (Lagrange form). */
    void at(double t, double[] out) {
      int i = find(t);
      double ta = times[i];
      double h = times[i + 1] - ta;
      double th = h == 0 ? 0 : (t - ta) / h;
      for (int j = 0; j <= m; j++) {
        double w = 1;
        for (int l = 0; l <= m; l++) {
          if (l != j) w *= (th - (double) l / m) / ((double) (j - l) / m);
        }
        weights[j] = w;
      }
      int base = i * m * n;
      for (int c = 0; c < n; c++) {
        double y0 = i == 0 ? start[c] : samples[base - n + c];
        double v = weights[0] * y0;
        for (int j = 1; j <= m; j++) v += weights[j] * samples[base + (j - 1) * n + c];
        out[c] = v;
      }
    }

    private int find(double t) {
      boolean forward = steps == 0 || times[steps] >= times[0];
      if (inStep(last, t, forward)) return last;
      int lo = 0;
      int hi = steps - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        boolean after = forward ? t > times[mid + 1] : t < times[mid + 1];
        if (after) lo = mid + 1;
        else hi = mid;
      }
      last = Math.max(0, lo);
      return last;
    }

    private boolean inStep(int i, double t, boolean forward) {
      if (i >= steps) return false;
      double a = times[i];
      double b = times[i + 1];
      return forward ? t >= a && t <= b : t <= a && t >= b;
    }

    /** Values kept (a memory measure). */
    long storedValues() {
      return (long) steps * m * n + steps;
    }
  }

  /** The backward system [λ, μ]' with x(t) interpolated from the forward trajectory. */
  private static final class InterpolatedAdjoint implements OdeFunction {
    private final GradientModel m;
    private final Trajectory traj;
    private final double[] p;
    private final double[] in;
    private final double[] out;

    InterpolatedAdjoint(GradientModel m, Trajectory traj, double[] p) {
      this.m = m;
      this.traj = traj;
      this.p = p;
      this.in = new double[2 * m.nx];
      this.out = new double[m.nx + m.np + 1];
    }

    @Override
    public int dimension() {
      return m.nx + m.np;
    }

    @Override
    public void eval(double t, double[] s, double[] ds) {
      traj.at(t, in);
      System.arraycopy(s, 0, in, m.nx, m.nx);
      m.vjpF.eval(t, in, p, out);
      for (int i = 0; i < m.nx + m.np; i++) ds[i] = -out[i];
    }
  }
}
