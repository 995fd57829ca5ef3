package dev.odec.sens;

import dev.odec.solve.Integrator;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.StepObserver;
import dev.odec.solve.Jump;
import java.util.Arrays;
import java.util.List;

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
  /** A tolerance so large that a component does not take part in the error test. */
  private static final double UNCONTROLLED = 1e300;

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

  /** The Jacobian of the backward system, for implicit methods. */
  abstract dev.odec.solve.OdeJacobian backwardJacobian(GradientModel m, StepObserver recorder, double[] p);

  /**
   * Whether μ takes part in the backward error test. When x is integrated backwards with λ (the
   * backsolve), the steps resolve everything μ's integrand λᵀ ∂F/∂p depends on, so μ is left out,
   * as CVODES does by default (controlling it would force tiny first steps: it starts at 0 with a
   * large derivative). When x comes from the forward trajectory (the interpolating adjoint), λ
   * alone can be smooth where x has a fast transient (a stiff model's start, a step input), and
   * steps chosen for λ would miss it in the quadrature: then μ is controlled too.
   */
  abstract boolean controlsQuadrature();

  /** Checks before the sweep; the backsolve refuses what it cannot do reliably. */
  void check(GradientProblem pr) {}

  /** Checks after the forward solve (e.g. whether it had to switch to a stiff method). */
  void afterForward(GradientProblem pr, Solution forward) {}

  /**
   * Called before each backward chunk (from tCur down to tNext) with the forward state at its
   * start.
   */
  void beforeChunk(double[] s, double[] xForward, double tNext, double tCur) {}

  @Override
  public GradientResult compute(GradientProblem pr) {
    GradientModel m = pr.model;
    int nx = m.nx;
    int np = m.np;
    int lo = lambdaOffset(m);
    GradientResult r = new GradientResult(np);
    r.method = name();
    check(pr);
    storedValues = 0;
    SolverOptions chunkOptions = pr.options.copy();
    // μ is a pure quadrature (it feeds nothing back); see controlsQuadrature
    int size = backwardSize(m);
    chunkOptions.rtolPerState = new double[size];
    chunkOptions.atolPerState = new double[size];
    for (int i = 0; i < size; i++) {
      boolean free = i >= lo + nx && !controlsQuadrature();
      chunkOptions.rtolPerState[i] = free ? UNCONTROLLED : pr.options.rtol;
      chunkOptions.atolPerState[i] = free ? UNCONTROLLED : pr.options.atol;
    }
    JumpGradients jumps = m.hybrid == null ? null : new JumpGradients(m);
    int modeOffset = m.system().hybrid().modeOffset();
    for (GradientProblem.Experiment e : pr.experiments) {
      chunkOptions.initialStep = pr.options.initialStep;
      double[] p = e.p.clone();
      double[] x0 = pr.initialState(e, p);
      double[] outT = pr.outputTimes(e);
      StepObserver rec = recorder(m, x0, pr);
      Solution sol = pr.solver(nx, m.forwardJacobian(p)).solve(pr.forward(p), p, pr.t0, x0, outT, pr.options, rec,
          null, null);
      r.nfeForward += sol.stats.nfe;
      r.forwardWork.add(sol.stats);
      afterForward(pr, sol);
      Boundaries bounds = Boundaries.of(sol);
      double nextStep = 0;
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
      double[] lambda = new double[nx];
      // each chunk is solved in local time τ = t − t_k: right after a jump of λ the fast modes
      // can need first steps far below the spacing of doubles near t_k (1.8e-12 at t = 1e4)
      Shift adj = new Shift(backward(m, rec, p), backwardJacobian(m, rec, p));
      Integrator back = pr.integrator(backwardSize(m), adj.jacobian);
      double[] saveat = new double[1];
      // chunks end at measurement times and at the times of events and switches
      double[] stops = bounds.withTimes(outT, pr.t0, pr.t1);
      int k = e.times.length - 1;
      for (int c = stops.length - 1; ; c--) {
        double tCur = stops[c];
        List<Jump> here = bounds.at(tCur);
        double[] xCur = Arrays.binarySearch(outT, tCur) >= 0 || here == null
            ? GradientProblem.stateAt(tCur, pr.t0, x0, outT, sol.states)
            : Arrays.copyOf(here.get(here.size() - 1).yAfter(), nx);
        if (k >= 0 && e.times[k] == tCur) {
          Arrays.fill(dx, 0.0);
          r.objective += pr.termsAt(e, k, xCur, dx, grad, dt);
          bounds.setModes(tCur, p, modeOffset);
          timeGrads[k] = pr.timeGradient(tCur, xCur, p, dx, dt[0]);
          for (int i = 0; i < nx; i++) s[lo + i] += dx[i];
          k--;
        }
        if (here != null) {
          // λ across what happened at tCur; the state before it is where the backward chunk starts
          System.arraycopy(s, lo, lambda, 0, nx);
          jumps.adjoint(here, p, lambda, grad);
          System.arraycopy(lambda, 0, s, lo, nx);
          // (the rate integral q is read by nothing, so the value it restarts with does not matter)
          xCur = Arrays.copyOf(here.get(0).yBefore(), nx);
          nextStep = 0; // the dynamics change here: select the first step anew
        }
        if (c == 0) break;
        double tNext = stops[c - 1];
        // the modes of the segment (tNext, tCur)
        double[] modes = bounds.modesAfter(tNext);
        System.arraycopy(modes, 0, p, modeOffset, modes.length);
        beforeChunk(s, xCur, tNext, tCur);
        saveat[0] = tNext - tCur;
        adj.offset = tCur;
        // carry the step size over the jump at the measurement time instead of selecting anew:
        // with many measurement times the restarts would cost more than the steps
        chunkOptions.initialStep = nextStep > 0 ? nextStep : pr.options.initialStep;
        Solution b;
        try {
          b = back.solve(adj, 0.0, s, saveat, chunkOptions, null);
        } catch (dev.odec.solve.SolverFailure f) {
          throw inModelTime(f, tCur, m, lo);
        }
        r.nfeBackward += b.stats.nfe;
        nextStep = b.stats.nextStep;
        System.arraycopy(b.states[0], 0, s, 0, s.length);
      }
      double[] lambda0 = Arrays.copyOfRange(s, lo, lo + nx);
      for (int i = 0; i < np; i++) grad[i] += s[lo + nx + i];
      pr.addInitialVjp(e, lambda0, p, grad);
      System.arraycopy(sol.initialModes, 0, p, modeOffset, sol.initialModes.length);
      r.dt0 += -dot(lambda0, dynamics(pr, x0, p));
      bounds.setModes(pr.t1, p, modeOffset);
      r.dt1 += pr.gradT1(x1, p);
      r.timeGradients.add(timeGrads);
      GradientProblem.accumulate(e, grad, r.gradient);
    }
    return r;
  }

  /**
   * A failure of a backward chunk solved in local time τ = t − tStart, restated for the user: the
   * time it names becomes the model time tStart + τ, and a component of the backward state is
   * named for what it is (the state integrated backwards, the adjoint of a state, or the
   * gradient accumulated for a parameter).
   */
  dev.odec.solve.SolverFailure inModelTime(dev.odec.solve.SolverFailure f, double tStart, GradientModel m, int lo) {
    double t = tStart + f.time();
    String local = dev.odec.solve.SolverFailure.formatTime(f.time());
    String global = dev.odec.solve.SolverFailure.formatTime(t);
    String msg = f.getMessage().replace("t = " + local, "t = " + global);
    java.util.regex.Matcher mt = java.util.regex.Pattern.compile("(?:state )?component (\\d+)").matcher(msg);
    StringBuilder sb = new StringBuilder();
    java.util.List<String> states = m.system().stateComponentNames();
    java.util.List<String> params = new java.util.ArrayList<>();
    for (dev.odec.ir.OdeSystem.Var v : m.system().pVars()) params.addAll(v.componentNames());
    while (mt.find()) {
      int c = Integer.parseInt(mt.group(1)) - 1;
      String what;
      if (c < lo) what = c < states.size() ? "state '" + states.get(c) + "' (integrated backwards)" : "the rate integral";
      else if (c < lo + m.nx) what = "the adjoint of " + (c - lo < states.size() ? "state '" + states.get(c - lo) + "'"
          : "the rate integral");
      else what = "the gradient accumulated for '" + (c - lo - m.nx < params.size() ? params.get(c - lo - m.nx)
          : "a switch") + "'";
      mt.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(what));
    }
    mt.appendTail(sb);
    String advice = lo > 0 ? "; the backsolve adjoint integrates the state backwards, which amplifies its decaying "
        + "modes: --method checkpoint avoids that" : "";
    return new dev.odec.solve.SolverFailure(f.reason(), t, 0, sb + " (in the backward pass of the adjoint" + advice + ")");
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

  /** A backward right-hand side and its Jacobian in local time: t = offset + τ. */
  private static final class Shift implements OdeFunction {
    private final OdeFunction f;
    final dev.odec.solve.OdeJacobian jacobian;
    double offset;

    Shift(OdeFunction f, dev.odec.solve.OdeJacobian jac) {
      this.f = f;
      this.jacobian = new dev.odec.solve.OdeJacobian() {
        @Override
        public int[] rowStart() {
          return jac.rowStart();
        }

        @Override
        public int[] colIndex() {
          return jac.colIndex();
        }

        @Override
        public void eval(double tau, double[] y, double[] values) {
          jac.eval(offset + tau, y, values);
        }
      };
    }

    @Override
    public int dimension() {
      return f.dimension();
    }

    @Override
    public void eval(double tau, double[] y, double[] dydt) {
      f.eval(offset + tau, y, dydt);
    }
  }
}
