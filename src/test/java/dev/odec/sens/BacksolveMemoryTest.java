package dev.odec.sens;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.infer.DataSet;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Models;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training a neural ODE through the generated adjoint takes memory independent of the number of
 * steps (Chen et al.'s backsolve): the bytes one gradient allocates stay the same when the
 * trajectory is ten times longer (ten times the steps), while the interpolating adjoint, which
 * keeps the forward solution, grows with it.
 */
class BacksolveMemoryTest {
  static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @TempDir Path dir;

  record Cost(long bytes, long nfe) {}

  Cost gradient(ContinuousAdjoint method, double t1) throws Exception {
    OdeSystem sys = Models.compile("""
        param W1: real[16, 2] ~ normal(0, 0.5)
        param b1: real[16] ~ normal(0, 0.1)
        param W2: real[2, 16] ~ normal(0, 0.3)
        state z: real[2] = [1, 0]
        d(z)/dt = [[-0.01, 2], [-2, -0.01]] @ z + 0.1 * W2 @ tanh(W1 @ z + b1)
        observe zobs ~ normal(z, 0.1)
        """);
    Path data = dir.resolve("d" + t1 + ".csv");
    Files.writeString(data, "time,zobs[1],zobs[2]\n" + t1 + ",0.3,-0.2\n");
    DataSet ds = DataSet.read(data, GradientProblem.observationColumns(sys), GradientProblem.rateColumns(sys));
    double[] p = Parameters.build(sys, Map.of(), 4);
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-8;
    o.atol = 1e-10;
    GradientProblem pr = new GradientProblem(new GradientModel(sys, new JvmBackend()), ds, null, p, 0.0, t1,
        Method.DOPRI5, o);
    method.compute(pr); // warm-up: class loading and first-use allocations
    long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    GradientResult r = method.compute(pr);
    long bytes = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    return new Cost(bytes, r.nfeForward + r.nfeBackward);
  }

  @Test
  void backsolveMemoryDoesNotGrowWithTheNumberOfSteps() throws Exception {
    Cost shortRun = gradient(new BacksolveAdjoint(), 5);
    Cost longRun = gradient(new BacksolveAdjoint(), 50);
    assertTrue(longRun.nfe() > 5 * shortRun.nfe(), "ten times the time span, many more steps: " + shortRun + " "
        + longRun);
    assertTrue(longRun.bytes() < 1.2 * shortRun.bytes() + 20_000, "backsolve: " + shortRun + " -> " + longRun);
    Cost interpShort = gradient(new CheckpointedAdjoint(), 5);
    Cost interpLong = gradient(new CheckpointedAdjoint(), 50);
    assertTrue(interpLong.bytes() > 3 * interpShort.bytes(), "the interpolating adjoint stores the forward solution: "
        + interpShort + " -> " + interpLong);
  }
}
