package dev.odec.runtime;

import dev.odec.solve.HybridSolver;
import dev.odec.solve.Integrator;
import dev.odec.solve.Method;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.Stats;
import java.util.Arrays;

/**
 * An ensemble on the JVM: the members solved one after another by one {@link HybridSolver} (so
 * through the model's events and switches), each with its own step-size control, reusing the compiled model and the solver's work arrays (the
 * parameter vector the compiled functions see is overwritten member by member). The batched ND4J
 * backend will be another {@link EnsembleRunner}.
 */
public final class JvmEnsemble implements EnsembleRunner {
  private final CompiledModel cm;
  private final Method method;

  /** @param method the solver; null for auto */
  public JvmEnsemble(CompiledModel cm, Method method) {
    this.cm = cm;
    this.method = method;
  }

  @Override
  public EnsembleSolution solve(Ensemble e, double t0, double[] saveat, SolverOptions o, int repeat) {
    int n = cm.system().stateSize();
    EnsembleSolution.checkSize(e.size(), saveat.length, n);
    double[] p = new double[cm.system().paramSize()];
    HybridSolver integrator = new HybridSolver(Integrator.of(method, n, new LazyJacobian(() -> cm.jacobian(p))),
        cm.hybrid(), n);
    OdeFunction f = cm.rhs(p);
    int members = e.size();
    double[] states = new double[members * saveat.length * n];
    Stats[] stats = new Stats[members];
    SolverFailure[] failures = new SolverFailure[members];
    double[] ms = new double[Math.max(1, repeat)];
    for (int rep = repeat > 0 ? -1 : 0; rep < Math.max(1, repeat); rep++) {
      long start = System.nanoTime();
      for (int m = 0; m < members; m++) {
        System.arraycopy(e.p().get(m), 0, p, 0, p.length);
        int base = m * saveat.length * n;
        try {
          Solution sol = integrator.solve(f, p, t0, e.y0().get(m), saveat, o, null, null, null);
          for (int j = 0; j < saveat.length; j++) System.arraycopy(sol.states[j], 0, states, base + j * n, n);
          stats[m] = sol.stats;
          failures[m] = null;
        } catch (SolverFailure failure) {
          Arrays.fill(states, base, base + saveat.length * n, Double.NaN);
          stats[m] = new Stats();
          failures[m] = failure;
        }
      }
      if (rep >= 0) ms[rep] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    double median = ms.length % 2 == 1 ? ms[ms.length / 2] : 0.5 * (ms[ms.length / 2 - 1] + ms[ms.length / 2]);
    return new EnsembleSolution(saveat.clone(), states, n, stats, failures, median, median, 1);
  }
}
