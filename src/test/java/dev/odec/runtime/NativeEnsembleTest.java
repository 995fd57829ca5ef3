package dev.odec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.codegen.c.CHarness;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.OdeSystem;
import dev.odec.sema.Frontend;
import dev.odec.solve.Method;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.StiffTestSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated C solvers against the JVM's, member by member: trajectories to 1e-10 relative (to
 * the size of the state at each output time) and
 * identical work counters (nfe, steps, rejected, Jacobians, LUs) for the explicit methods on the
 * non-stiff examples and for rodas5 on the stiff ones; failures flagged per member with the JVM's
 * words; the auto solver switching to rodas5. Skipped where no C compiler is installed.
 */
class NativeEnsembleTest {
  private static final double RTOL = 1e-10;

  private static OdeSystem load(Path model) {
    Frontend.Result r = Frontend.compile(model);
    assertTrue(r.ok(), model + " compiles");
    return r.system();
  }

  private static NativeEnsemble c(OdeSystem sys, Method method, StringWriter notes) {
    return new NativeEnsemble(sys, method, CHarness.cc(), NativeCache.at(CHarness.CACHE), new PrintWriter(notes));
  }

  private static double[] linspace(double a, double b, int n) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) t[i] = a + (b - a) * i / (n - 1);
    t[n - 1] = b;
    return t;
  }

  /** Members: the params drawn from priors or bounds, or (without params) the first const scaled by 0.98, 1, 1.02. */
  private static Ensemble members(CompiledModel cm) {
    OdeSystem sys = cm.system();
    if (!sys.params().isEmpty()) return Ensemble.sample(cm, 4, Map.of(), 7);
    List<Map<String, Double>> rows = new ArrayList<>();
    List<String> origins = new ArrayList<>();
    double[] p = Parameters.build(sys, Map.of(), 1);
    OdeSystem.Var k = sys.consts().stream().filter(v -> v.shape().isScalar()).findFirst().orElseThrow();
    for (double f : new double[] {1.0, 0.98, 1.02}) {
      Map<String, Double> row = new LinkedHashMap<>();
      row.put(k.name(), p[k.offset()] * f);
      rows.add(row);
      origins.add("member " + (rows.size()));
    }
    return Ensemble.ofRows(cm, rows, origins, Map.of(), 1);
  }

  /** Solves on the JVM and in C and asserts the same outcome member by member; returns the C solution. */
  private static EnsembleSolution assertAgree(Path model, Method method, SolverOptions o, double t1, int outputs) {
    return assertAgree(model, method, o, t1, outputs, 0.0);
  }

  /**
   * As above, values also accepted where they differ by at most {@code absFloor} (for E5, whose
   * species near 1e-20 carry a one-ulp difference of libm's pow in the step-size controller as a few
   * units of its absolute tolerance 1.7e-24).
   */
  private static EnsembleSolution assertAgree(Path model, Method method, SolverOptions o, double t1, int outputs,
      double absFloor) {
    OdeSystem sys = load(model);
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    Ensemble e = members(cm);
    double[] saveat = linspace(0, t1, outputs);
    EnsembleSolution jvm = new JvmEnsemble(cm, method).solve(e, 0, saveat, o, 0);
    EnsembleSolution c = c(sys, method, new StringWriter()).solve(e, 0, saveat, o, 0);
    String what = model.getFileName() + " with " + (method == null ? "auto" : method.text);
    int bitwise = 0;
    for (int m = 0; m < e.size(); m++) {
      SolverFailure fj = jvm.failures()[m];
      SolverFailure fc = c.failures()[m];
      assertEquals(fj == null ? null : withoutDiagnosis(fj.getMessage()), fc == null ? null : fc.getMessage(),
          what + " member " + (m + 1));
      if (fj != null) continue;
      var sj = jvm.stats()[m];
      var sc = c.stats()[m];
      assertEquals(sj.toString(), sc.toString(), what + " member " + (m + 1) + ": work");
      for (int j = 0; j < saveat.length; j++) {
        double norm = 0;
        for (int k = 0; k < sys.stateSize(); k++) norm = Math.max(norm, Math.abs(jvm.state(m, j, k)));
        for (int k = 0; k < sys.stateSize(); k++) {
          double a = jvm.state(m, j, k);
          double b = c.state(m, j, k);
          bitwise += Double.doubleToLongBits(a) == Double.doubleToLongBits(b) ? 1 : 0;
          // relative to the state's size: libm's pow (in the step-size controller) differs from Java's in the last
          // bit for about 1 in 1000 arguments, and a component far below the others (Robertson's A near 1e-7
          // beside C near 1) carries that rounding of the step size at the others' scale
          double scale = Math.max(Math.max(Math.abs(a), Math.abs(b)), norm);
          if (!(Math.abs(a - b) <= RTOL * scale) && !(Math.abs(a - b) <= absFloor)) {
            fail(what + " member " + (m + 1) + " at t = " + saveat[j] + ", component " + (k + 1) + ": jvm " + a + ", c " + b);
          }
        }
      }
    }
    System.out.printf("%s: %d members, %d of %d values bit-identical%n", what, e.size(), bitwise,
        e.size() * saveat.length * sys.stateSize());
    return c;
  }

  private static SolverOptions options(double rtol, double atol) {
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    o.atol = atol;
    o.stiffAfter = 500;
    return o;
  }

  /**
   * A JVM failure message without the clauses of AtolAdvice (which state limited the last step,
   * which states stayed below their atol): the generated solvers report the failure itself only.
   */
  static String withoutDiagnosis(String message) {
    return message.replaceAll("; the error of state component \\d+ limits the step", "")
        .replaceAll("; [^;]*not risen above the absolute tolerance[^;]*", "");
  }

  @Test
  void explicitMethodsReproduceTheJvmOnTheNonStiffExamples() {
    CHarness.cc();
    SolverOptions o = options(1e-6, 1e-8);
    for (Method m : List.of(Method.DOPRI5, Method.TSIT5, Method.BS3, Method.DOP853)) {
      assertAgree(Path.of("examples/lotka_volterra.ode"), m, o, 10, 21);
    }
    assertAgree(Path.of("examples/sir.ode"), Method.TSIT5, o, 160, 17);
    assertAgree(Path.of("examples/pendulum.ode"), Method.DOPRI5, o, 10, 11);
    assertAgree(Path.of("examples/lorenz.ode"), Method.TSIT5, options(1e-8, 1e-10), 3, 7);
    assertAgree(Path.of("examples/neural.ode"), Method.DOPRI5, o, 10, 11);
    assertAgree(Path.of("examples/enzyme.ode"), Method.TSIT5, o, 100, 11);
  }

  @Test
  void fixedStepsReproduceTheJvm() {
    CHarness.cc();
    SolverOptions o = options(1e-6, 1e-8);
    o.dt = 0.01;
    assertAgree(Path.of("examples/lotka_volterra.ode"), Method.RK4, o, 3, 4);
  }

  @Test
  void rodas5ReproducesTheJvmOnTheStiffTestSet() {
    CHarness.cc();
    for (StiffTestSet.Problem pr : StiffTestSet.all()) {
      // the test set's tolerances loosened from rtol 1e-10 to 1e-6 (E5's atol is absolute)
      double atol = pr.name().equals("e5") ? pr.atol() : pr.atol() * 1e4;
      EnsembleSolution c = assertAgree(pr.model(), Method.RODAS5, options(1e-6, atol), pr.tEnd(), 5,
          pr.name().equals("e5") ? 100 * atol : 0.0);
      for (var st : c.stats()) assertTrue(st.jacobians > 0 && st.lu >= st.steps, pr.name() + ": " + st);
    }
  }

  @Test
  void autoSwitchesToRodas5WhereTheProblemIsStiff() {
    CHarness.cc();
    OdeSystem sys = load(Path.of("examples/stiff/robertson.ode"));
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    Ensemble e = members(cm);
    double[] saveat = {0, 1, 100, 1e4, 1e5};
    SolverOptions o = options(1e-8, 1e-14);
    EnsembleSolution auto = c(sys, null, new StringWriter()).solve(e, 0, saveat, o, 0);
    EnsembleSolution rodas = c(sys, Method.RODAS5, new StringWriter()).solve(e, 0, saveat, o, 0);
    EnsembleSolution bdf = new JvmEnsemble(cm, null).solve(e, 0, saveat, o, 0);
    for (int m = 0; m < e.size(); m++) {
      assertNull(auto.failures()[m]);
      assertEquals(1, auto.stats()[m].switches, "member " + (m + 1) + " switched once");
      assertTrue(auto.stats()[m].jacobians > 0);
      for (int j = 0; j < saveat.length; j++) {
        for (int k = 0; k < 3; k++) {
          // tsit5 then rodas5 against rodas5 alone and the JVM's tsit5 then bdf: the same solution to the tolerance
          double a = auto.state(m, j, k);
          for (EnsembleSolution other : List.of(rodas, bdf)) {
            double b = other.state(m, j, k);
            assertTrue(Math.abs(a - b) <= 1e-5 * Math.abs(b) + 1e-12, "member " + (m + 1) + " t = " + saveat[j] + ": " + a + " vs " + b);
          }
        }
      }
    }
  }

  @Test
  void aMemberThatFailsIsFlaggedAndTheOthersGoOn(@TempDir Path dir) throws IOException {
    CHarness.cc();
    Path model = dir.resolve("blowup.ode");
    // x' = a x^2, x(0) = 1 blows up at t = 1/a: within [0, 2] only for a > 1/2
    Files.writeString(model, "model blowup\nparam a = 0.1\nstate x = 1\nd(x)/dt = a * x^2\n");
    OdeSystem sys = load(model);
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    List<Map<String, Double>> rows = List.of(Map.of("a", 0.1), Map.of("a", 1.0), Map.of("a", 0.3));
    Ensemble e = Ensemble.ofRows(cm, rows, List.of("row 1", "row 2", "row 3"), Map.of(), 1);
    double[] saveat = linspace(0, 2, 5);
    for (Method m : new Method[] {Method.TSIT5, Method.RODAS5}) {
      SolverOptions o = options(1e-6, 1e-8);
      EnsembleSolution jvm = new JvmEnsemble(cm, m).solve(e, 0, saveat, o, 0);
      EnsembleSolution c = c(sys, m, new StringWriter()).solve(e, 0, saveat, o, 0);
      assertEquals(1, c.failed(), m.text);
      assertNotNull(c.failures()[1]);
      assertEquals(withoutDiagnosis(jvm.failures()[1].getMessage()), c.failures()[1].getMessage(), m.text);
      assertTrue(Double.isNaN(c.state(1, 4, 0)), "the failed member's rows are NaN");
      // the survivors: x(t) = 1 / (1 - a t)
      for (int member : new int[] {0, 2}) {
        double a = member == 0 ? 0.1 : 0.3;
        assertEquals(1 / (1 - 2 * a), c.state(member, 4, 0), 1e-5, m.text + " member " + (member + 1));
      }
    }
  }

  @Test
  void theProgramIsCompiledOnceAndKeptInTheCache(@TempDir Path dir) {
    CHarness.cc();
    OdeSystem sys = load(Path.of("examples/lotka_volterra.ode"));
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    NativeCache cache = NativeCache.at(dir.resolve("cache"));
    NativeEnsemble runner = new NativeEnsemble(sys, Method.TSIT5, CHarness.cc(), cache, new PrintWriter(new StringWriter()));
    Path first = cache.binary(runner.source(), CHarness.cc());
    Ensemble e = Ensemble.sample(cm, 2, Map.of("alpha", 1.2), 3);
    runner.solve(e, 0, new double[] {0, 1}, options(1e-6, 1e-8), 0);
    Path again = cache.binary(runner.source(), CHarness.cc());
    assertEquals(first, again);
    assertTrue(Files.isRegularFile(first.resolveSibling("model.c")), "the source is kept beside the binary");
    try (var s = Files.list(first.getParent())) {
      assertEquals(List.of("model", "model.c"), s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
    } catch (IOException x) {
      throw new RuntimeException(x);
    }
  }
}
