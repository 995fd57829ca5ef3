package dev.odec.sens;

import dev.odec.solve.ExplicitRk;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.Solution;

/**
 * The backsolve adjoint of Chen et al. (Neural ODEs, Algorithm 1), generalised to many
 * measurement times: after a forward solve that keeps only the states at the measurement
 * times, the augmented state s = [x, λ, μ] with λ = dL/dx is integrated backwards,
 *
 * <pre>
 *   x' = F(t, x, p),   λ' = −(∂F/∂x)ᵀ λ,   μ' = −(∂F/∂p)ᵀ λ,
 * </pre>
 *
 * in chunks between consecutive measurement times; at each one λ jumps by ∂ℓ_k/∂x and the
 * gradient gets ∂ℓ_k/∂p directly, and x restarts from the forward value there (which keeps a
 * backward integration of x from drifting; the memory stays proportional to the number of
 * measurement times, independent of the number of steps). At t0,
 * dL/dp = μ(t0) + (∂x0/∂p)ᵀ λ(t0) + the direct terms, and dL/dt0 = −λ(t0)ᵀ F(t0, x0) (the closed
 * form of Algorithm 1's time component). The rate integral q enters through λ_q ≡ 1.
 */
public final class BacksolveAdjoint implements GradientMethod {
  /** Values stored by the last run: states kept from the forward solve (a memory measure). */
  long storedValues;

  @Override
  public String name() {
    return "adjoint";
  }

  @Override
  public GradientResult compute(GradientProblem pr) {
    GradientModel m = pr.model;
    int nx = m.nx;
    int np = m.np;
    GradientResult r = new GradientResult(np);
    r.method = name();
    ExplicitRk fwd = new ExplicitRk(pr.method, nx);
    ExplicitRk back = new ExplicitRk(pr.method, 2 * nx + np);
    storedValues = 0;
    for (GradientProblem.Experiment e : pr.experiments) {
      double[] p = e.p;
      double[] x0 = pr.initialState(p);
      double[] outT = pr.outputTimes(e);
      Solution sol = fwd.solve(pr.forward(p), pr.t0, x0, outT, pr.options);
      r.nfeForward += sol.stats.nfe;
      storedValues += (long) sol.states.length * nx;
      double[] grad = new double[np];
      double[] s = new double[2 * nx + np];
      double[] x1 = GradientProblem.stateAt(pr.t1, pr.t0, x0, outT, sol.states);
      if (m.hasRates) s[nx + nx - 1] = 1.0; // λ_q: L contains q(t1)
      r.objective += pr.integralTerm(x1);
      double[] timeGrads = new double[e.times.length];
      double[] dx = new double[nx];
      double[] dt = new double[1];
      OdeFunction adj = new GradientProblem.CompiledFunctionOde(m.adjoint, 2 * nx + np, p);
      double[] saveat = new double[1];
      int k = e.times.length - 1;
      double tCur = pr.t1;
      while (true) {
        double[] xCur = GradientProblem.stateAt(tCur, pr.t0, x0, outT, sol.states);
        if (k >= 0 && e.times[k] == tCur) {
          java.util.Arrays.fill(dx, 0.0);
          r.objective += pr.termsAt(e, k, xCur, dx, grad, dt);
          timeGrads[k] = pr.timeGradient(tCur, xCur, p, dx, dt[0]);
          for (int i = 0; i < nx; i++) s[nx + i] += dx[i];
          k--;
        }
        if (tCur == pr.t0) break;
        double tNext = k >= 0 ? Math.max(e.times[k], pr.t0) : pr.t0;
        System.arraycopy(xCur, 0, s, 0, nx);
        saveat[0] = tNext;
        Solution b = back.solve(adj, tCur, s, saveat, pr.options);
        r.nfeBackward += b.stats.nfe;
        System.arraycopy(b.states[0], 0, s, 0, s.length);
        tCur = tNext;
      }
      double[] lambda0 = java.util.Arrays.copyOfRange(s, nx, 2 * nx);
      for (int i = 0; i < np; i++) grad[i] += s[2 * nx + i];
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
