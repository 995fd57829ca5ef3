package dev.odec.sens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.infer.DataSet;
import dev.odec.solve.Method;
import org.junit.jupiter.api.Test;

/** The objective against independent computations, and the methods' memory and time gradients. */
class ObjectiveTest {
  private static final String R = "src/test/resources/grad/";

  @Test
  void lotkaVolterraObjectiveMatchesScipy() {
    GradientFixture fx = new GradientFixture("examples/lotka_volterra.ode", R + "lv_data.csv", null);
    // scipy: solve_ivp(DOP853, rtol 1e-13, atol 1e-14), then -sum(norm.logpdf(value, y(t), 0.1))
    // over the non-empty cells of lv_data.csv
    double scipy = -8.375457297208843;
    double odec = fx.problem(fx.p, Method.DOP853, 1e-12, 1e-14).objective();
    assertEquals(scipy, odec, 1e-8 * Math.abs(scipy));
  }

  @Test
  void poissonRateAndLaplaceObjectiveMatchesTheClosedForm() {
    GradientFixture fx = new GradientFixture(R + "events.ode", R + "events_data.csv", null);
    double k = 0.3;
    double a = 2.0;
    double y0 = 1.2;
    double b = 0.05;
    double tEnd = fx.t1;
    // y(t) = y0 exp(-k t); the intensity a y + 0.1 integrates to a y0 (1 - exp(-k T)) / k + 0.1 T
    double expected = a * y0 * (1 - Math.exp(-k * tEnd)) / k + 0.1 * tEnd;
    for (DataSet.Event e : fx.data.events("")) {
      expected -= e.count() * Math.log(a * y0 * Math.exp(-k * e.time()) + 0.1);
    }
    for (DataSet.Observation o : fx.data.observations("")) {
      double y = y0 * Math.exp(-k * o.time());
      expected += Math.log(2 * b) + Math.abs(o.value() - y) / b;
    }
    double odec = fx.problem(fx.p, Method.DOP853, 1e-12, 1e-14).objective();
    assertEquals(expected, odec, 1e-8 * Math.abs(expected));
  }

  @Test
  void backsolveMemoryDoesNotGrowWithSteps() {
    GradientFixture fx = new GradientFixture("examples/lotka_volterra.ode", R + "lv_data.csv", null);
    BacksolveAdjoint loose = new BacksolveAdjoint();
    GradientResult a = loose.compute(fx.problem(fx.p, Method.DOPRI5, 1e-4, 1e-6));
    long storedLoose = loose.storedValues;
    BacksolveAdjoint tight = new BacksolveAdjoint();
    GradientResult b = tight.compute(fx.problem(fx.p, Method.DOPRI5, 1e-11, 1e-13));
    assertTrue(b.nfeForward > 10 * a.nfeForward, "the tight solve takes many more steps");
    assertEquals(storedLoose, tight.storedValues, "stored values depend on the measurement times only");
  }

  @Test
  void timeGradientsMatchFiniteDifferences() {
    // shift one measurement time of the Lotka–Volterra data and difference the objective
    GradientFixture fx = new GradientFixture("examples/lotka_volterra.ode", R + "lv_data.csv", null);
    for (String name : GradientFixture.methods()) {
      GradientResult r = GradientMethods.byName(name, 5, true).compute(fx.problem(fx.p, Method.DOP853, 1e-11, 1e-13));
      double[] tg = r.timeGradients.get(0);
      assertEquals(19, tg.length, "20 times, one of them with no value");
      // dL/dt0 by moving the start: y(t) then solves from t0 + h
      double h = 1e-5;
      GradientProblem plus = new GradientProblem(fx.model, fx.data, null, fx.p, h, fx.t1, Method.DOP853, opts());
      GradientProblem minus = new GradientProblem(fx.model, fx.data, null, fx.p, -h, fx.t1, Method.DOP853, opts());
      double fd = (plus.objective() - minus.objective()) / (2 * h);
      assertEquals(fd, r.dt0, 1e-5 * Math.abs(fd), name + ": dL/dt0");
      assertEquals(0.0, r.dt1, 0.0, "no rates: the window's end does not matter");
      assertTrue(Double.isFinite(tg[3]) && tg[3] != 0, name);
    }
  }

  private static dev.odec.solve.SolverOptions opts() {
    dev.odec.solve.SolverOptions o = new dev.odec.solve.SolverOptions();
    o.rtol = 1e-11;
    o.atol = 1e-13;
    return o;
  }
}
