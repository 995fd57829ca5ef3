package dev.odec.sens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.solve.Method;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every gradient method against central finite differences of the objective (computed from the
 * objective alone at rtol 1e-10), and against each other, on the corpus: Lotka–Volterra with
 * normal and lognormal noise and missing values, a reaction network with two experiments and a
 * conditions file, a neural ODE with 122 parameters, and a Poisson-rate model.
 */
class GradientTest {
  static Stream<Arguments> corpus() {
    String r = "src/test/resources/grad/";
    return Stream.of(
        Arguments.of("examples/lotka_volterra.ode", r + "lv_data.csv", null),
        Arguments.of(r + "lv_lognormal.ode", r + "lv_data.csv", null),
        Arguments.of(r + "enzyme_experiments.ode", r + "enzyme_data.csv", r + "enzyme_conditions.csv"),
        Arguments.of(r + "spiral_nn.ode", r + "spiral_data.csv", null),
        Arguments.of(r + "events.ode", r + "events_data.csv", null));
  }

  /** The largest component-wise relative difference, with a floor of 1e-3 of the largest entry. */
  static double relativeError(double[] a, double[] ref) {
    double scale = 0;
    for (double v : ref) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-3 * scale));
    }
    return worst;
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void everyMethodMatchesFiniteDifferences(String model, String data, String conditions) {
    GradientFixture fx = new GradientFixture(model, data, conditions);
    int k = fx.paramComponents();
    double[] fd = fx.finiteDifferences(1e-10);
    double objective = fx.problem(fx.p, Method.DOP853, 1e-10, 1e-12).objective();
    StringBuilder report = new StringBuilder(model);
    double[] first = null;
    for (String name : GradientFixture.methods()) {
      GradientMethod m = GradientMethods.byName(name, k, false);
      GradientResult res = m.compute(fx.problem(fx.p, Method.DOP853, 1e-10, 1e-12));
      double[] g = Arrays.copyOf(res.gradient, k);
      assertEquals(objective, res.objective, 1e-8 * Math.abs(objective), name + ": objective");
      double err = relativeError(g, fd);
      report.append(String.format("%n  %-10s vs FD %.2e  nfe %d + %d", name, err, res.nfeForward, res.nfeBackward));
      assertTrue(err < 1e-5, name + " differs from finite differences by " + err + " on " + model
          + "\n gradient " + Arrays.toString(g) + "\n fd       " + Arrays.toString(fd));
      if (first == null) first = g;
      else assertTrue(relativeError(g, first) < 1e-5, name + " disagrees with the adjoint on " + model);
    }
    System.out.println(report);
  }
}
