package dev.odec.runtime;

import dev.odec.ir.OdeSystem;
import dev.odec.solve.BatchRk;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.Stats;
import java.util.Arrays;

/**
 * An ensemble solved in batches ({@code --backend nd4j}): every member at once by {@link BatchRk},
 * each with its own step-size control, the right-hand side evaluated for all running members in
 * one call of the batched backend (the members' parameters gathered row by row, or passed once
 * when they are all equal). Members that finish or fail drop out of the batch; a failure is
 * recorded, never thrown. Explicit methods only (auto is tsit5) and smooth models only: the
 * batched solver has neither an implicit method nor events.
 */
public final class BatchEnsemble implements EnsembleRunner {
  private final OdeSystem sys;
  private final Method method;
  private final String backend;

  /**
   * @param method the solver; null for auto
   * @param backend the --backend name whose batched form evaluates the rows
   */
  public BatchEnsemble(OdeSystem sys, Method method, String backend) {
    if (!sys.hybrid().isEmpty()) {
      throw InputError.usage("--backend " + backend + " solves smooth models only; " + sys.name() + " has events or "
          + "switches (if, comparisons, min, max, abs, relu, ...): use --backend jvm");
    }
    Method m = method == null ? Method.TSIT5 : method;
    if (!BatchRk.supports(m)) {
      throw InputError.usage("--backend " + backend + " runs the explicit solvers euler, midpoint, rk4, bs3, dopri5 and "
          + "tsit5, not " + m.text + "; use --backend jvm for it");
    }
    this.sys = sys;
    this.method = m;
    this.backend = backend;
  }

  /** The method the batch runs (auto resolved). */
  public Method method() {
    return method;
  }

  @Override
  public EnsembleSolution solve(Ensemble e, double t0, double[] saveat, SolverOptions o, int repeat) {
    int n = sys.stateSize();
    int members = e.size();
    EnsembleSolution.checkSize(members, saveat.length, n);
    Backends.checkBatchFits(members, BatchRk.bytesPerMember(method, n, saveat.length) + 8L * sys.paramSize(),
        sys.rhs(), "the ensemble");
    BatchRhs rhs = new BatchRhs(Backends.batch(backend).compileBatch(sys.rhs()), n, e.p());
    double[][] y0 = e.y0().toArray(new double[0][]);
    BatchRk rk = new BatchRk(method, n);
    double[] ms = new double[Math.max(1, repeat)];
    BatchRk.Result r = null;
    for (int rep = repeat > 0 ? -1 : 0; rep < Math.max(1, repeat); rep++) {
      long start = System.nanoTime();
      r = rk.solve(rhs, t0, y0, saveat, o);
      if (rep >= 0) ms[rep] = (System.nanoTime() - start) / 1e6;
    }
    double[] states = new double[members * saveat.length * n];
    Stats[] stats = new Stats[members];
    for (int m = 0; m < members; m++) {
      int base = m * saveat.length * n;
      if (r.failures()[m] != null) {
        Arrays.fill(states, base, base + saveat.length * n, Double.NaN);
        stats[m] = new Stats();
        continue;
      }
      double[][] rows = r.solutions()[m].states;
      for (int j = 0; j < saveat.length; j++) System.arraycopy(rows[j], 0, states, base + j * n, n);
      stats[m] = r.solutions()[m].stats;
    }
    Arrays.sort(ms);
    double median = ms.length % 2 == 1 ? ms[ms.length / 2] : 0.5 * (ms[ms.length / 2 - 1] + ms[ms.length / 2]);
    return new EnsembleSolution(saveat.clone(), states, n, stats, r.failures().clone(), median, median, 1);
  }
}
