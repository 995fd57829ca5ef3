package dev.odec.sens;

import dev.odec.codegen.CompiledFunction;
import dev.odec.runtime.MemoryBudget;
import dev.odec.solve.HybridSolver;
import dev.odec.solve.Solution;
import dev.odec.infer.DataSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 * computed for the params (not the consts). At events and switches the sensitivities jump as
 * {@link JumpGradients} says.
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

  @Override
  public GradientResult compute(GradientProblem pr) {
    GradientModel m = pr.model;
    int nx = m.nx;
    int np = m.np;
    int k = m.nParams;
    int cols = k + (withTime ? 1 : 0);
    CompiledFunction sens = sensitivity(pr, cols);
    GradientResult r = new GradientResult(np);
    r.method = name();

    int modeOffset = m.system().hybrid().modeOffset();
    for (GradientProblem.Experiment e : pr.experiments) {
      Trajectory tr = solve(pr, e, sens, cols);
      double[] p = tr.p;
      double[] z0 = tr.z0;
      double[] outT = tr.outT;
      Solution sol = tr.sol;
      r.nfeForward += sol.stats.nfe;
      r.forwardWork.add(sol.stats);
      Boundaries b = Boundaries.of(sol);
      double[] grad = new double[np];
      double[] dx = new double[nx];
      double[] dt = new double[1];
      double[] timeGrads = new double[e.times.length];
      double dt0 = 0;
      for (int i = 0; i < e.times.length; i++) {
        double[] z = GradientProblem.stateAt(e.times[i], pr.t0, z0, outT, sol.states);
        Arrays.fill(dx, 0.0);
        r.objective += pr.termsAt(e, i, z, dx, grad, dt);
        b.setModes(e.times[i], p, modeOffset);
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
      b.setModes(pr.t1, p, modeOffset);
      r.dt1 += pr.gradT1(Arrays.copyOf(z1, nx), p);
      r.timeGradients.add(timeGrads);
      GradientProblem.accumulate(e, grad, r.gradient);
    }
    return r;
  }

  /**
   * Vectors of the augmented system a solve keeps besides the stored outputs: the stages and
   * dense-output coefficients of the largest method (DOP853: 12 stages, 8 interpolation
   * vectors) and the solver's own work vectors.
   */
  private static final int WORK_VECTORS = 30;

  /**
   * The compiled sensitivity system, refused before it is generated when it would not fit:
   * {@code cols} tangent copies of the forward graph (about two nodes per node), and states of
   * length nx(1 + cols) held in the solver's work vectors and at every output time.
   */
  private CompiledFunction sensitivity(GradientProblem pr, int cols) {
    GradientModel m = pr.model;
    long size = (long) m.nx * (1 + cols);
    long outputs = 0;
    for (GradientProblem.Experiment e : pr.experiments) outputs = Math.max(outputs, pr.outputTimes(e).length);
    long nodes = MemoryBudget.product(cols, 2L * m.forwardFunction.schedule().size());
    long bytes = size > Integer.MAX_VALUE - 8 ? Long.MAX_VALUE : MemoryBudget.product(nodes, MemoryBudget.BYTES_PER_NODE)
        + MemoryBudget.product(size, Double.BYTES, WORK_VECTORS + outputs);
    MemoryBudget.require(bytes, String.format(java.util.Locale.ROOT,
        "forward sensitivities of %,d parameter components (an augmented system of %,d states and about %,d "
            + "generated nodes)", cols, size, nodes),
        "use an adjoint, whose memory does not grow with the number of parameters: --method checkpoint (fit: "
            + "--optimizer lbfgs --method checkpoint)");
    return m.sensitivity(withTime);
  }

  /**
   * The augmented solution of one experiment: its initial value, the rows at outT, and the
   * parameter vector it was solved with (its own copy: the solve sets the modes in it).
   */
  private record Trajectory(double[] z0, double[] outT, Solution sol, double[] p) {}

  /** Solves [x, S_1..S_cols] for one experiment from x0(p), S_k(t0) = ∂x0/∂p_k (and −F for t0). */
  private Trajectory solve(GradientProblem pr, GradientProblem.Experiment e, CompiledFunction sens, int cols) {
    GradientModel m = pr.model;
    int nx = m.nx;
    int k = m.nParams;
    int size = nx * (1 + cols);
    double[] p = e.p.clone();
    double[] x0 = pr.initialState(e, p);
    double[] z0 = new double[size];
    System.arraycopy(x0, 0, z0, 0, nx);
    if (k > 0 && e.preequilibration != null) {
      double[][] s0 = pr.initialSensitivity(e, p, k);
      for (int c = 0; c < k; c++) System.arraycopy(s0[c], 0, z0, nx * (1 + c), nx);
    } else if (k > 0 && m.sensitivityInitial() != null) {
      double[] s0 = new double[nx * k];
      m.sensitivityInitial().eval(pr.t0, new double[size], p, s0);
      System.arraycopy(s0, 0, z0, nx, nx * k);
    }
    if (cols > k) {
      pr.startModes(p, x0);
      double[] f0 = ContinuousAdjoint.dynamics(pr, x0, p);
      for (int i = 0; i < nx; i++) z0[nx * (1 + k) + i] = -f0[i];
    }
    double[] outT = pr.outputTimes(e);
    HybridSolver.JumpHook hook = m.hybrid == null ? null : new JumpGradients(m).forwardHook(p, k, cols > k);
    Solution sol = pr.solver(size, m.sensitivityJacobian(p)).solve(new dev.odec.runtime.BoundFunction(sens, size, p),
        p, pr.t0, z0, outT, pr.options, null, hook, null);
    return new Trajectory(z0, outT, sol, p);
  }

  // ---- the entry point of least-squares fitting (infer/optim) ----

  /**
   * One observation with its distribution's arguments at the solution, a (mean or log-scale
   * mean) and b (the scale; NaN for a one-argument distribution), and their total derivatives
   * with respect to the param components k = 1..K: da/dp_k = (∂a/∂x)·S_k(t) + ∂a/∂p_k.
   *
   * @param experiment the index into {@code problem.experiments}
   */
  public record ObservedArgument(int experiment, DataSet.Observation observation, String dist, double a, double b,
      double[] da, double[] db) {}

  /** Every observation's arguments, in experiment then time order, and the sensitivity solves' work. */
  public record ObservedArguments(List<ObservedArgument> items, long nfe) {}

  /**
   * For least squares: every observation's distribution arguments and their derivatives with
   * respect to the params, from one forward-sensitivity solve per experiment (the residuals and
   * their Jacobian follow from these). Entries a conditions file overrides for an experiment get
   * zero derivatives there, as in {@link #compute}. Rate events are not included.
   */
  public ObservedArguments observedArguments(GradientProblem pr) {
    GradientModel m = pr.model;
    int nx = m.nx;
    int k = m.nParams;
    int cols = k + (withTime ? 1 : 0);
    CompiledFunction sens = sensitivity(pr, cols);
    List<ObservedArgument> out = new ArrayList<>();
    long nfe = 0;
    double[] args = new double[Math.max(1, m.argsLength)];
    double[] vjpIn = new double[m.n + m.argsLength];
    double[] vjpOut = new double[m.n + m.np + 1];
    for (int ei = 0; ei < pr.experiments.size(); ei++) {
      GradientProblem.Experiment e = pr.experiments.get(ei);
      Trajectory tr = solve(pr, e, sens, cols);
      nfe += tr.sol.stats.nfe;
      for (int i = 0; i < e.times.length; i++) {
        List<DataSet.Observation> obs = e.observations.get(i);
        if (obs.isEmpty()) continue;
        double t = e.times[i];
        double[] z = GradientProblem.stateAt(t, pr.t0, tr.z0, tr.outT, tr.sol.states);
        m.observationArgs.eval(t, z, e.p, args);
        System.arraycopy(z, 0, vjpIn, 0, m.n);
        for (DataSet.Observation o : obs) {
          double[][] d = new double[2][];
          double[] v = {Double.NaN, Double.NaN};
          for (int j = 0; j < 2; j++) {
            int ai = pr.argumentIndex(o, j);
            if (ai < 0) continue;
            if (j == 1 && o.hasNoise()) {
              v[j] = o.noise(); // given by the data: no derivative
              d[j] = new double[k];
              continue;
            }
            v[j] = args[ai];
            // the derivative of this argument alone, through its observable's own product
            int term = pr.observableIndex(o);
            Arrays.fill(vjpIn, m.n, vjpIn.length, 0.0);
            vjpIn[m.n + ai - m.termOffset[term]] = 1.0;
            m.termVjp(term).eval(t, vjpIn, e.p, vjpOut);
            double[] total = new double[k];
            for (int c = 0; c < k; c++) {
              if (e.overridden[c]) continue;
              double s = vjpOut[m.n + c];
              for (int q = 0; q < m.n; q++) s += vjpOut[q] * z[nx * (1 + c) + q];
              total[c] = s;
            }
            d[j] = total;
          }
          out.add(new ObservedArgument(ei, o, pr.observable(o).dist(), v[0], v[1], d[0], d[1]));
        }
      }
    }
    return new ObservedArguments(out, nfe);
  }
}
