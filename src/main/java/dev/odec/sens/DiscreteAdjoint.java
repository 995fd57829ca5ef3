package dev.odec.sens;

import dev.odec.solve.DenseOutput;
import dev.odec.solve.ExplicitRk;
import dev.odec.solve.Solution;
import dev.odec.solve.StepObserver;
import dev.odec.solve.Tableau;
import dev.odec.solve.Jump;
import java.util.Arrays;
import java.util.List;

/**
 * Differentiation through the solver's own steps (the discrete adjoint), the reference the
 * continuous methods are compared against. The forward pass solves chunk by chunk so that every
 * measurement time is a step end, and records each step (t_n, h_n, x_n). The backward pass
 * runs reverse mode through each Runge–Kutta step with its step size held fixed: for
 * x_{n+1} = x_n + h Σ b_i k_i, k_i = F(t_n + c_i h, X_i), X_i = x_n + h Σ_{j<i} a_ij k_j,
 *
 * <pre>
 *   k̄_i = h b_i x̄_{n+1} + h Σ_{j>i} a_ji X̄_j,   (X̄_i, p̄_i) = (∂F/∂x, ∂F/∂p)ᵀ k̄_i,
 *   x̄_n = x̄_{n+1} + Σ_i X̄_i,   p̄ += Σ_i p̄_i,
 * </pre>
 *
 * processing stages from last to first. Memory grows with the number of steps.
 */
public final class DiscreteAdjoint implements GradientMethod {
  @Override
  public String name() {
    return "discrete";
  }

  @Override
  public GradientResult compute(GradientProblem pr) {
    GradientModel m = pr.model;
    int nx = m.nx;
    int np = m.np;
    if (pr.method != null && pr.method.stiff) {
      throw dev.odec.runtime.InputError.usage("--method discrete differentiates through explicit Runge-Kutta steps, not "
          + pr.method.text + "; use --method forward or checkpoint with a stiff solver");
    }
    dev.odec.solve.Method method = pr.method == null ? dev.odec.solve.Method.TSIT5 : pr.method;
    Tableau tab = Tableau.of(method);
    int s = tab.stages;
    GradientResult r = new GradientResult(np);
    r.method = name();
    dev.odec.solve.Integrator rk = dev.odec.solve.Integrator.of(method, nx, null);
    double[][] k = new double[s][nx];
    double[][] xs = new double[s][nx];
    double[][] kbar = new double[s][nx];
    double[] vin = new double[2 * nx];
    double[] vout = new double[nx + np + 1];
    JumpGradients jumps = m.hybrid == null ? null : new JumpGradients(m);
    int modeOffset = m.system().hybrid().modeOffset();
    for (GradientProblem.Experiment e : pr.experiments) {
      double[] p = e.p.clone();
      double[] x0 = pr.initialState(e, p);
      double[] ends = pr.outputTimes(e);
      Steps steps = new Steps(nx);
      // every measurement time is the end of a segment, so that it is the end of a step
      Solution sol = new dev.odec.solve.HybridSolver(rk, m.hybrid, nx).solve(pr.forward(p), p, pr.t0, x0, ends,
          pr.options, steps, null, ends);
      r.nfeForward += sol.stats.nfe;
      r.forwardWork.add(sol.stats);
      Boundaries bounds = Boundaries.of(sol);
      double[] grad = new double[np];
      double[] xbar = new double[nx];
      double[] x1 = GradientProblem.stateAt(pr.t1, pr.t0, x0, ends, sol.states);
      if (m.hasRates) xbar[nx - 1] = 1.0;
      r.objective += pr.integralTerm(x1);
      double[] timeGrads = new double[e.times.length];
      double[] dx = new double[nx];
      double[] dt = new double[1];
      int ki = e.times.length - 1;
      for (int c = steps.chunks() - 1; c >= -1; c--) {
        // the end of chunk c (t1 for the last; the start of chunk c + 1 otherwise), and t0 before chunk 0
        double tc = c < 0 ? pr.t0 : c + 1 < steps.chunks() ? steps.chunkTime(c + 1) : pr.t1;
        if (ki >= 0 && e.times[ki] == tc) {
          double[] xc = GradientProblem.stateAt(tc, pr.t0, x0, ends, sol.states);
          Arrays.fill(dx, 0.0);
          r.objective += pr.termsAt(e, ki, xc, dx, grad, dt);
          bounds.setModes(tc, p, modeOffset);
          timeGrads[ki] = pr.timeGradient(tc, xc, p, dx, dt[0]);
          for (int i = 0; i < nx; i++) xbar[i] += dx[i];
          ki--;
        }
        List<Jump> here = bounds.at(tc);
        if (here != null) jumps.adjoint(here, p, xbar, grad);
        if (c < 0) break;
        bounds.setModes(steps.chunkTime(c), p, modeOffset);
        for (int st = steps.chunkEnd(c) - 1; st >= steps.chunkStart(c); st--) {
          double t = steps.t(st);
          double h = steps.h(st);
          double[] xn = steps.x(st);
          // recompute the stages
          for (int i = 0; i < s; i++) {
            double[] xi = xs[i];
            System.arraycopy(xn, 0, xi, 0, nx);
            for (int j = 0; j < i; j++) {
              double aij = tab.a[i][j];
              if (aij != 0) for (int q = 0; q < nx; q++) xi[q] += h * aij * k[j][q];
            }
            pr.dynamics(t + tab.c[i] * h, xi, p, k[i]);
          }
          r.nfeBackward += s;
          for (int i = 0; i < s; i++) {
            for (int q = 0; q < nx; q++) kbar[i][q] = h * tab.b[i] * xbar[q];
          }
          for (int i = s - 1; i >= 0; i--) {
            System.arraycopy(xs[i], 0, vin, 0, nx);
            System.arraycopy(kbar[i], 0, vin, nx, nx);
            m.vjpF.eval(t + tab.c[i] * h, vin, p, vout);
            r.nfeBackward++;
            for (int q = 0; q < nx; q++) xbar[q] += vout[q];
            for (int q = 0; q < np; q++) grad[q] += vout[nx + q];
            for (int j = 0; j < i; j++) {
              double aij = tab.a[i][j];
              if (aij != 0) for (int q = 0; q < nx; q++) kbar[j][q] += h * aij * vout[q];
            }
          }
        }
      }
      pr.addInitialVjp(e, xbar, p, grad);
      System.arraycopy(sol.initialModes, 0, p, modeOffset, sol.initialModes.length);
      r.dt0 += -ContinuousAdjoint.dot(xbar, ContinuousAdjoint.dynamics(pr, x0, p));
      bounds.setModes(pr.t1, p, modeOffset);
      r.dt1 += pr.gradT1(x1, p);
      r.timeGradients.add(timeGrads);
      GradientProblem.accumulate(e, grad, r.gradient);
    }
    return r;
  }

  /**
   * The accepted steps of the forward pass, grouped in chunks: one per smooth segment (a new one
   * starts at each measurement time and at each event or switch).
   */
  private static final class Steps implements StepObserver {
    private final int n;
    private double[] ts = new double[64];
    private double[] hs = new double[64];
    private double[] xs;
    private int count;
    private int[] chunkStarts = new int[16];
    private double[] chunkTimes = new double[16];
    private int chunks;

    Steps(int n) {
      this.n = n;
      this.xs = new double[64 * n];
    }

    @Override
    public void onRestart(double t, double[] y) {
      if (chunks + 2 > chunkStarts.length) {
        chunkStarts = Arrays.copyOf(chunkStarts, chunkStarts.length * 2);
        chunkTimes = Arrays.copyOf(chunkTimes, chunkTimes.length * 2);
      }
      chunkTimes[chunks] = t;
      chunkStarts[chunks++] = count;
      chunkStarts[chunks] = count;
    }

    @Override
    public void onStep(double tPrev, double tNew, DenseOutput dense) {
      if (chunks == 0) onRestart(tPrev, null);
      if (count == ts.length) {
        ts = Arrays.copyOf(ts, count * 2);
        hs = Arrays.copyOf(hs, count * 2);
        xs = Arrays.copyOf(xs, count * 2 * n);
      }
      ts[count] = tPrev;
      hs[count] = tNew - tPrev;
      double[] buf = new double[n];
      dense.interpolate(tPrev, buf);
      System.arraycopy(buf, 0, xs, count * n, n);
      count++;
      chunkStarts[chunks] = count;
    }

    int chunks() {
      return chunks;
    }

    /** The time chunk c starts at. */
    double chunkTime(int c) {
      return chunkTimes[c];
    }

    int chunkStart(int c) {
      return chunkStarts[c];
    }

    int chunkEnd(int c) {
      return chunkStarts[c + 1];
    }

    double t(int i) {
      return ts[i];
    }

    double h(int i) {
      return hs[i];
    }

    double[] x(int i) {
      return Arrays.copyOfRange(xs, i * n, (i + 1) * n);
    }
  }
}
