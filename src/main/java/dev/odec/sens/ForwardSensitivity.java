package dev.odec.sens;

import dev.odec.codegen.CompiledFunction;
import dev.odec.runtime.MemoryBudget;
import dev.odec.solve.Solution;
import java.util.Arrays;

/**
 * Forward sensitivities: the system of size n(1 + K) for S_k = ∂x/∂p_k,
 *
 * <pre>
 *   x' = F(t, x, p),   S_k' = (∂F/∂x) S_k + ∂F/∂p_k,   S_k(t0) = ∂x0/∂p_k,
 * </pre>
 *
 * solved together with error control on every component, so the sensitivities are as accurate
 * as the states. Then dL/dp_k = Σ_i (∂ℓ_i/∂x)·S_k(t_i) + ∂ℓ_i/∂p_k. With the time gradients,
 * one more column S_t0 (S_t0(t0) = −F(t0, x0), no forcing) gives dL/dt0. Gradients are
 * computed for the params (not the consts).
 */
public final class ForwardSensitivity implements GradientMethod {
  private final boolean withTime;

  public ForwardSensitivity(boolean withTime) {
    this.withTime = withTime;
  }

  @Override
  public String name() {
    return "forward";
  }

  /**
   * Vectors of the augmented system a solve keeps besides the stored outputs: the stages and
   * dense-output coefficients of the largest method (DOP853: 12 stages, 8 interpolation
   * vectors) and the solver's own work vectors.
   */
  private static final int WORK_VECTORS = 30;

  /**
   * Refuses the sensitivity system before generating it when it would not fit: {@code cols}
   * tangent copies of the forward graph (about two nodes per node), and states of length
   * {@code size} held in the solver's work vectors and at every output time.
   */
  private static void checkSize(GradientProblem pr, long size, int cols) {
    GradientModel m = pr.model;
    long outputs = 0;
    for (GradientProblem.Experiment e : pr.experiments) outputs = Math.max(outputs, pr.outputTimes(e).length);
    long nodes = MemoryBudget.product(cols, 2L * m.forwardFunction.schedule().size());
    long bytes = MemoryBudget.product(nodes, MemoryBudget.BYTES_PER_NODE)
        + MemoryBudget.product(size, Double.BYTES, WORK_VECTORS + outputs);
    if (size > Integer.MAX_VALUE - 8) bytes = Long.MAX_VALUE;
    MemoryBudget.require(bytes, String.format(java.util.Locale.ROOT,
        "forward sensitivities of %,d parameter components (an augmented system of %,d states and about %,d "
            + "generated nodes)", cols, size, nodes),
        "use --method checkpoint, whose memory does not grow with the number of parameters");
  }

  @Override
  public GradientResult compute(GradientProblem pr) {
    GradientModel m = pr.model;
    int nx = m.nx;
    int np = m.np;
    int k = m.nParams;
    int cols = k + (withTime ? 1 : 0);
    long size = (long) nx * (1 + cols);
    checkSize(pr, size, cols);
    CompiledFunction sens = m.sensitivity(withTime);
    GradientResult r = new GradientResult(np);
    r.method = name();

    for (GradientProblem.Experiment e : pr.experiments) {
      double[] p = e.p;
      double[] x0 = pr.initialState(p);
      double[] z0 = new double[(int) size];
      System.arraycopy(x0, 0, z0, 0, nx);
      if (k > 0 && m.sensitivityInitial() != null) {
        double[] s0 = new double[nx * k];
        m.sensitivityInitial().eval(pr.t0, new double[(int) size], p, s0);
        System.arraycopy(s0, 0, z0, nx, nx * k);
      }
      if (withTime) {
        double[] f0 = ContinuousAdjoint.dynamics(pr, x0, p);
        for (int i = 0; i < nx; i++) z0[nx * (1 + k) + i] = -f0[i];
      }
      double[] outT = pr.outputTimes(e);
      Solution sol = pr.integrator((int) size, m.sensitivityJacobian(p))
          .solve(new dev.odec.runtime.BoundFunction(sens, (int) size, p), pr.t0, z0, outT, pr.options, null);
      r.nfeForward += sol.stats.nfe;
      double[] grad = new double[np];
      double[] dx = new double[nx];
      double[] dt = new double[1];
      double[] timeGrads = new double[e.times.length];
      double dt0 = 0;
      for (int i = 0; i < e.times.length; i++) {
        double[] z = GradientProblem.stateAt(e.times[i], pr.t0, z0, outT, sol.states);
        Arrays.fill(dx, 0.0);
        r.objective += pr.termsAt(e, i, z, dx, grad, dt);
        timeGrads[i] = pr.timeGradient(e.times[i], z, p, dx, dt[0]);
        for (int c = 0; c < cols; c++) {
          double s = 0;
          for (int j = 0; j < m.n; j++) s += dx[j] * z[nx * (1 + c) + j];
          if (c < k) grad[c] += s;
          else dt0 += s;
        }
      }
      double[] z1 = GradientProblem.stateAt(pr.t1, pr.t0, z0, outT, sol.states);
      r.objective += pr.integralTerm(z1);
      if (m.hasRates) {
        for (int c = 0; c < cols; c++) {
          double s = z1[nx * (1 + c) + nx - 1];
          if (c < k) grad[c] += s;
          else dt0 += s;
        }
      }
      r.dt0 += dt0;
      r.dt1 += pr.gradT1(Arrays.copyOf(z1, nx), p);
      r.timeGradients.add(timeGrads);
      GradientProblem.accumulate(e, grad, r.gradient);
    }
    return r;
  }
}
