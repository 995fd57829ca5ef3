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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two published signalling models, translated by hand from their PEtab SBML files into
 * {@code src/test/resources/models/} (Fujita et al. 2010: 9 states, EGFR ≈ 4e7 next to species of
 * 1e-3, rate constants from 3e-6 to 6e4, a piecewise input; Boehm et al. 2014: 8 states in two
 * compartments of different volumes), checked against an independent scipy solve and solved by
 * every stiff path: {@code auto} must detect the stiffness, never fail where bdf and rodas5
 * succeed, and cost at most 1.5 times what bdf costs.
 */
class RealModelsTest {
  private static final Path DIR = Path.of("src/test/resources/models");

  /** The PEtab conditions of Fujita's model used here: EGF_0, EGF_rate, EGF_end. */
  private static final Map<String, double[]> FUJITA = new LinkedHashMap<>();

  static {
    FUJITA.put("step_00_1", new double[] {0.1, 0, 3600});
    FUJITA.put("step_01_0", new double[] {1, 0, 3600});
    FUJITA.put("step_10_0", new double[] {10, 0, 3600});
    FUJITA.put("step_30_0", new double[] {30, 0, 3600});
    FUJITA.put("pulse_10_0", new double[] {10, 0, 60});
    FUJITA.put("ramp_8_3e-6", new double[] {0, 8.333333333333334e-06, 3600});
    FUJITA.put("ramp_8_3e-3", new double[] {0, 0.008333333333333333, 3600});
  }

  private static final double[] FUJITA_TIMES = {60, 120, 300, 600, 900, 1800, 3600};
  private static final double[] BOEHM_TIMES = {2.5, 5, 10, 20, 40, 60, 100, 160, 240};

  /** One compiled model at one condition. */
  private record Case(String model, String condition, OdeSystem sys, CompiledModel cm, double[] p, double[] times) {
    @Override
    public String toString() {
      return model + " " + condition;
    }

    Solution solve(Method method, double rtol, double atol) {
      return solve(method, rtol, atol, times);
    }

    /** Through the model's switches (Fujita's input EGF is piecewise in t), as odec run solves. */
    Solution solve(Method method, double rtol, double atol, double[] at) {
      SolverOptions o = new SolverOptions();
      o.rtol = rtol;
      o.atol = atol;
      return solve(method, o, 0.0, at);
    }

    Solution solve(Method method, SolverOptions o, double t0, double[] at) {
      Integrator in = Integrator.of(method, sys.stateSize(), new LazyJacobian(() -> cm.jacobian(p)));
      return new HybridSolver(in, cm.hybrid(), sys.stateSize()).solve(cm.rhs(p), p, t0, cm.initialState(p), at, o,
          null, null, null);
    }
  }

  private static final Map<String, Case> CASES = new TreeMap<>();

  private static synchronized Case load(String model, String condition) {
    return CASES.computeIfAbsent(model + "/" + condition, key -> {
      Frontend.Result r = Frontend.compile(DIR.resolve(model + ".ode"));
      assertTrue(r.ok(), model + ": " + r.diagnostics().sorted());
      OdeSystem sys = r.system();
      Map<String, Double> set = new LinkedHashMap<>();
      double[] times = BOEHM_TIMES;
      if (model.equals("fujita")) {
        double[] c = FUJITA.get(condition);
        set.put("EGF_0", c[0]);
        set.put("EGF_rate", c[1]);
        set.put("EGF_end", c[2]);
        times = FUJITA_TIMES;
      }
      double[] p = Parameters.build(sys, set, 1);
      return new Case(model, condition, sys, new CompiledModel(sys, new JvmBackend()), p, times);
    });
  }

  static Stream<Case> models() {
    List<Case> all = new ArrayList<>();
    for (String c : FUJITA.keySet()) all.add(load("fujita", c));
    all.add(load("boehm", "model1_data1"));
    return all.stream();
  }

  // -----------------------------------------------------------------------------------------------
  // The translations

  /**
   * Every value of {@code scipy_reference.csv} (scipy Radau at rtol 1e-12, agreeing with LSODA to
   * 4e-9; written by {@code scipy_reference.py} from the SBML equations typed in again) is matched
   * to 1e-6 relative by bdf and rodas5 at rtol 1e-10 (to 1e-12 absolute for the species that have
   * decayed to nothing).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void theTranslationsMatchAnIndependentScipySolve(Method method) throws IOException {
    Map<String, Map<Double, Map<String, Double>>> ref = readReference();
    int checked = 0;
    for (Map.Entry<String, Map<Double, Map<String, Double>>> e : ref.entrySet()) {
      String[] key = e.getKey().split("/");
      Case c = load(key[0], key[1]);
      double[] times = e.getValue().keySet().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      Solution s = c.solve(method, 1e-10, 1e-14, times);
      List<String> names = c.sys.stateComponentNames();
      for (int i = 0; i < times.length; i++) {
        for (Map.Entry<String, Double> v : e.getValue().get(times[i]).entrySet()) {
          double want = v.getValue();
          double got = s.states[i][names.indexOf(v.getKey())];
          String what = c + " " + v.getKey() + " at t = " + times[i];
          assertEquals(want, got, 1e-6 * Math.abs(want) + 1e-12, what);
          checked++;
        }
      }
    }
    assertEquals(4 * 4 * 9 + 4 * 8, checked, "every reference value (4 Fujita conditions at 4 times, Boehm at 4)");
  }

  static Stream<Method> methods() {
    return Stream.of(Method.BDF, Method.RODAS5);
  }

  /** model/condition → time → state → value. */
  private static Map<String, Map<Double, Map<String, Double>>> readReference() {
    Map<String, Map<Double, Map<String, Double>>> out = new TreeMap<>();
    try {
      for (String line : Files.readAllLines(DIR.resolve("scipy_reference.csv"))) {
        if (line.startsWith("#") || line.startsWith("model,")) continue;
        String[] f = line.split(",");
        String condition = f[0].equals("fujita") ? f[1] : "model1_data1";
        if (f[0].equals("fujita") && !FUJITA.containsKey(condition)) {
          throw new IllegalStateException("scipy_reference.csv: condition " + condition + " is not in the test");
        }
        out.computeIfAbsent(f[0] + "/" + condition, k -> new TreeMap<>())
            .computeIfAbsent(Double.parseDouble(f[2]), k -> new LinkedHashMap<>())
            .put(f[3], Double.parseDouble(f[4]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  // -----------------------------------------------------------------------------------------------
  // Stiffness detection and auto

  /**
   * Tsit5 finds Fujita's model stiff within its first hundredth of a second. With Hairer's plain
   * Euclidean norms the estimate saw only EGFR (3.75e7, slow) and never the fast pEGFR–Akt binding,
   * so auto gave up after 100,000 explicit steps at t ≈ 5.7 (EGF_0 ≥ 10, and every condition at
   * rtol 1e-10).
   */
  @ParameterizedTest(name = "{0} rtol {1}")
  @MethodSource("fujitaTolerances")
  void tsit5DetectsTheStiffnessOfFujitasModel(String condition, double rtol) {
    Case c = load("fujita", condition);
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    o.atol = rtol * 1e-2;
    o.stiffAfter = AutoIntegrator.STIFF_AFTER;
    StiffnessDetected e = assertThrows(StiffnessDetected.class, () -> c.solve(Method.TSIT5, o, 0, new double[] {3600}));
    assertTrue(e.stabilityLimited());
    assertTrue(e.time() < 0.01, "detected at t = " + e.time());
    assertTrue(e.stats().steps <= 50, e.stats().toString());
  }

  static Stream<Arguments> fujitaTolerances() {
    return Stream.of("step_00_1", "step_30_0", "ramp_8_3e-3")
        .flatMap(c -> Stream.of(Arguments.of(c, 1e-6), Arguments.of(c, 1e-10)));
  }

  /**
   * auto against bdf (the method it switches to) and rodas5 at the measurement times: it switches,
   * and its evaluations of f, Jacobians and factorisations are at most 1.5 times bdf's (plus a few
   * for the restart). Before: at rtol 1e-10, 45,350 explicit steps on Boehm's model (270,000
   * evaluations against bdf's 3,763) and 100,000 on Fujita's before giving up.
   */
  @ParameterizedTest(name = "{0} rtol {1}")
  @MethodSource("autoCases")
  void autoCostsAtMostOneAndAHalfTimesBdf(Case c, double rtol) {
    double atol = rtol * 1e-2;
    Solution bdf = c.solve(Method.BDF, rtol, atol);
    Solution rodas = c.solve(Method.RODAS5, rtol, atol);
    Solution auto = c.solve(null, rtol, atol);
    System.out.printf(Locale.ROOT, "%-22s rtol %.0e  auto %s%n%33s bdf  %s%n%33s rodas5 %s%n", c, rtol, auto.stats, "",
        bdf.stats, "", rodas.stats);
    assertAtMostOneAndAHalfTimesBdf(c + " rtol " + rtol, auto.stats, bdf.stats);
  }

  static Stream<Arguments> autoCases() {
    return models().flatMap(c -> Stream.of(1e-6, 1e-8, 1e-10).map(r -> Arguments.of(c, r)));
  }

  /**
   * A solve that starts long before the measurements, with an atol far below the species that
   * start at zero: Hairer's first step (0.01 |y0|/|f0| times 100) came out at 4e-13, below what
   * t = −1000 resolves, and every solver failed before its first step. The first step is now at
   * least 100 units of rounding of t, and each solver ends where the solve from the same state
   * started at t = 0 ends (the model is autonomous while EGF is on).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("everyAdaptive")
  void aSolveStartsLongBeforeTheData(String method) {
    Case c = load("fujita", "step_30_0");
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-6;
    o.atol = 1e-12;
    o.maxSteps = 1_000_000;
    Method m = Method.byName(method);
    Solution early = c.solve(m, o, -1000, new double[] {0});
    Solution shifted = c.solve(m, o, 0, new double[] {1000});
    for (int i = 0; i < 9; i++) {
      assertEquals(shifted.states[0][i], early.states[0][i], 1e-4 * Math.abs(shifted.states[0][i]) + 1e-10, method + " " + i);
    }
  }

  static Stream<String> everyAdaptive() {
    return Stream.of("bdf", "rodas5", "auto");
  }

  /** The work bound auto keeps against bdf (shared with the stiff test set's test). */
  static void assertAtMostOneAndAHalfTimesBdf(String what, Stats auto, Stats bdf) {
    assertEquals(1, auto.switches, what + ": auto should switch to bdf");
    assertTrue(auto.nfe <= 1.5 * bdf.nfe, what + ": nfe " + auto.nfe + " against bdf's " + bdf.nfe);
    assertTrue(auto.jacobians <= 1.5 * bdf.jacobians + 2, what + ": Jacobians " + auto.jacobians + " against " + bdf.jacobians);
    assertTrue(auto.lu <= 1.5 * bdf.lu + 10, what + ": LUs " + auto.lu + " against " + bdf.lu);
  }
}
