package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.LazyJacobian;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The failure messages of the adaptive solvers say where (model time), which state limited the
 * step (as "state component N", which the CLI replaces with its name), why, and what to try —
 * including a tolerance of their own for states that never rose above the absolute tolerance.
 */
class FailureMessagesTest {
  private static SolverFailure fail(String model, Method method, SolverOptions o, double t1) {
    Frontend.Result r = Frontend.compile(Path.of(model));
    assertTrue(r.ok(), model);
    OdeSystem sys = r.system();
    double[] p = Parameters.build(sys, Map.of(), 1);
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    Integrator in = Integrator.of(method, sys.stateSize(), new LazyJacobian(() -> cm.jacobian(p)));
    return assertThrows(SolverFailure.class,
        () -> new HybridSolver(in, cm.hybrid(), sys.stateSize()).solve(cm.rhs(p), p, 0, cm.initialState(p),
            new double[] {t1}, o, null, null, null));
  }

  /**
   * E5 (IVP Test Set) at the default atol 1e-8: three species stay below 2e-10; rodas5's solution of
   * them drifts, goes negative, and its step size collapses at t ≈ 7e7. The message names the state
   * whose error limited the step and the species that never reached the absolute tolerance, with
   * a tolerance for them that resolves them.
   */
  @Test
  void aStepThatCollapsesNamesTheLimitingStateAndTheStatesBelowAtol() {
    SolverFailure e = fail("examples/stiff/e5.ode", Method.RODAS5, new SolverOptions(), 1e13);
    assertEquals(SolverFailure.Reason.STEP_SIZE_UNDERFLOW, e.reason());
    String m = e.getMessage();
    assertTrue(m.startsWith("step size fell below ") && m.contains(" at t = 6.85"), m);
    assertTrue(m.contains("; the error of state component 2 limits the step"), m);
    assertTrue(m.contains("state component 4 has not risen above the absolute tolerance so far (largest |y| "), m);
    assertTrue(m.contains("give it a tolerance of its own, e.g. --atol 1e-8,NAME=1e-13"), m);
  }

  /** The step budget running out names the state whose error limits the step, for every solver. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tsit5", "bdf", "rodas5"})
  void runningOutOfStepsNamesTheLimitingState(String method) {
    SolverOptions o = new SolverOptions();
    o.maxSteps = 30;
    SolverFailure e = fail("examples/stiff/robertson.ode", Method.byName(method), o, 1e5);
    assertEquals(SolverFailure.Reason.MAX_STEPS, e.reason());
    String m = e.getMessage();
    assertTrue(m.matches("gave up after 30 steps at t = [^ ]+ \\(of 100000\\); the error of state component [123] limits "
        + "the step(; .*)?; raise --max-steps or loosen --rtol"), m);
  }
}
