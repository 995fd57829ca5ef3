package dev.odec.sens;

import dev.odec.solve.ExplicitRk;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.StepObserver;
import java.util.Arrays;

/**
 * The sweep both continuous adjoints share: a forward solve that keeps the states at the
 * measurement times, then a backward integration of an adjoint state holding λ = dL/dx and
 * μ = ∫ λᵀ ∂F/∂p dt in chunks between consecutive measurement times, with λ jumping by
 * ∂ℓ_k/∂x at each and the direct ∂ℓ_k/∂p added to the gradient. At t0,
 * dL/dp = μ(t0) + (∂x0/∂p)ᵀ λ(t0) + the direct terms and dL/dt0 = −λ(t0)ᵀ F(t0, x0). The rate
 * integral q enters through λ_q ≡ 1. Subclasses say what else the backward state holds and how
 * its right-hand side gets x(t).
 */
abstract class ContinuousAdjoint implements GradientMethod {
  /** Values kept from the forward pass by the last run (a memory measure). */
  long storedValues;

  /** Length of the backward state. */
  abstract int backwardSize(GradientModel m);

  /** Where λ starts in the backward state (μ follows it). */
  abstract int lambdaOffset(GradientModel m);

  /** What the forward solve must record for the backward pass, or null. */
  abstract StepObserver recorder(GradientModel m, double[] x0, GradientProblem pr);

  /** The backward right-hand side. */
  abstract OdeFunction backward(GradientModel m, StepObserver recorder, double[] p);

  /** Called before each backward chunk with the forward state at its start. */
  void beforeChunk(double[] s, double[] xForward) {}

  @Override
  public GradientResult compute(GradientProblem pr) {
    GradientModel m = pr.model;
    int nx = m.nx;
    int np = m.np;
    int lo = lambdaOffset(m);
    GradientResult r = new GradientResult(np);
    r.method = name();
    ExplicitRk fwd = new ExplicitRk(pr.method, nx);
    ExplicitRk back = new ExplicitRk(pr.method, backwardSize(m));
    storedValues = 0;
    SolverOptions chunkOptions = pr.options.copy();
    for (GradientProblem.Experiment e : pr.experiments) {
      chunkOptions.initialStep = pr.options.initialStep;
      double[] p = e.p;
      double[] x0 = pr.initialState(p);
      double[] outT = pr.outputTimes(e);
      StepObserver rec = recorder(m, x0, pr);
      Solution sol = rec == null ? fwd.solve(pr.forward(p), pr.t0, x0, outT, pr.options)
          : fwd.solve(pr.forward(p), pr.t0, x0, outT, pr.options, rec);
      r.nfeForward += sol.stats.nfe;
      storedValues += (long) sol.states.length * nx;
      if (rec instanceof CheckpointedAdjoint.Trajectory traj) storedValues += traj.storedValues();
      double[] grad = new double[np];
      double[] s = new double[backwardSize(m)];
      double[] x1 = GradientProblem.stateAt(pr.t1, pr.t0, x0, outT, sol.states);
      if (m.hasRates) s[lo + nx - 1] = 1.0; // L contains q(t1)
      r.objective += pr.integralTerm(x1);
      double[] timeGrads = new double[e.times.length];
      double[] dx = new double[nx];
      double[] dt = new double[1];
      OdeFunction adj = backward(m, rec, p);
      double[] saveat = new double[1];
      int k = e.times.length - 1;
      double tCur = pr.t1;
      while (true) {
        double[] xCur = GradientProblem.stateAt(tCur, pr.t0, x0, outT, sol.states);
        if (k >= 0 && e.times[k] == tCur) {
          Arrays.fill(dx, 0.0);
          r.objective += pr.termsAt(e, k, xCur, dx, grad, dt);
          timeGrads[k] = pr.timeGradient(tCur, xCur, p, dx, dt[0]);
          for (int i = 0; i < nx; i++) s[lo + i] += dx[i];
          k--;
        }
        if (tCur == pr.t0) break;
        double tNext = k >= 0 ? Math.max(e.times[k], pr.t0) : pr.t0;
        beforeChunk(s, xCur);
        saveat[0] = tNext;
        // carry the step size over the jump at the measurement time instead of selecting anew:
        // with many measurement times the restarts would cost more than the steps
        if (back.suggestedStep() > 0) chunkOptions.initialStep = back.suggestedStep();
        Solution b = back.solve(adj, tCur, s, saveat, chunkOptions);
        r.nfeBackward += b.stats.nfe;
        System.arraycopy(b.states[0], 0, s, 0, s.length);
        tCur = tNext;
      }
      double[] lambda0 = Arrays.copyOfRange(s, lo, lo + nx);
      for (int i = 0; i < np; i++) grad[i] += s[lo + nx + i];
      pr.addInitialVjp(lambda0, p, grad);
      r.dt0 += -dot(lambda0, dynamics(pr, x0, p));
      r.dt1 += pr.gradT1(x1, p);
      r.timeGradients.add(timeGrads);
      GradientProblem.accumulate(e, grad, r.gradient);
    }
    return r;
  }

  static double[] dynamics(GradientProblem pr, double[] x0, double[] p) {
    double[] f = new double[pr.model.nx];
    pr.dynamics(pr.t0, x0, p, f);
    return f;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
