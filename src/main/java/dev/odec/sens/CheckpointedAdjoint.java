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
  boolean controlsQuadrature() {
    return true;
  }

  @Override
  int lambdaOffset(GradientModel m) {
    return 0;
  }

  @Override
  StepObserver recorder(GradientModel m, double[] x0, GradientProblem pr) {
    current = new Trajectory(m.nx, x0, degree(pr.method));
    return current;
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

  @Override
  void beforeChunk(double[] s, double[] xForward, double tNext, double tCur) {
    current.select(tNext, tCur);
  }

  private Trajectory current;

  /**
   * The forward trajectory, m + 1 samples a step, and the polynomial through them. A solve
   * through events and switches is several smooth segments: each starts with its own state (after
   * what happened at its start), and a lookup searches the segment selected for the chunk being
   * integrated, so that at a boundary time the right side's polynomial is used.
   */
  static final class Trajectory implements StepObserver {
    private final int n;
    private final int m;
    private double[] times = new double[64];
    /** Per step: y at θ = 1/m, ..., 1 (m·n values). */
    private double[] samples;
    /** Per step: y at θ = 0 comes from the previous step, unless the step starts a segment. */
    private double[] segmentStart;
    private int[] segmentFirstStep = new int[4];
    private int segments;
    private int steps;
    private final double[] buf;
    private final double[] weights;
    private int last;
    private int lo;
    private int hi;
    /** Where the selected segment's start state is kept. */
    private int loStart;

    Trajectory(int n, double[] y0, int m) {
      this.n = n;
      this.m = m;
      this.samples = new double[64 * m * n];
      this.segmentStart = new double[4 * n];
      this.buf = new double[n];
      this.weights = new double[m + 1];
      System.arraycopy(y0, 0, segmentStart, 0, n);
      segments = 1;
    }

    @Override
    public void onRestart(double t, double[] y) {
      if (steps == segmentFirstStep[segments - 1]) {
        // no step in the current segment yet: it starts here, with this state
        System.arraycopy(y, 0, segmentStart, (segments - 1) * n, n);
        return;
      }
      if (segments == segmentFirstStep.length) {
        segmentFirstStep = Arrays.copyOf(segmentFirstStep, segments * 2);
        segmentStart = Arrays.copyOf(segmentStart, segments * 2 * n);
      }
      segmentFirstStep[segments] = steps;
      System.arraycopy(y, 0, segmentStart, segments * n, n);
      segments++;
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
      hi = steps - 1;
    }

    /** Restricts lookups to the segment that holds the interval [a, b] (a ≤ b). */
    void select(double a, double b) {
      for (int s = 0; s < segments; s++) {
        int first = segmentFirstStep[s];
        int end = s + 1 < segments ? segmentFirstStep[s + 1] : steps;
        if (end == first) continue;
        if (times[first] <= a && b <= times[end]) {
          lo = first;
          hi = end - 1;
          loStart = s * n;
          last = lo;
          return;
        }
      }
      lo = 0;
      hi = steps - 1;
      loStart = 0;
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
      int startOffset = i == lo ? loStart : -1;
      for (int c = 0; c < n; c++) {
        double y0 = startOffset >= 0 ? segmentStart[startOffset + c] : samples[base - n + c];
        double v = weights[0] * y0;
        for (int j = 1; j <= m; j++) v += weights[j] * samples[base + (j - 1) * n + c];
        out[c] = v;
      }
    }

    private int find(double t) {
      if (last >= lo && last <= hi && t >= times[last] && t <= times[last + 1]) return last;
      int a = lo;
      int b = hi;
      while (a < b) {
        int mid = (a + b) >>> 1;
        if (t > times[mid + 1]) a = mid + 1;
        else b = mid;
      }
      last = Math.max(lo, a);
      return last;
    }

    /** Values kept (a memory measure). */
    long storedValues() {
      return (long) steps * m * n + steps + (long) segments * n;
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
