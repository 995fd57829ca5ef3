package dev.odec.sens;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.infer.Conditions;
import dev.odec.infer.DataSet;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A model, its data and a gradient problem built the way `odec grad` builds it. */
final class GradientFixture {
  final OdeSystem sys;
  final DataSet data;
  final Conditions conditions;
  final GradientModel model;
  final double[] p;
  final double t1;

  GradientFixture(String model, String data, String conditions) {
    Frontend.Result r = Frontend.compile(Path.of(model));
    assertTrue(r.ok(), () -> r.diagnostics().sorted().toString());
    sys = r.system();
    this.data = DataSet.read(Path.of(data), GradientProblem.observationColumns(sys), GradientProblem.rateColumns(sys));
    this.conditions = conditions == null ? null
        : Conditions.read(Path.of(conditions), sys.pVars().stream().map(OdeSystem.Var::name).toList());
    this.model = new GradientModel(sys, new JvmBackend());
    this.p = Parameters.build(sys, Map.of(), 1);
    this.t1 = this.data.maxTime();
  }

  GradientProblem problem(double[] params, Method method, double rtol, double atol) {
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    o.atol = atol;
    o.maxSteps = 10_000_000;
    return new GradientProblem(model, data, conditions, params, 0.0, t1, method, o);
  }

  /** The number of param components (the gradient entries reported). */
  int paramComponents() {
    int k = 0;
    for (OdeSystem.ParamInfo info : sys.params()) k += info.var().shape().size();
    return k;
  }

  /**
   * Central differences of the objective alone, at a tight tolerance, with one Richardson step
   * (4 D(h/2) − D(h)) / 3 so that the truncation error is O(h⁴): on strongly nonlinear models
   * (Lotka–Volterra's prey dips to 0.09) plain O(h²) differences are off by 1e-5.
   */
  double[] finiteDifferences(double rtol) {
    return finiteDifferences(rtol, Method.DOP853);
  }

  double[] finiteDifferences(double rtol, Method method) {
    int k = paramComponents();
    double[] g = new double[k];
    for (int j = 0; j < k; j++) {
      double h = 1e-3 * Math.max(Math.abs(p[j]), 1e-2);
      g[j] = (4 * central(j, h / 2, rtol, method) - central(j, h, rtol, method)) / 3;
    }
    return g;
  }

  private double central(int j, double h, double rtol, Method method) {
    double[] plus = p.clone();
    double[] minus = p.clone();
    plus[j] += h;
    minus[j] -= h;
    double atol = method.stiff ? rtol * 1e-4 : rtol * 1e-2;
    double fp = problem(plus, method, rtol, atol).objective();
    double fm = problem(minus, method, rtol, atol).objective();
    return (fp - fm) / (2 * h);
  }

  static List<String> methods() {
    return List.of("adjoint", "checkpoint", "forward", "discrete");
  }
}
