package dev.odec.api;

import dev.odec.ir.OdeSystem;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.LazyJacobian;
import dev.odec.runtime.MemoryBudget;
import dev.odec.solve.HybridSolver;
import dev.odec.solve.Integrator;
import dev.odec.solve.Method;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.SteadyState;
import java.util.List;

/**
 * Solves one model with fixed settings, many times, on one thread: it holds its own instances of
 * the compiled functions (scratch space) and of the integrator, so repeated solves set nothing up
 * again. Not thread-safe: give each thread its own ({@link Model#simulator}), or call
 * {@link Model#solve}, which makes one per call. Every simulator of a model runs the same
 * generated code, so results do not depend on which one (or which thread) computed them.
 */
public final class Simulator {
  private final Model model;
  private final OdeSystem sys;
  private final SolverSettings settings;
  private final Method method;
  private final SolverOptions options;
  private final CompiledModel cm;
  /** The parameter vector every compiled function here is bound to, filled per solve. */
  private final double[] p;
  private final OdeFunction f;
  private final HybridSolver solver;

  Simulator(Model model, SolverSettings settings) {
    this.model = model;
    this.sys = model.system();
    this.settings = settings;
    this.method = settings.method();
    this.options = settings.options(sys, true);
    this.cm = model.compiled();
    this.p = new double[sys.paramSize()];
    this.f = cm.rhs(p);
    int n = sys.stateSize();
    this.solver = new HybridSolver(Integrator.of(method, n, new LazyJacobian(() -> cm.jacobian(p))), cm.hybrid(), n);
  }

  /** The settings it solves with. */
  public SolverSettings settings() {
    return settings;
  }

  /**
   * Solves from {@code t0} (the initial state from the model's expressions) through every event
   * and switch, giving the state at each output time.
   *
   * @param times output times, from t0 onwards (ascending; descending solves backwards)
   * @throws InvalidInputException for times that are not finite or out of order, an initial
   *     value that is not finite, or a trajectory too large for half the heap
   * @throws SolverException when the solve cannot finish
   */
  public Trajectory solve(ParameterValues values, double t0, double[] times) {
    model.check(values);
    double[] ts = checkedTimes(t0, times);
    return Errors.guard(sys, () -> {
      MemoryBudget.checkSolution(1, ts.length, sys.stateSize());
      load(values);
      double[] y0 = cm.initialState(p);
      dev.odec.solve.Peaks peaks = new dev.odec.solve.Peaks(y0);
      Solution sol = solver.solve(f, p, t0, y0, ts, options, peaks, null, null);
      double[] atolV = options.atolPerState;
      if (atolV == null) {
        atolV = new double[y0.length];
        java.util.Arrays.fill(atolV, options.atol);
      }
      String unresolved = dev.odec.solve.AtolAdvice.unresolvedWarning(sys.stateComponentNames(), peaks.peak(), atolV,
          dev.odec.infer.Decimals::shortest);
      return new Trajectory(model, values, t0, ts, sol.states, SolverStats.of(sol.stats),
          unresolved == null ? List.of() : List.of(unresolved));
    });
  }

  /**
   * The steady state the model settles to from its initial state, with the dynamics (and the
   * modes of switches) at {@code t0}.
   *
   * @throws SolverException ({@link SolverException.Reason#NO_STEADY_STATE}) when none is found
   */
  public SteadyStateResult steadyState(ParameterValues values, double t0) {
    model.check(values);
    if (!Double.isFinite(t0)) throw Errors.usage("--t0 and --t1 must be finite numbers");
    return Errors.guard(sys, () -> {
      load(values);
      double[] y0 = cm.initialState(p);
      if (cm.hybrid() != null) {
        double[] modes = new double[cm.hybrid().modeCount()];
        cm.hybrid().rawModes(t0, y0, p, modes);
        System.arraycopy(modes, 0, p, cm.hybrid().modeOffset(), modes.length);
      }
      var jac = cm.jacobian(p);
      SteadyState ss = new SteadyState(f, jac, t0, options);
      SteadyState.Result r = ss.find(y0, Integrator.of(method, y0.length, jac), options);
      return new SteadyStateResult(model, values, t0, r.x(), r.byNewton(), r.residual(), r.nfe());
    });
  }

  private void load(ParameterValues values) {
    double[] v = values.vector();
    System.arraycopy(v, 0, p, 0, p.length);
  }

  private static double[] checkedTimes(double t0, double[] times) {
    if (!Double.isFinite(t0)) throw Errors.usage("--t0 and --t1 must be finite numbers");
    if (times.length == 0) throw Errors.usage("no output times: give at least one");
    double[] ts = times.clone();
    double dir = Math.signum(ts[ts.length - 1] - t0);
    double prev = t0;
    for (int i = 0; i < ts.length; i++) {
      if (!Double.isFinite(ts[i]) || (ts[i] - prev) * dir < 0 || (dir == 0 && ts[i] != t0)) {
        throw Errors.usage("output time " + ts[i] + " (number " + (i + 1) + ") is out of order: output times run from "
            + "the start time " + t0 + " to the last one, " + (dir >= 0 ? "ascending" : "descending"));
      }
      prev = ts[i];
    }
    return ts;
  }
}
