package dev.odec.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.codegen.BatchBackend;
import dev.odec.codegen.CompiledFunction;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.codegen.nd4j.Nd4jBackend;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Models;
import dev.odec.solve.Method;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverOptions;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Continuous normalizing flows: the log-density of a linear flow against its closed form, the
 * generated trace against finite differences of the right-hand side, Hutchinson's estimator's mean
 * in a seeded statistical test, sampling and density as inverses, and the errors.
 */
class FlowTest {
  static final String LINEAR = """
      model linear_flow
      param A: real[2, 2] = [[-0.3, 0.8], [-0.5, 0.2]]
      state x: real[2]
      flow x ~ normal(0.5, 1.5)
      d(x)/dt = A @ x
      """;

  static final String MLP = """
      model mlp_flow
      import nn
      param W1: real[6, 2] = [[0.9, -0.4], [0.3, 0.8], [-0.7, 0.5], [0.2, -1.1], [1.3, 0.6], [-0.5, -0.9]]
      param b1: real[6] = [0.1, -0.2, 0.3, 0.0, -0.1, 0.2]
      param W2: real[2, 6] = [[0.5, -0.3, 0.8, 0.1, -0.6, 0.4], [-0.2, 0.7, 0.3, -0.9, 0.2, 0.5]]
      param b2: real[2] = [0.05, -0.05]
      state x: real[2]
      flow x ~ normal(0, 1)
      d(x)/dt = dense(W2, b2, dense_tanh(W1, b1, x)) + 0.1 * t * x
      """;

  static SolverOptions tight() {
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-11;
    o.atol = 1e-12;
    return o;
  }

  /** expm(M) by its Taylor series (M small). */
  static double[] expm2(double[] m) {
    double[] r = {1, 0, 0, 1};
    double[] term = {1, 0, 0, 1};
    for (int k = 1; k < 40; k++) {
      double[] nt = {
        (term[0] * m[0] + term[1] * m[2]) / k, (term[0] * m[1] + term[1] * m[3]) / k,
        (term[2] * m[0] + term[3] * m[2]) / k, (term[2] * m[1] + term[3] * m[3]) / k};
      term = nt;
      for (int i = 0; i < 4; i++) r[i] += term[i];
    }
    return r;
  }

  @Test
  void linearFlowMatchesTheClosedForm() {
    OdeSystem sys = Models.compile(LINEAR);
    double[] p = Parameters.build(sys, Map.of(), 1);
    double[] a = {-0.3, 0.8, -0.5, 0.2};
    double t1 = 1.7;
    double[] e = expm2(new double[] {a[0] * t1, a[1] * t1, a[2] * t1, a[3] * t1});
    Random rnd = new Random(3);
    int count = 7;
    double[][] x0 = new double[count][];
    double[][] xT = new double[count][];
    for (int m = 0; m < count; m++) {
      x0[m] = new double[] {0.5 + 1.5 * rnd.nextGaussian(), 0.5 + 1.5 * rnd.nextGaussian()};
      xT[m] = new double[] {e[0] * x0[m][0] + e[1] * x0[m][1], e[2] * x0[m][0] + e[3] * x0[m][1]};
    }
    for (BatchBackend backend : new BatchBackend[] {BatchBackend.rowByRow(new JvmBackend()), new Nd4jBackend()}) {
      Flow flow = Flow.of(sys, Flow.TraceKind.EXACT, "density");
      SolverFailure[] failures = new SolverFailure[count];
      double[] logp = flow.density(xT, 0, t1, p, backend, Method.DOPRI5, tight(), 1, failures);
      for (int m = 0; m < count; m++) {
        assertNull(failures[m]);
        // log p_T(x_T) = log p_0(x_0) − t·tr A
        double want = flow.baseLogDensity(x0[m], p) - t1 * (a[0] + a[3]);
        assertEquals(want, logp[m], 1e-8, backend.name() + " point " + m);
      }
    }
  }

  @Test
  void exactTraceEqualsTheTraceOfTheFiniteDifferenceJacobian() {
    OdeSystem sys = Models.compile(MLP);
    double[] p = Parameters.build(sys, Map.of(), 1);
    Flow flow = Flow.of(sys, Flow.TraceKind.EXACT, "density");
    CompiledFunction aug = new Interpreter().compile(flow.augmented());
    CompiledFunction rhs = new Interpreter().compile(sys.rhs());
    Random rnd = new Random(5);
    for (int k = 0; k < 20; k++) {
      double t = rnd.nextDouble();
      double[] x = {2 * rnd.nextGaussian(), 2 * rnd.nextGaussian()};
      double[] out = new double[3];
      aug.eval(t, new double[] {x[0], x[1], 0}, p, out);
      double fd = 0;
      double h = 1e-5;
      for (int i = 0; i < 2; i++) {
        double[] fp = new double[2];
        double[] fm = new double[2];
        double[] xp = x.clone();
        double[] xm = x.clone();
        xp[i] += h;
        xm[i] -= h;
        rhs.eval(t, xp, p, fp);
        rhs.eval(t, xm, p, fm);
        fd += (fp[i] - fm[i]) / (2 * h);
      }
      assertEquals(fd, -out[2], 1e-8, "point " + k);
    }
  }

  @Test
  void theExactTraceGraphIsTheDiagonalNotTheJacobian() {
    // a wide layer: the full Jacobian's graph grows with d² · H, the diagonal's with d · H
    OdeSystem sys = Models.compile("""
        param W1: real[64, 4] ~ normal(0, 0.5)
        param W2: real[4, 64] ~ normal(0, 0.5)
        state x: real[4]
        flow x ~ normal(0, 1)
        d(x)/dt = W2 @ tanh(W1 @ x)
        """);
    Flow flow = Flow.of(sys, Flow.TraceKind.EXACT, "density");
    dev.odec.ir.Node tr = flow.augmented().outputs().get(1);
    long matmuls = new dev.odec.ir.IrFunction("tr", java.util.List.of(tr), 5, sys.paramSize()).schedule().stream()
        .filter(n -> n.op == dev.odec.ir.Op.MATMUL).count();
    // W1 @ x, and W1 @ e_i for the tangent along each of the 4 directions; the output layer is
    // reduced to one dot product per diagonal entry (no W2 @ column products)
    assertTrue(matmuls <= 5, "matmuls in the trace: " + matmuls);
  }

  @Test
  void hutchinsonIsUnbiased() {
    OdeSystem sys = Models.compile(MLP);
    double[] p = Parameters.build(sys, Map.of(), 1);
    CompiledFunction exact = new JvmBackend().compile(Flow.of(sys, Flow.TraceKind.EXACT, "density").augmented());
    for (Flow.TraceKind kind : new Flow.TraceKind[] {Flow.TraceKind.RADEMACHER, Flow.TraceKind.GAUSSIAN}) {
      CompiledFunction est = new JvmBackend().compile(Flow.of(sys, kind, "density").augmented());
      Random rnd = new Random(17);
      double[] x = {0.7, -1.2};
      double[] out = new double[3];
      exact.eval(0.3, new double[] {x[0], x[1], 0}, p, out);
      double want = out[2];
      int draws = 10_000;
      double sum = 0;
      double sumSq = 0;
      double[] o5 = new double[5];
      for (int k = 0; k < draws; k++) {
        double e1 = kind == Flow.TraceKind.GAUSSIAN ? rnd.nextGaussian() : rnd.nextBoolean() ? 1 : -1;
        double e2 = kind == Flow.TraceKind.GAUSSIAN ? rnd.nextGaussian() : rnd.nextBoolean() ? 1 : -1;
        est.eval(0.3, new double[] {x[0], x[1], 0, e1, e2}, p, o5);
        sum += o5[2];
        sumSq += o5[2] * o5[2];
      }
      double mean = sum / draws;
      double se = Math.sqrt((sumSq / draws - mean * mean) / draws);
      assertTrue(se > 0, "the estimator varies");
      assertTrue(Math.abs(mean - want) < 3 * se, kind + ": mean " + mean + " exact " + want + " se " + se);
    }
  }

  @Test
  void generatedPointsHaveTheDensityThatDensityComputes() {
    OdeSystem sys = Models.compile(MLP);
    double[] p = Parameters.build(sys, Map.of(), 1);
    Flow flow = Flow.of(sys, Flow.TraceKind.EXACT, "generate");
    int count = 25;
    SolverFailure[] failures = new SolverFailure[count];
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-10;
    o.atol = 1e-10;
    BatchBackend jvm = BatchBackend.rowByRow(new JvmBackend());
    double[][] gen = flow.generate(count, 0, 1.2, p, jvm, Method.DOPRI5, o, 9, failures);
    double[][] pts = new double[count][];
    for (int m = 0; m < count; m++) pts[m] = new double[] {gen[m][0], gen[m][1]};
    double[] logp = flow.density(pts, 0, 1.2, p, jvm, Method.TSIT5, o, 1, failures);
    for (int m = 0; m < count; m++) assertEquals(gen[m][2], logp[m], 1e-7, "point " + m);
  }

  @Test
  void errors() {
    OdeSystem none = Models.compile("state x = 1\nd(x)/dt = -x\n");
    InputError e = assertThrows(InputError.class, () -> Flow.of(none, Flow.TraceKind.EXACT, "density"));
    assertEquals(InputError.Kind.USAGE, e.kind());
    assertTrue(e.getMessage().contains("flow statement"), e.getMessage());
    OdeSystem relu = Models.compile("""
        param W: real[2, 2] = [[1, 0], [0, 1]]
        state x: real[2]
        flow x ~ normal(0, 1)
        d(x)/dt = relu(W @ x)
        """);
    e = assertThrows(InputError.class, () -> Flow.of(relu, Flow.TraceKind.EXACT, "density"));
    assertEquals(InputError.Kind.INPUT, e.kind());
    assertTrue(e.getMessage().contains(":4:") && e.getMessage().contains("relu"), e.getMessage());
  }
}
