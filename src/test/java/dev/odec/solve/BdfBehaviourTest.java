package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Output semantics, observers, tolerances and failures of {@link Bdf}. */
class BdfBehaviourTest {
  @Test
  void saveatAtTheStartReturnsTheInitialStateWithoutWork() {
    BdfProblems.Stiff p = BdfProblems.robertson();
    double[] y0 = {1, 0, 0};
    Solution s = new Bdf(3).solve(p, p.jac, 2.5, y0, new double[] {2.5, 2.5}, new SolverOptions());
    assertArrayEquals(y0, s.states[0]);
    assertArrayEquals(y0, s.states[1]);
    assertEquals(0, s.stats.nfe);
  }

  @Test
  void outputsAtManyTimesMatchTheExactSolution() {
    BdfProblems.Stiff p = BdfProblems.linearSmooth(1e4);
    double[] ts = new double[51];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 0.1 * i;
    }
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-8;
    o.atol = 1e-10;
    Solution s = new Bdf(2).solve(p, p.jac, 0, new double[] {0, 1}, ts, o);
    double worst = 0;
    for (int i = 0; i < ts.length; i++) {
      worst = Math.max(worst, Math.abs(s.states[i][0] - Math.sin(ts[i])));
      worst = Math.max(worst, Math.abs(s.states[i][1] - Math.cos(ts[i])));
    }
    assertEquals(0.0, s.states[0][0]);
    assertTrue(worst < 1e-6, "worst error " + worst);
    // output points do not shorten steps: as many steps as with the end point alone
    Solution one = new Bdf(2).solve(p, p.jac, 0, new double[] {0, 1}, new double[] {5}, o);
    assertEquals(one.stats.steps, s.stats.steps);
  }

  @Test
  void backwardIntegration() {
    BdfProblems.Stiff p = BdfProblems.linearSmooth(0.5);
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-8;
    o.atol = 1e-10;
    double[] ts = {-1, -2, -3};
    Solution s = new Bdf(2).solve(p, p.jac, 0, new double[] {0, 1}, ts, o);
    for (int i = 0; i < ts.length; i++) {
      assertEquals(Math.sin(ts[i]), s.states[i][0], 1e-6);
      assertEquals(Math.cos(ts[i]), s.states[i][1], 1e-6);
    }
    // start away from 0, integrating back to it
    // (the first component grows like e^{t/2} backward: the error is amplified by about 7)
    Solution back = new Bdf(2).solve(p, p.jac, 4, new double[] {Math.sin(4), Math.cos(4)},
        new double[] {0}, o);
    assertEquals(0.0, back.states[0][0], 1e-5);
    assertEquals(1.0, back.states[0][1], 1e-5);
  }

  @Test
  void observerSeesEveryStepWithAnAccurateInterpolant() {
    BdfProblems.Stiff p = BdfProblems.linearSmooth(1e3);
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-8;
    o.atol = 1e-10;
    double[] u = new double[2];
    double[] worst = {0};
    long[] calls = {0};
    double[] last = {0};
    StepObserver obs = (tPrev, tNew, dense) -> {
      assertEquals(last[0], tPrev);
      last[0] = tNew;
      calls[0]++;
      for (double th : new double[] {0.25, 0.5, 0.75, 1.0}) {
        double t = tPrev + th * (tNew - tPrev);
        dense.interpolate(t, u);
        worst[0] = Math.max(worst[0], Math.abs(u[0] - Math.sin(t)) + Math.abs(u[1] - Math.cos(t)));
      }
    };
    Solution s = new Bdf(2).solve(p, p.jac, 0, new double[] {0, 1}, new double[] {3}, o, obs);
    assertEquals(s.stats.steps, calls[0]);
    assertEquals(3.0, last[0]);
    assertTrue(worst[0] < 1e-6, "interpolation error " + worst[0]);
  }

  @Test
  void perStateTolerancesAreHonoured() {
    BdfProblems.Stiff p = BdfProblems.linearSmooth(10);
    SolverOptions loose = new SolverOptions();
    loose.rtol = 1e-3;
    loose.atol = 1e-3;
    SolverOptions tight = new SolverOptions();
    tight.rtolPerState = new double[] {1e-3, 1e-9};
    tight.atolPerState = new double[] {1e-3, 1e-9};
    double[] y0 = {0, 1};
    double[] ts = {5};
    Solution a = new Bdf(2).solve(p, p.jac, 0, y0, ts, loose);
    Solution b = new Bdf(2).solve(p, p.jac, 0, y0, ts, tight);
    double errA = Math.abs(a.states[0][1] - Math.cos(5));
    double errB = Math.abs(b.states[0][1] - Math.cos(5));
    System.out.printf("per-state tolerance: loose %s err %.2e; tight y2 %s err %.2e%n", a.stats,
        errA, b.stats, errB);
    assertTrue(b.stats.steps > 3 * a.stats.steps);
    assertTrue(errB < 1e-3 * errA);
  }

  @Test
  void theJacobianIsReusedAcrossSteps() {
    BdfProblems.Stiff p = BdfProblems.robertson();
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-6;
    o.atolPerState = new double[] {1e-10, 1e-14, 1e-10};
    Solution s = new Bdf(3).solve(p, p.jac, 0, new double[] {1, 0, 0}, new double[] {1e5}, o);
    assertTrue(s.stats.jacobians * 5 < s.stats.steps, s.stats.toString());
    assertTrue(s.stats.lu * 2 < s.stats.steps, s.stats.toString());
  }

  /**
   * A stiff steady state is crossed at every tolerance, with work that grows slowly with it. Before
   * the Newton test knew the rounding level of its residual, the solve to t = 1000 at rtol 1e-10 gave
   * up after 100,000 steps at t ≈ 287, rejecting most steps once the state had settled.
   */
  @ParameterizedTest(name = "rtol {0}")
  @ValueSource(doubles = {1e-6, 1e-8, 1e-10, 1e-12, 1e-13})
  void crossesAStiffSteadyStateAtEveryTolerance(double rtol) {
    BdfProblems.Stiff p = BdfProblems.exchange();
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    o.atol = 1e-12;
    Solution s = new Bdf(2).solve(p, p.jac, 0, new double[2], new double[] {1000, 1e5}, o);
    double[] ss = BdfProblems.exchangeSteadyState();
    for (int i = 0; i < 2; i++) {
      for (int c = 0; c < 2; c++) {
        assertEquals(ss[c], s.states[i][c], 1e-9 * ss[c]);
      }
    }
    System.out.printf("steady state, rtol %.0e: %s%n", rtol, s.stats);
    assertTrue(s.stats.steps < 3000, s.stats.toString());
    assertTrue(s.stats.rejected < 0.1 * s.stats.steps, s.stats.toString());
    assertTrue(s.stats.jacobians <= 25, s.stats.toString());
  }

  // -----------------------------------------------------------------------------------------------
  // Failures

  /**
   * y_1' = −1e12 (y_1 − cos t), y_2' = −y_2, y_3' = −1e13 (y_3 − cos t), with a Jacobian whose
   * stiff entries have the wrong sign: with fixed steps of 0.01 Newton diverges at once. (With
   * adaptive steps the solver shrinks the step until the iteration converges, since M → I.)
   */
  private static BdfProblems.Stiff wrongJacobian() {
    return new BdfProblems.Stiff(3) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        dy[0] = -1e12 * (y[0] - Math.cos(t));
        dy[1] = -y[1];
        dy[2] = -1e13 * (y[2] - Math.cos(t));
      }

      @Override
      void jacobian(double t, double[] y, double[] v) {
        java.util.Arrays.fill(v, 0.0);
        v[0] = 1e12;
        v[4] = -1;
        v[8] = 1e13;
      }
    };
  }

  @Test
  void aWrongJacobianEndsInANewtonFailureNamingTheComponents() {
    BdfProblems.Stiff p = wrongJacobian();
    SolverOptions o = new SolverOptions();
    o.dt = 0.01;
    SolverFailure e = assertThrows(SolverFailure.class,
        () -> new Bdf(3).solve(p, p.jac, 0, new double[] {1, 1, 1}, new double[] {1}, o));
    System.out.println(e.getMessage());
    assertTrue(e.getMessage().startsWith(
        "Newton iteration failed to converge at t = 0 (step size 0.01): "), e.getMessage());
    assertTrue(e.getMessage().contains(
        "the states changing fastest are 'component 3', 'component 1'; the Jacobian may be wrong "
            + "or the problem may have a singularity"), e.getMessage());
    assertEquals(3, e.component());
  }

  @Test
  void aNonFiniteJacobianIsReported() {
    BdfProblems.Stiff p = new BdfProblems.Stiff(2) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        dy[0] = -y[0];
        dy[1] = -y[1];
      }

      @Override
      void jacobian(double t, double[] y, double[] v) {
        v[0] = -1;
        v[1] = 0;
        v[2] = Math.log(y[0] - 1);
        v[3] = -1;
      }
    };
    SolverFailure e = assertThrows(SolverFailure.class, () -> new Bdf(2).solve(p, p.jac, 0,
        new double[] {0.5, 1}, new double[] {1}, new SolverOptions()));
    System.out.println(e.getMessage());
    assertEquals(SolverFailure.Reason.NON_FINITE, e.reason());
    assertEquals(2, e.component());
    assertTrue(e.getMessage().startsWith("the Jacobian entry d(rate of state component 2)/d(state "
        + "component 1) is NaN at t = 0"), e.getMessage());
  }

  @Test
  void aNaNInTheDerivativeIsReportedWithItsComponentAndTime() {
    // y1 = 1 − t reaches 0 at t = 1; y2' = sqrt(y1) is NaN beyond
    BdfProblems.Stiff p = new BdfProblems.Stiff(2) {
      @Override
      public void eval(double t, double[] y, double[] dy) {
        dy[0] = -1;
        dy[1] = Math.sqrt(y[0]);
      }

      @Override
      void jacobian(double t, double[] y, double[] v) {
        v[0] = 0;
        v[1] = 0;
        v[2] = y[0] > 0 ? 0.5 / Math.sqrt(y[0]) : 0;
        v[3] = 0;
      }
    };
    SolverFailure e = assertThrows(SolverFailure.class, () -> new Bdf(2).solve(p, p.jac, 0,
        new double[] {1, 0}, new double[] {2}, new SolverOptions()));
    System.out.println(e.getMessage());
    assertEquals(SolverFailure.Reason.NON_FINITE, e.reason());
    assertEquals(2, e.component());
    assertTrue(e.getMessage().startsWith("the derivative of state component 2 became NaN at t = 1"),
        e.getMessage());
    assertEquals(1.0, e.time(), 1e-3);
  }

  @Test
  void theStepBudgetIsEnforced() {
    BdfProblems.Stiff p = BdfProblems.robertson();
    SolverOptions o = new SolverOptions();
    o.maxSteps = 10;
    SolverFailure e = assertThrows(SolverFailure.class, () -> new Bdf(3).solve(p, p.jac, 0,
        new double[] {1, 0, 0}, new double[] {1e11}, o));
    assertEquals(SolverFailure.Reason.MAX_STEPS, e.reason());
    assertTrue(e.getMessage().startsWith("gave up after 10 steps at t = "), e.getMessage());
  }

  @Test
  void badInputsAreRefused() {
    BdfProblems.Stiff p = BdfProblems.robertson();
    Bdf bdf = new Bdf(3);
    SolverOptions o = new SolverOptions();
    assertEquals(SolverFailure.Reason.BAD_INPUT, assertThrows(SolverFailure.class,
        () -> bdf.solve(p, p.jac, 0, new double[] {1, 0}, new double[] {1}, o)).reason());
    assertEquals(SolverFailure.Reason.BAD_INPUT, assertThrows(SolverFailure.class,
        () -> bdf.solve(p, p.jac, 0, new double[] {1, 0, 0}, new double[] {2, 1}, o)).reason());
    assertEquals(SolverFailure.Reason.BAD_INPUT, assertThrows(SolverFailure.class,
        () -> bdf.solve(p, null, 0, new double[] {1, 0, 0}, new double[] {1}, o)).reason());
    SolverOptions zero = new SolverOptions();
    zero.rtol = 0;
    zero.atol = 0;
    SolverFailure e = assertThrows(SolverFailure.class,
        () -> bdf.solve(p, p.jac, 0, new double[] {1, 0, 0}, new double[] {1}, zero));
    assertEquals(1, e.component());
  }
}
