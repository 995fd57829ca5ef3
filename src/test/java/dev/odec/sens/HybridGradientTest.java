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
 * Every gradient method through events and switches against central finite differences of the
 * objective: repeated doses at an estimated time, a step input at an estimated switching time,
 * a state event whose crossing time depends on the parameters (a bouncing ball), a switch
 * located on the state (a threshold) and one at a known time, and the SIR lockdown whose
 * switching time got a silently zero gradient before (issue 7, failure 5); and experiments that
 * start from a steady state (pre-equilibration) with a conserved total.
 */
class HybridGradientTest {
  static Stream<Arguments> corpus() {
    String r = "src/test/resources/hybrid/";
    return Stream.concat(Stream.of("pk_doses", "step_input", "bouncing_ball", "threshold", "sir_lockdown")
        .map(m -> Arguments.of(r + m + ".ode", r + m + "_data.csv", null)),
        Stream.of(Arguments.of(r + "preeq.ode", r + "preeq_data.csv", r + "preeq_conditions.csv")));
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void everyMethodMatchesFiniteDifferences(String model, String data, String conditions) {
    GradientFixture fx = new GradientFixture(model, data, conditions);
    int k = fx.paramComponents();
    double[] fd = fx.finiteDifferences(1e-10);
    double objective = fx.problem(fx.p, Method.DOP853, 1e-10, 1e-12).objective();
    StringBuilder report = new StringBuilder(model + "\n  fd " + Arrays.toString(fd));
    for (String name : GradientFixture.methods()) {
      GradientMethod m = GradientMethods.byName(name, k, false);
      GradientResult res = m.compute(fx.problem(fx.p, Method.DOP853, 1e-10, 1e-12));
      double[] g = Arrays.copyOf(res.gradient, k);
      report.append(String.format("%n  %-10s %s", name, Arrays.toString(g)));
      assertEquals(objective, res.objective, 1e-8 * Math.abs(objective), name + ": objective");
      double err = GradientTest.relativeError(g, fd);
      report.append(String.format("  vs FD %.2e", err));
      assertTrue(err < 1e-5, report + "\n" + name + " differs from finite differences by " + err);
    }
    System.out.println(report);
  }

  /**
   * Issue 7, failure 4: on a stiff model whose input steps at t = 0 and t = t_step, the
   * checkpointed adjoint with rodas5 and auto was off by 30-50 % on the step-related parameters
   * (steps straddled the switch). Every stiff-capable method and solver against finite
   * differences computed with rodas5 at rtol 1e-10.
   */
  @org.junit.jupiter.api.Test
  void stiffSolversAcrossASteppedInput() {
    String r = "src/test/resources/hybrid/";
    GradientFixture fx = new GradientFixture(r + "input_steps.ode", r + "input_steps_data.csv", null);
    int k = fx.paramComponents();
    double[] fd = fx.finiteDifferences(1e-10, Method.RODAS5);
    StringBuilder report = new StringBuilder("input_steps\n  fd " + Arrays.toString(fd));
    for (Method solver : new Method[] {Method.RODAS5, Method.BDF, null}) {
      for (String name : new String[] {"checkpoint", "forward"}) {
        GradientResult res = GradientMethods.byName(name, k, false).compute(fx.problem(fx.p, solver, 1e-9, 1e-11));
        double[] g = Arrays.copyOf(res.gradient, k);
        double err = GradientTest.relativeError(g, fd);
        String label = name + " with " + (solver == null ? "auto" : solver.text);
        report.append(String.format("%n  %-22s %s  vs FD %.2e", label, Arrays.toString(g), err));
        assertTrue(err < 1e-5, report + "\n" + label + " differs from finite differences by " + err);
      }
    }
    System.out.println(report);
  }
}
