package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Backward integration, output times, failures, statistics, method names, tableau checks. */
class SolverBehaviourTest {

  private static SolverOptions tight() {
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-10;
    o.atol = 1e-10;
    return o;
  }

  // --- Method names -------------------------------------------------------------------------

  @Test
  void methodNamesRoundTrip() {
    assertEquals(List.of("euler", "midpoint", "rk4", "bs3", "dopri5", "tsit5", "dop853", "bdf", "rodas5"),
        Method.names());
    for (Method m : Method.values()) {
      if (m.stiff) continue;
      assertSame(m, Method.byName(m.text));
      assertEquals(m.adaptive, Tableau.of(m).e != null);
    }
    assertNull(Method.byName("rk45"));
    assertNull(Method.byName(null));
  }

  // --- Tableau validation -------------------------------------------------------------------

  private static Tableau copyOfDopri5(double[][] a, double[] b, double[] e, double[][] dense) {
    Tableau t = Tableau.DOPRI5;
    return new Tableau("broken", 5, 5, 4, true, t.c, a, b, e, null, null, null, dense);
  }

  @Test
  void tableauValidationAcceptsTheOriginalAndRejectsBrokenCopies() {
    Tableau t = Tableau.DOPRI5;
    copyOfDopri5(t.a, t.b, t.e, t.dense); // the unchanged data are valid

    double[][] a = Arrays.stream(t.a).map(double[]::clone).toArray(double[][]::new);
    a[3][1] += 1e-6; // row sum no longer equals c_4
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> copyOfDopri5(a, t.b, t.e, t.dense));
    assertTrue(ex.getMessage().contains("row 4 of A"), ex.getMessage());

    double[] e = t.e.clone();
    e[2] += 1e-6; // error weights no longer sum to zero
    ex = assertThrows(IllegalArgumentException.class, () -> copyOfDopri5(t.a, t.b, e, t.dense));
    assertTrue(ex.getMessage().contains("error weights"), ex.getMessage());

    double[] b = t.b.clone();
    b[0] += 1e-6;
    double[][] a2 = Arrays.stream(t.a).map(double[]::clone).toArray(double[][]::new);
    a2[6][0] = b[0];
    a2[6][1] -= 1e-6; // keep the FSAL row sum, so only the weight sum is wrong
    ex = assertThrows(IllegalArgumentException.class, () -> copyOfDopri5(a2, b, t.e, t.dense));
    assertTrue(ex.getMessage().contains("weights b"), ex.getMessage());

    double[][] dense = Arrays.stream(t.dense).map(double[]::clone).toArray(double[][]::new);
    dense[2][3] += 1e-6; // interpolant at theta = 1 no longer equals b
    ex = assertThrows(IllegalArgumentException.class, () -> copyOfDopri5(t.a, t.b, t.e, dense));
    assertTrue(ex.getMessage().contains("dense output"), ex.getMessage());
  }

  @Test
  void everyTableauHasTheDocumentedShape() {
    assertEquals(7, Tableau.DOPRI5.stages);
    assertEquals(7, Tableau.TSIT5.stages);
    assertEquals(4, Tableau.BS3.stages);
    assertEquals(13, Tableau.DOP853.stages);
    assertEquals(16, Tableau.DOP853.slots());
    assertEquals(5, Tableau.RK4.slots()); // 4 stages + end derivative
  }

  // --- Output times and backward integration ------------------------------------------------

  @ParameterizedTest
  @EnumSource(value = Method.class, names = {"BDF", "RODAS5"}, mode = EnumSource.Mode.EXCLUDE)
  void backwardIntegrationMatchesTheExactSolution(Method m) {
    Problems.Problem p = Problems.limitCycle();
    double t0 = 2.0;
    double[] y0 = p.exact(t0);
    double[] saveat = {2.0, 1.7, 1.0, 0.25, 0.0};
    SolverOptions o = tight();
    if (!m.adaptive) {
      o.dt = m == Method.RK4 ? 1e-3 : 1e-5;
      o.maxSteps = 1_000_000;
    }
    Solution s = new ExplicitRk(m, 2).solve(p, t0, y0, saveat, o);
    assertArrayEquals(y0, s.states[0], 0.0, "saveat = t0 returns y0 exactly");
    double tol = m == Method.EULER ? 1e-4 : m == Method.MIDPOINT ? 1e-8 : 1e-8;
    for (int i = 1; i < saveat.length; i++) {
      double err = Problems.maxError(s.states[i], p.exact(saveat[i]));
      assertTrue(err < tol, m.text + " backward error " + err + " at t = " + saveat[i]);
    }
    assertArrayEquals(saveat, s.times);
  }

  @Test
  void outputTimesDoNotShortenSteps() {
    Problems.Problem p = Problems.rotation(0.1, 3.0);
    double[] few = {10.0};
    double[] many = new double[1001];
    for (int i = 0; i <= 1000; i++) {
      many[i] = i * 0.01;
    }
    ExplicitRk rk = new ExplicitRk(Method.DOPRI5, 2);
    Solution a = rk.solve(p, 0, p.y0, few, tight());
    Solution b = rk.solve(p, 0, p.y0, many, tight());
    assertEquals(a.stats.steps, b.stats.steps);
    assertEquals(a.stats.rejected, b.stats.rejected);
    assertArrayEquals(a.states[0], b.states[1000], 0.0);
    for (int i = 0; i <= 1000; i += 37) {
      assertTrue(Problems.maxError(b.states[i], p.exact(many[i])) < 1e-8);
    }
  }

  @Test
  void rejectsOutputTimesOutOfOrder() {
    Problems.Problem p = Problems.rotation(0.1, 3.0);
    ExplicitRk rk = new ExplicitRk(Method.DOPRI5, 2);
    SolverFailure f = assertThrows(SolverFailure.class,
        () -> rk.solve(p, 0, p.y0, new double[] {1.0, 0.5, 2.0}, new SolverOptions()));
    assertEquals(SolverFailure.Reason.BAD_INPUT, f.reason());
    f = assertThrows(SolverFailure.class,
        () -> rk.solve(p, 0, p.y0, new double[] {-1.0, 2.0}, new SolverOptions()));
    assertEquals(SolverFailure.Reason.BAD_INPUT, f.reason());
  }

  @Test
  void fixedStepMethodsNeedAStepSize() {
    Problems.Problem p = Problems.rotation(0.1, 3.0);
    SolverFailure f = assertThrows(SolverFailure.class,
        () -> new ExplicitRk(Method.EULER, 2).solve(p, 0, p.y0, new double[] {1}, new SolverOptions()));
    assertEquals(SolverFailure.Reason.BAD_INPUT, f.reason());
    assertEquals("solver euler needs a step size (--dt)", f.getMessage());
  }

  // --- Failures -----------------------------------------------------------------------------

  private static final OdeFunction BLOW_UP = new OdeFunction() {
    @Override
    public int dimension() {
      return 1;
    }

    @Override
    public void eval(double t, double[] y, double[] dy) {
      dy[0] = y[0] * y[0];
    }
  };

  @ParameterizedTest
  @EnumSource(value = Method.class, names = {"BS3", "DOPRI5", "TSIT5", "DOP853"})
  void blowUpIsReportedNearTheSingularity(Method m) {
    SolverFailure f = assertThrows(SolverFailure.class,
        () -> new ExplicitRk(m, 1).solve(BLOW_UP, 0, new double[] {1}, new double[] {2},
            new SolverOptions()));
    assertTrue(f.reason() == SolverFailure.Reason.STEP_SIZE_UNDERFLOW
        || f.reason() == SolverFailure.Reason.NON_FINITE, f.reason().toString());
    assertEquals(1.0, f.time(), 1e-3, f.getMessage());
    assertTrue(f.getMessage().contains("t = "), f.getMessage());
  }

  @Test
  void blowUpWithFixedStepsIsNonFinite() {
    SolverOptions o = new SolverOptions();
    o.dt = 1e-3;
    SolverFailure f = assertThrows(SolverFailure.class,
        () -> new ExplicitRk(Method.RK4, 1).solve(BLOW_UP, 0, new double[] {1}, new double[] {2},
            o));
    assertEquals(SolverFailure.Reason.NON_FINITE, f.reason());
    assertEquals(1, f.component());
    assertTrue(f.time() > 1.0 && f.time() < 1.1, f.getMessage());
  }

  @Test
  void stepBudgetRunsOut() {
    Problems.Problem p = Problems.rotation(0.1, 3.0);
    SolverOptions o = new SolverOptions();
    o.maxSteps = 10;
    SolverFailure f = assertThrows(SolverFailure.class,
        () -> new ExplicitRk(Method.DOPRI5, 2).solve(p, 0, p.y0, new double[] {1000}, o));
    assertEquals(SolverFailure.Reason.MAX_STEPS, f.reason());
    assertTrue(f.getMessage().startsWith("gave up after 10 steps at t = "), f.getMessage());
    // the state whose error limited the last step is named before the advice
    assertTrue(f.getMessage().contains("(of 1000); the error of state component ")
        && f.getMessage().endsWith(" limits the step; raise --max-steps or loosen --rtol"), f.getMessage());
  }

  /** y1' = −y1, y2' = NaN once t > 0.5 (a model evaluated outside its domain). */
  private static final OdeFunction NAN_AFTER_HALF = new OdeFunction() {
    @Override
    public int dimension() {
      return 3;
    }

    @Override
    public void eval(double t, double[] y, double[] dy) {
      dy[0] = -y[0];
      dy[1] = t > 0.5 ? Math.sqrt(-1 - y[0]) : 1.0;
      dy[2] = 0;
    }
  };

  @ParameterizedTest
  @EnumSource(value = Method.class, names = {"BDF", "RODAS5"}, mode = EnumSource.Mode.EXCLUDE)
  void nanInTheModelNamesTheComponent(Method m) {
    SolverOptions o = new SolverOptions();
    o.dt = 0.01;
    if (m.adaptive) {
      o.dt = Double.NaN;
    }
    SolverFailure f = assertThrows(SolverFailure.class,
        () -> new ExplicitRk(m, 3).solve(NAN_AFTER_HALF, 0, new double[] {1, 0, 0},
            new double[] {1}, o));
    assertEquals(SolverFailure.Reason.NON_FINITE, f.reason(), f.getMessage());
    assertEquals(2, f.component(), f.getMessage());
    assertTrue(f.getMessage().contains("component 2 became NaN at t = "), f.getMessage());
    assertEquals(0.5, f.time(), 0.011, f.getMessage());
  }

  @Test
  void nanAtTheStartIsReported() {
    OdeFunction f = new OdeFunction() {
      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public void eval(double t, double[] y, double[] dy) {
        dy[0] = 0;
        dy[1] = Math.log(y[1]);
      }
    };
    SolverFailure ex = assertThrows(SolverFailure.class,
        () -> new ExplicitRk(Method.TSIT5, 2).solve(f, 0, new double[] {1, -1}, new double[] {1},
            new SolverOptions()));
    assertEquals(SolverFailure.Reason.NON_FINITE, ex.reason());
    assertEquals(2, ex.component());
    assertEquals(0.0, ex.time());
  }

  // --- Statistics ---------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(value = Method.class, names = {"BS3", "DOPRI5", "TSIT5", "DOP853"})
  void fsalEvaluationCount(Method m) {
    Problems.Problem p = Problems.limitCycle();
    int stages = Tableau.of(m).stages;
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-9;
    o.atol = 1e-9;
    // Only the final time: no dense output needed, so no extra stages.
    Solution s = new ExplicitRk(m, 2).solve(p, 0, p.y0, new double[] {20}, o);
    assertTrue(s.stats.steps > 10);
    // f(t0, y0) + initial step selection + (s − 1) per attempt.
    assertEquals(1 + 1 + (stages - 1) * (s.stats.steps + s.stats.rejected), s.stats.nfe);

    // Given initial step: no selection evaluation.
    o.initialStep = 1e-3;
    s = new ExplicitRk(m, 2).solve(p, 0, p.y0, new double[] {20}, o);
    assertEquals(1 + (stages - 1) * (s.stats.steps + s.stats.rejected), s.stats.nfe);
  }

  @Test
  void dop853DenseOutputCostsThreeStagesPerStepThatUsesIt() {
    Problems.Problem p = Problems.limitCycle();
    SolverOptions o = tight();
    long[] observed = new long[1];
    double[] u = new double[2];
    Solution s = new ExplicitRk(Method.DOP853, 2).solve(p, 0, p.y0, new double[] {20}, o,
        (tPrev, tNew, dense) -> {
          observed[0]++;
          double mid = 0.5 * (tPrev + tNew);
          dense.interpolate(mid, u);
          dense.interpolate(tPrev + 0.25 * (tNew - tPrev), u); // extra stages reused
          assertTrue(Problems.maxError(u, p.exact(tPrev + 0.25 * (tNew - tPrev))) < 1e-8);
        });
    assertEquals(s.stats.steps, observed[0]);
    assertEquals(1 + 1 + 12 * (s.stats.steps + s.stats.rejected) + 3 * s.stats.steps,
        s.stats.nfe);
  }

  @Test
  void fixedStepEvaluationCount() {
    Problems.Problem p = Problems.limitCycle();
    SolverOptions o = new SolverOptions();
    o.dt = 0.01;
    Solution s = new ExplicitRk(Method.RK4, 2).solve(p, 0, p.y0, new double[] {1}, o);
    assertEquals(100, s.stats.steps);
    assertEquals(0, s.stats.rejected);
    // f(t0, y0) + 3 stages per step + the end derivative f(t1, y1) per step.
    assertEquals(1 + 4 * 100, s.stats.nfe);

    // An adaptive method with dt set: fixed steps, no error control, no rejections.
    s = new ExplicitRk(Method.DOPRI5, 2).solve(p, 0, p.y0, new double[] {1}, o);
    assertEquals(100, s.stats.steps);
    assertEquals(0, s.stats.rejected);
    assertEquals(1 + 6 * 100, s.stats.nfe);
  }

  @Test
  void solverIsReusableAndDeterministic() {
    Problems.Problem p = Problems.limitCycle();
    ExplicitRk rk = new ExplicitRk(Method.TSIT5, 2);
    Solution a = rk.solve(p, 0, p.y0, new double[] {1, 2, 3}, tight());
    rk.solve(Problems.rotation(0.1, 3.0), 0, new double[] {5, 6}, new double[] {-4}, tight());
    Solution b = rk.solve(p, 0, p.y0, new double[] {1, 2, 3}, tight());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(a.states[i], b.states[i], 0.0);
    }
    assertEquals(a.stats.nfe, b.stats.nfe);
  }

  @Test
  void perStateTolerancesAreUsed() {
    Problems.Problem p = Problems.limitCycle();
    SolverOptions loose = new SolverOptions();
    loose.rtol = 1e-3;
    loose.atol = 1e-3;
    SolverOptions perState = new SolverOptions();
    perState.rtol = 1e-3;
    perState.atol = 1e-3;
    perState.rtolPerState = new double[] {1e-10, 1e-10};
    perState.atolPerState = new double[] {1e-10, 1e-10};
    ExplicitRk rk = new ExplicitRk(Method.DOPRI5, 2);
    Solution a = rk.solve(p, 0, p.y0, new double[] {5}, loose);
    Solution b = rk.solve(p, 0, p.y0, new double[] {5}, perState);
    assertTrue(b.stats.steps > 5 * a.stats.steps);
    assertTrue(Problems.maxError(b.states[0], p.exact(5)) < 1e-8);
  }
}
