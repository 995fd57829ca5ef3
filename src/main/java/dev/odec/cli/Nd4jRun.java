package dev.odec.cli;

import dev.odec.codegen.nd4j.Nd4jBackend;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.BatchRhs;
import dev.odec.runtime.InputError;
import dev.odec.solve.BatchRk;
import dev.odec.solve.Method;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverOptions;
import java.util.List;

/**
 * {@code odec run --backend nd4j}: the model's right-hand side on ND4J, solved by the batched
 * explicit Runge–Kutta solver as a batch of one (the path ensembles take with more members).
 * Models with events or switches and the stiff solvers are refused: the batched solver has neither.
 */
final class Nd4jRun {
  private Nd4jRun() {}

  static Solution solve(OdeSystem sys, double[] p, double[] y0, double t0, double[] times,
      Method method, SolverOptions options) {
    if (!sys.hybrid().isEmpty()) {
      throw InputError.usage("--backend nd4j solves smooth models only; " + sys.name() + " has events or switches "
          + "(if, comparisons, min, max, abs, relu, ...): use --backend jvm");
    }
    Method m = method == null ? Method.TSIT5 : method;
    if (!BatchRk.supports(m)) {
      throw InputError.usage("--backend nd4j runs the explicit solvers euler, midpoint, rk4, bs3, dopri5 and tsit5, not "
          + m.text + "; use --backend jvm for it");
    }
    int n = sys.stateSize();
    BatchRk.Result r = new BatchRk(m, n).solve(new BatchRhs(new Nd4jBackend().compileBatch(sys.rhs()), n, List.of(p)),
        t0, new double[][] {y0}, times, options);
    if (r.failures()[0] != null) throw r.failures()[0];
    return r.solutions()[0];
  }
}
