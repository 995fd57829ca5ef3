package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code odec run} through events, switches and steady states (LANGUAGE.md §9) against closed
 * forms, end to end through the CLI.
 */
class HybridRunTest {
  private static final String R = "src/test/resources/hybrid/";

  /** The rows of a CSV as numbers (the header skipped). */
  private static List<double[]> rows(String csv) {
    List<double[]> out = new ArrayList<>();
    List<String> lines = csv.lines().toList();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      double[] v = new double[cells.length];
      for (int i = 0; i < cells.length; i++) v[i] = Double.parseDouble(cells[i]);
      out.add(v);
    }
    return out;
  }

  private static void assertRelative(double expected, double actual, double rel, String what) {
    double scale = Math.max(Math.abs(expected), 1e-12);
    assertTrue(Math.abs(actual - expected) <= rel * scale,
        what + ": expected " + expected + ", got " + actual + " (relative error " + Math.abs(actual - expected) / scale + ")");
  }

  /**
   * Repeated oral doses at t_dose = 2, 14, ..., 62: by superposition, each dose D at τ adds
   * D e^{−ka(t−τ)} to the gut and D ka/(ka−ke) (e^{−ke(t−τ)} − e^{−ka(t−τ)}) to the central
   * compartment. The solution matches to 1e-8 relative, also right at and after the doses.
   */
  @Test
  void repeatedDosesMatchTheClosedForm() {
    CliTest.Result r = CliTest.run("run", R + "pk_doses.ode", "--t1", "80", "--saveat", "0:0.5:80", "--rtol", "1e-11",
        "--atol", "1e-12");
    assertEquals(0, r.code(), r.err());
    double ka = 1.2;
    double ke = 0.25;
    for (double[] row : rows(r.out())) {
      double t = row[0];
      double gut = 0;
      double central = 0;
      for (double tau = 2; tau <= 72; tau += 12) {
        if (t < tau) continue;
        double s = t - tau;
        gut += 100 * Math.exp(-ka * s);
        central += 100 * ka / (ka - ke) * (Math.exp(-ke * s) - Math.exp(-ka * s));
      }
      if (gut > 1e-6) assertRelative(gut, row[1], 1e-8, "gut at t = " + t);
      if (central > 1e-6) assertRelative(central, row[2], 1e-8, "central at t = " + t);
    }
  }

  /** A step input at t_on: x = amp/k (1 − e^{−k(t − t_on)}) after it, 0 before. */
  @Test
  void aStepInputMatchesTheClosedForm() {
    CliTest.Result r = CliTest.run("run", R + "step_input.ode", "--t1", "10", "--saveat", "0:0.25:10", "--rtol", "1e-11",
        "--atol", "1e-13");
    assertEquals(0, r.code(), r.err());
    for (double[] row : rows(r.out())) {
      double t = row[0];
      double exact = t < 3 ? 0 : 2 / 0.5 * (1 - Math.exp(-0.5 * (t - 3)));
      if (t <= 3) assertEquals(0.0, row[1], 1e-14, "x before the step, t = " + t);
      else assertRelative(exact, row[1], 1e-9, "x at t = " + t);
    }
  }

  /**
   * The bouncing ball's impacts are located roots of h: the first at t1 = sqrt(2 h0 / g), then every
   * 2 e^k g t1 / g later; between impacts h is a parabola.
   */
  @Test
  void aStateEventFiresAtItsCrossingTime() {
    CliTest.Result r = CliTest.run("run", R + "bouncing_ball.ode", "--t1", "2.4", "--saveat", "0:0.01:2.4", "--rtol",
        "1e-11", "--atol", "1e-13");
    assertEquals(0, r.code(), r.err());
    double g = 9.81;
    double e = 0.8;
    double t1 = Math.sqrt(2 * 2 / g);
    double[] impacts = {t1, t1 + 2 * e * t1, t1 + 2 * e * t1 + 2 * e * e * t1};
    for (double[] row : rows(r.out())) {
      double t = row[0];
      int k = 0;
      while (k < impacts.length && impacts[k] <= t) k++;
      double h;
      if (k == 0) {
        h = 2 - 0.5 * g * t * t;
      } else {
        double v0 = Math.pow(e, k) * g * t1; // speed just after impact k
        double s = t - impacts[k - 1];
        h = v0 * s - 0.5 * g * s * s;
      }
      assertEquals(h, row[1], 1e-8, "h at t = " + t);
    }
  }

  /** Several events at one time apply in the order written; an event at t0 fires at t0. */
  @Test
  void eventsAtOneTimeApplyInOrderAndAtTheStart(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("order.ode");
    Files.writeString(m, """
        state x = 1
        d(x)/dt = 0
        at t = 0: x = x + 10
        at t = 2: x = x + 1
        at t = 2: x = 2*x
        """);
    CliTest.Result r = CliTest.run("run", m.toString(), "--t1", "3", "--saveat", "0,1,2,3");
    assertEquals(0, r.code(), r.err());
    List<double[]> rows = rows(r.out());
    assertEquals(11.0, rows.get(0)[1], "the event at t = 0 applies at the start");
    assertEquals(11.0, rows.get(1)[1]);
    assertEquals(24.0, rows.get(2)[1], "(11 + 1) * 2: the events at t = 2 in the order written");
    assertEquals(24.0, rows.get(3)[1]);
  }

  /** A when condition already true at t0 does not fire; it fires when it turns true again later. */
  @Test
  void aWhenConditionTrueAtTheStartDoesNotFire(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("armed.ode");
    Files.writeString(m, """
        state x = 2
        state n = 0
        d(x)/dt = -1
        d(n)/dt = 0
        when x > 1: n = n + 1
        at t = 3: x = 5
        """);
    CliTest.Result r = CliTest.run("run", m.toString(), "--t1", "4", "--saveat", "0,2.5,4");
    assertEquals(0, r.code(), r.err());
    List<double[]> rows = rows(r.out());
    assertEquals(0.0, rows.get(1)[2], "true at t0: no firing");
    assertEquals(1.0, rows.get(2)[2], "x jumps from 0 to 5 at t = 3: the condition turns true");
  }

  /** A switching time outside the span is fine: no stop, no jump. */
  @Test
  void aSwitchOutsideTheSpanDoesNothing() {
    CliTest.Result r = CliTest.run("run", R + "step_input.ode", "--t1", "10", "--set", "t_on=50", "--saveat", "10");
    assertEquals(0, r.code(), r.err());
    assertEquals(0.0, rows(r.out()).get(0)[1]);
  }

  /** A condition that the dynamics push back across at once chatters: exit 3 with a clear message. */
  @Test
  void aSlidingModeIsReportedNotLooped(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("chatter.ode");
    Files.writeString(m, """
        state x = 1
        d(x)/dt = if x > 0 then -1 else 1
        """);
    CliTest.Result r = CliTest.run("run", m.toString(), "--t1", "3");
    assertEquals(3, r.code(), r.out());
    assertTrue(r.err().contains("switches back and forth at t = 1"), r.err());
    assertTrue(r.err().contains("line 2"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  /**
   * {@code run --steady-state}: one row, time inf, with the closed form A = k1/k2, B = k1/k3 and
   * the conserved total of C and D split as D = tot kc / (kc + 0.5) (Newton's method on a singular
   * Jacobian, bordered by the conservation law).
   */
  @Test
  void steadyStateMatchesTheClosedForm() {
    CliTest.Result r = CliTest.run("run", R + "preeq.ode", "--steady-state");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("time,A,B,C,D\ninf,"), r.out());
    double[] row = rows(r.out().replace("inf,", "Infinity,")).get(0);
    assertRelative(0.5 / 0.2, row[1], 1e-8, "A");
    assertRelative(0.5 / 0.1, row[2], 1e-8, "B");
    assertRelative(2 - 2 * 0.3 / 0.8, row[3], 1e-8, "C");
    assertRelative(2 * 0.3 / 0.8, row[4], 1e-8, "D");
  }

  /** A model without a steady state: exit 3 naming the state that keeps changing. */
  @Test
  void noSteadyStateIsANumericalFailure(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("grow.ode");
    Files.writeString(m, """
        state x = 1
        state y = 1
        d(x)/dt = 1
        d(y)/dt = -y
        """);
    CliTest.Result r = CliTest.run("run", m.toString(), "--steady-state");
    assertEquals(3, r.code(), r.out());
    assertTrue(r.err().contains("no steady state"), r.err());
    assertTrue(r.err().contains("state 'x'"), r.err());
  }

  /**
   * A pre-equilibration that does not converge (issue 7's bad input): grad exits 3 naming the
   * experiment, the state that keeps changing and its rate.
   */
  @Test
  void aPreequilibrationWithoutSteadyStateNamesTheExperiment(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("grow.ode");
    Files.writeString(m, """
        model grow
        param k = 0.5 in [0.01, 10] scale log
        const u = 0
        state x = 1
        d(x)/dt = k * (1 + u)
        observe x_obs ~ normal(x, 0.1)
        """);
    Path data = dir.resolve("d.csv");
    Files.writeString(data, "experiment,time,x_obs\nstim,1,2\n");
    Path cond = dir.resolve("c.csv");
    Files.writeString(cond, "experiment,u,preequilibration\ncontrol,0,\nstim,1,control\n");
    CliTest.Result r = CliTest.run("grad", m.toString(), "--data", data.toString(), "--conditions", cond.toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("the pre-equilibration of experiment 'stim'"), r.err());
    assertTrue(r.err().contains("no steady state") && r.err().contains("the largest rate of change is |d(state 'x')/dt| = 0.500"), r.err());
  }

  /** A NAME.sigma cell that is not a positive number is an error at its file, line and column. */
  @Test
  void aSigmaCellAtOrBelowZeroIsAnErrorAtItsCell(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("d.csv");
    Files.writeString(data, "experiment,time,B_obs,D_obs,B_obs.sigma\nstim,1,5.0,1.0,0.1\nstim,2,5.0,1.2,-0.1\n");
    CliTest.Result r = CliTest.run("grad", "src/test/resources/hybrid/preeq.ode", "--data", data.toString(),
        "--conditions", "src/test/resources/hybrid/preeq_conditions.csv");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains(data + ":3:16: error:") && r.err().contains("must be a finite number > 0"), r.err());
  }
}
