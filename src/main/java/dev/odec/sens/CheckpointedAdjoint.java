package dev.odec.sens;

import dev.odec.solve.DenseOutput;
import dev.odec.solve.OdeFunction;
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
public final class CheckpointedAdjoint extends ContinuousAdjoint {
  @Override
  public String name() {
    return "checkpoint";
  }

  @Override
  int backwardSize(GradientModel m) {
    return m.nx + m.np;
  }

  @Override
  int lambdaOffset(GradientModel m) {
    return 0;
  }

  @Override
  StepObserver recorder(GradientModel m, double[] x0, GradientProblem pr) {
    return new Trajectory(m.nx, x0, degree(pr.method));
  }

  @Override
  dev.odec.solve.OdeJacobian backwardJacobian(GradientModel m, StepObserver recorder, double[] p) {
    Trajectory traj = (Trajectory) recorder;
    return m.backwardJacobian(p, (t, out) -> traj.at(t, out));
  }

  @Override
  OdeFunction backward(GradientModel m, StepObserver recorder, double[] p) {
    return new InterpolatedAdjoint(m, (Trajectory) recorder, p);
  }

  /** The degree of the method's dense-output polynomial in θ. */
  static int degree(dev.odec.solve.Method method) {
    // BDF interpolates through up to 6 back values; Rodas5P's dense output and auto's mix are
    // covered by the same degree
    if (method == null || method.stiff) return 5;
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
