package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradients of Fujita et al.'s signalling model (the hand translation in
 * {@code src/test/resources/models/}, with the six step conditions and the measurements of the
 * PEtab problem, each measurement's sigma as a {@code NAME.sigma} column) from the command line.
 */
class RealModelsGradTest {
  private static final String M = "src/test/resources/models/";

  private static CliTest.Result grad(String... extra) {
    String[] base = {"grad", M + "fujita.ode", "--data", M + "fujita_data.csv", "--conditions", M + "fujita_conditions.csv"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliTest.run(args);
  }

  /**
   * The objective is minus the PEtab problem's reference log-likelihood (53.08377736998929, from
   * AMICI's test suite at rtol = atol = 1e-8, which accepts 1e-3): the translation, the conditions
   * and the noise per measurement are right.
   */
  @Test
  void theObjectiveIsMinusThePetabReferenceLikelihood() {
    CliTest.Result r = grad("--rtol", "1e-8", "--atol", "1e-8");
    assertEquals(0, r.code(), r.err());
    assertEquals(-53.08377736998929, GradCliTest.csv(r.out()).get("objective"), 1e-3);
  }

  /**
   * Forward sensitivities from a start long before the data, with a small atol: the sensitivities
   * start at zero and are forced at 1e7 by ∂f/∂p, and the first step Hairer's estimate proposed
   * (1.5e-15) was below what t = −1000 resolves, so both stiff solvers failed before their first
   * step ("step size fell below 1.5e-15 at t = -1000"). Now bdf and rodas5, two different methods,
   * agree on every gradient component.
   */
  @Test
  void forwardSensitivitiesStartLongBeforeTheData() {
    Map<String, Double> ref = null;
    for (String solver : new String[] {"bdf", "rodas5"}) {
      CliTest.Result r = grad("--t0", "-1000", "--solver", solver, "--method", "forward", "--rtol", "1e-6", "--atol",
          "1e-12");
      assertEquals(0, r.code(), solver + ": " + r.err());
      Map<String, Double> g = GradCliTest.csv(r.out());
      assertTrue(g.size() > 19, "the objective and every param");
      if (ref == null) {
        ref = g;
        continue;
      }
      for (Map.Entry<String, Double> e : ref.entrySet()) {
        assertEquals(e.getValue(), g.get(e.getKey()), 1e-4 * Math.abs(e.getValue()), solver + " " + e.getKey());
      }
    }
  }
}
