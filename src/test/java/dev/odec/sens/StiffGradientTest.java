package dev.odec.sens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.runtime.InputError;
import dev.odec.solve.Method;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gradients of stiff models with the implicit solvers: forward sensitivities and the
 * interpolating adjoint agree with finite differences of the objective (computed with the same
 * solver at rtol 1e-10); the backsolve adjoint refuses.
 */
class StiffGradientTest {
  private static final String R = "src/test/resources/grad/";

  /** The stiff test models with their data (and conditions), each with both implicit solvers. */
  static Stream<Arguments> stiffModels() {
    return Stream.of(Method.BDF, Method.RODAS5).flatMap(m -> Stream.of(
        Arguments.of("robertson_obs.ode", "robertson_data.csv", null, m),
        Arguments.of("enzyme_experiments.ode", "enzyme_data.csv", "enzyme_conditions.csv", m)));
  }

  static GradientFixture fixture(String model, String data, String cond) {
    return new GradientFixture(R + model, R + data, cond == null ? null : R + cond);
  }

  @ParameterizedTest
  @MethodSource("stiffModels")
  void forwardAndCheckpointMatchFiniteDifferences(String model, String data, String cond, Method method) {
    GradientFixture fx = fixture(model, data, cond);
    int k = fx.paramComponents();
    double[] fd = fx.finiteDifferences(1e-10, method);
    StringBuilder report = new StringBuilder(model + " " + method);
    for (String name : new String[] {"forward", "checkpoint"}) {
      GradientResult r = GradientMethods.byName(name, k, false).compute(fx.problem(fx.p, method, 1e-10, 1e-14));
      double[] g = Arrays.copyOf(r.gradient, k);
      double err = GradientTest.relativeError(g, fd);
      report.append(String.format("%n  %-10s vs FD %.2e  nfe %d + %d", name, err, r.nfeForward, r.nfeBackward));
      assertTrue(err < 1e-5, name + " with " + method + " differs from finite differences by " + err
          + "\n gradient " + Arrays.toString(g) + "\n fd       " + Arrays.toString(fd));
    }
    System.out.println(report);
  }

  @ParameterizedTest
  @CsvSource({"BDF", "RODAS5"})
  void theBacksolveAdjointRefusesAStiffSolver(Method method) {
    GradientFixture fx = new GradientFixture(R + "robertson_obs.ode", R + "robertson_data.csv", null);
    InputError e = assertThrows(InputError.class,
        () -> new BacksolveAdjoint().compute(fx.problem(fx.p, method, 1e-8, 1e-12)));
    assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"robertson_obs.ode, robertson_data.csv"})
  void autoSwitchesAndTheBacksolveSaysSo(String model, String data) {
    GradientFixture fx = new GradientFixture(R + model, R + data, null);
    InputError e = assertThrows(InputError.class,
        () -> new BacksolveAdjoint().compute(fx.problem(fx.p, null, 1e-8, 1e-12)));
    assertTrue(e.getMessage().contains("switched"), e.getMessage());
    GradientResult r = new CheckpointedAdjoint().compute(fx.problem(fx.p, null, 1e-8, 1e-12));
    assertEquals(3, Arrays.stream(Arrays.copyOf(r.gradient, 3)).filter(Double::isFinite).count());
  }
}
