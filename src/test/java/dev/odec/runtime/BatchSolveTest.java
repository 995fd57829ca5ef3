package dev.odec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.codegen.BatchBackend;
import dev.odec.codegen.BatchFunction;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.codegen.nd4j.Nd4jBackend;
import dev.odec.ir.OdeSystem;
import dev.odec.sema.Models;
import dev.odec.solve.BatchRk;
import dev.odec.solve.ExplicitRk;
import dev.odec.solve.Method;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Batched solves (BatchRk) against single solves (ExplicitRk), member by member: with the JVM
 * backend row by row the arithmetic is the same, so the results and the work counts must be
 * identical to the bit; with ND4J they agree to 1e-12 relative (rounding of the GEMMs). Members
 * with different parameters take different steps; a failing member is reported and the others
 * finish.
 */
class BatchSolveTest {
  static final String LV = """
      model lv
      param alpha = 1.5 in [0.5, 3]
      param beta = 1.0 in [0.5, 2]
      param delta = 3.0 in [1, 5]
      param gamma = 1.0 in [0.5, 2]
      state prey = 1
      state pred = 1
      d(prey)/dt = alpha*prey - beta*prey*pred
      d(pred)/dt = delta*prey*pred - gamma*pred
      """;

  /** Members with parameters drawn within the bounds (or from N(0, 0.5²) without bounds). */
  static List<double[]> members(OdeSystem sys, int count, long seed) {
    Random rnd = new Random(seed);
    List<double[]> ps = new ArrayList<>();
    for (int m = 0; m < count; m++) {
      Map<String, Double> set = new java.util.HashMap<>();
      for (OdeSystem.ParamInfo info : sys.params()) {
        for (String c : info.var().componentNames()) {
          set.put(c, Double.isNaN(info.lo()) ? 0.5 * rnd.nextGaussian()
              : info.lo() + (info.hi() - info.lo()) * rnd.nextDouble());
        }
      }
      ps.add(Parameters.build(sys, set, seed));
    }
    return ps;
  }

  /**
   * Norm-wise relative agreement, ‖a − b‖∞ ≤ tol · ‖a‖∞ (the state's largest component sets the
   * scale: a component passing near zero carries the rounding of the others).
   */
  static boolean normwiseClose(double[] a, double[] b, double tol) {
    double diff = 0;
    double norm = 0;
    for (int c = 0; c < a.length; c++) {
      diff = Math.max(diff, Math.abs(a[c] - b[c]));
      norm = Math.max(norm, Math.abs(a[c]));
    }
    return diff <= tol * norm;
  }

  static double[] times(double t1, int count) {
    double[] ts = new double[count];
    for (int i = 0; i < count; i++) ts[i] = t1 * (i + 1) / count;
    return ts;
  }

  /** Solves the members in one batch and one by one; compares (exactly when tol is 0). */
  static void compare(OdeSystem sys, BatchBackend batch, Method method, List<double[]> ps, double t1, double tol) {
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    int n = sys.stateSize();
    double[][] y0 = new double[ps.size()][];
    for (int m = 0; m < ps.size(); m++) y0[m] = cm.initialState(ps.get(m));
    double[] saveat = times(t1, 13);
    SolverOptions o = new SolverOptions();
    BatchFunction f = batch.compileBatch(sys.rhs());
    BatchRk.Result res = new BatchRk(method, n).solve(new BatchRhs(f, n, ps), 0.0, y0, saveat, o);
    ExplicitRk single = new ExplicitRk(method, n);
    for (int m = 0; m < ps.size(); m++) {
      Solution want;
      try {
        want = single.solve(cm.rhs(ps.get(m)), 0.0, y0[m], saveat, o);
      } catch (SolverFailure e) {
        assertNotNull(res.failures()[m], "member " + m + " should fail like its single solve: " + e.getMessage());
        // the batch reports the failure itself, without the single solve's per-state diagnosis
        assertEquals(NativeEnsembleTest.withoutDiagnosis(e.getMessage()), res.failures()[m].getMessage());
        continue;
      }
      int mm = m;
      assertNull(res.failures()[m], () -> "member " + mm + " failed: " + res.failures()[mm].getMessage());
      Solution got = res.solutions()[m];
      for (int j = 0; j < saveat.length; j++) {
        if (tol == 0) {
          assertArrayEquals(want.states[j], got.states[j], 0.0, "member " + m + " time " + saveat[j]);
        } else {
          if (!normwiseClose(want.states[j], got.states[j], tol)) {
            fail("member " + m + " time " + saveat[j] + ": single " + Arrays.toString(want.states[j]) + " batched "
                + Arrays.toString(got.states[j]));
          }
        }
      }
      if (tol == 0) {
        assertEquals(want.stats.toString(), got.stats.toString(), "member " + m);
        assertEquals(want.stats.nextStep, got.stats.nextStep);
      }
    }
  }

  @Test
  void jvmRowsAreBitIdenticalToSingleSolves() {
    OdeSystem sys = Models.compile(LV);
    List<double[]> ps = members(sys, 50, 7);
    for (Method m : new Method[] {Method.DOPRI5, Method.TSIT5, Method.BS3}) {
      compare(sys, BatchBackend.rowByRow(new JvmBackend()), m, ps, 10.0, 0.0);
    }
  }

  @Test
  void fixedStepMethodsToo() {
    OdeSystem sys = Models.compile(LV);
    List<double[]> ps = members(sys, 2, 3);
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    SolverOptions o = new SolverOptions();
    o.dt = 0.01;
    double[][] y0 = {cm.initialState(ps.get(0)), cm.initialState(ps.get(1))};
    BatchRk.Result res = new BatchRk(Method.RK4, 2).solve(
        new BatchRhs(BatchBackend.rowByRow(new JvmBackend()).compileBatch(sys.rhs()), 2, ps), 0, y0, times(3, 4), o);
    Solution want = new ExplicitRk(Method.RK4, 2).solve(cm.rhs(ps.get(1)), 0, y0[1], times(3, 4), o);
    assertArrayEquals(want.states[3], res.solutions()[1].states[3], 0.0);
    assertEquals(want.stats.toString(), res.solutions()[1].stats.toString());
  }

  @Test
  void nd4jAgreesWithSingleSolvesOnLotkaVolterra() {
    OdeSystem sys = Models.compile(LV);
    for (int size : new int[] {1, 7, 1000}) {
      compare(sys, new Nd4jBackend(), Method.DOPRI5, members(sys, size, size), 10.0, 1e-12);
    }
  }

  @Test
  void nd4jAgreesOnTheNeuralExampleWithPerMemberWeights() throws Exception {
    Path file = Path.of("examples/neural.ode");
    OdeSystem sys = Models.compile(Files.readString(file), file);
    for (int size : new int[] {1, 7, 1000}) {
      compare(sys, new Nd4jBackend(), Method.DOPRI5, members(sys, size, 11 + size), 5.0, 1e-12);
    }
  }

  @Test
  void nd4jAgreesOnAWideNetworkWithSharedWeightsThroughGemms() {
    // one parameter vector for all rows: every layer is a GEMM over the batch, whose summation
    // order differs from the JVM's loops by rounding; weights small enough that the flow does not
    // amplify rounding by more than about e^(Lipschitz constant · t) ≈ 10 (with N(0, 0.5) and
    // N(0, 0.2) weights it grows by about 10^5 over t = 2, whatever the backend)
    OdeSystem sys = Models.compile("""
        param W1: real[64, 2] ~ normal(0, 0.3)
        param b1: real[64] ~ normal(0, 0.1)
        param W2: real[2, 64] ~ normal(0, 0.05)
        state z: real[2] = [1, 0]
        d(z)/dt = W2 @ tanh(W1 @ z + b1) - 0.1 * z
        """);
    double[] p = Parameters.build(sys, Map.of(), 3);
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    ExplicitRk single = new ExplicitRk(Method.DOPRI5, 2);
    for (int size : new int[] {1, 7, 1000}) {
      Random rnd = new Random(size);
      double[][] y0 = new double[size][];
      for (int m = 0; m < size; m++) y0[m] = new double[] {rnd.nextGaussian(), rnd.nextGaussian()};
      double[] saveat = times(2.0, 5);
      SolverOptions o = new SolverOptions();
      BatchRk.Result res = new BatchRk(Method.DOPRI5, 2).solve(
          new BatchRhs(new Nd4jBackend().compileBatch(sys.rhs()), 2, List.of(p)), 0, y0, saveat, o);
      for (int m = 0; m < size; m++) {
        Solution want = single.solve(cm.rhs(p), 0, y0[m], saveat, o);
        for (int j = 0; j < saveat.length; j++) {
          assertTrue(normwiseClose(want.states[j], res.solutions()[m].states[j], 1e-12), "B=" + size + " member " + m
              + ": " + Arrays.toString(want.states[j]) + " vs " + Arrays.toString(res.solutions()[m].states[j]));
        }
      }
    }
  }

  @Test
  void aFailingMemberIsReportedAndTheOthersFinish() {
    OdeSystem sys = Models.compile("""
        param k = 1
        state x = 1
        d(x)/dt = k * x^2
        """);
    List<double[]> ps = List.of(new double[] {0.1}, new double[] {1.0}, new double[] {0.2});
    double[][] y0 = {{1}, {1}, {1}};
    BatchRk.Result res = new BatchRk(Method.DOPRI5, 1).solve(
        new BatchRhs(new Nd4jBackend().compileBatch(sys.rhs()), 1, ps), 0, y0, times(2, 4), new SolverOptions());
    assertEquals(1, res.failed());
    assertNotNull(res.failures()[1]); // x = 1/(1 - t) blows up at t = 1
    assertTrue(res.failures()[1].time() > 0.99 && res.failures()[1].time() < 1.01, res.failures()[1].getMessage());
    // x = 1/(1 - k t): the others are exact to the tolerance
    assertEquals(1 / (1 - 0.1 * 2), res.solutions()[0].states[3][0], 1e-5);
    assertEquals(1 / (1 - 0.2 * 2), res.solutions()[2].states[3][0], 1e-5);
    compare(sys, BatchBackend.rowByRow(new JvmBackend()), Method.DOPRI5, ps, 2.0, 0.0);
  }
}
