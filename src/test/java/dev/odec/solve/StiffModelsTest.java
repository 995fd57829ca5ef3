package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.codegen.CompiledFunction;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.diag.Diagnostic;
import dev.odec.diag.Renderer;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stiff test-set models in {@code examples/stiff/} against a second, independent
 * transcription of the IVP Test Set's equations (written out below from the test set's Fortran
 * {@code feval} routines): same states in the same order, same initial values, and the same
 * right-hand side to 1e-12 relative at the initial state and at a random state with every
 * component nonzero (so that every term counts; many vanish at the initial state).
 *
 * <p>The random state scatters each component of a state near the end of the interval by a factor
 * in [1/2, 2]. The end state itself is not used: the chemistry there is near a quasi-steady state,
 * where a derivative is a small difference of large fluxes (ROBER's d(B)/dt is 1e-24 against fluxes
 * of 1e-12), so that it agrees with a transcription summing in another order only to the fluxes'
 * rounding, not to 1e-12 of itself.
 */
class StiffModelsTest {
  private static final double REL = 1e-12;

  /**
   * The test set's form of one problem: state names in its y order, y0, f(y), and a state of the
   * scale of the solution late in the interval (the reference values where they are all usable).
   */
  private record Spec(List<String> states, double[] y0, UnaryOperator<double[]> f, double[] lateState) {}

  private static Spec spec(String name) {
    return switch (name) {
      case "robertson" -> new Spec(List.of("A", "B", "C"), new double[] {1, 0, 0}, StiffModelsTest::rober,
          new double[] {0.2083340149701255e-07, 0.8333360770334713e-13, 0.9999999791665050});
      case "hires" -> new Spec(List.of("y1", "y2", "y3", "y4", "y5", "y6", "y7", "y8"),
          new double[] {1, 0, 0, 0, 0, 0, 0, 0.0057}, StiffModelsTest::hires,
          new double[] {0.7371312573325668e-3, 0.1442485726316185e-3, 0.5888729740967575e-4, 0.1175651343283149e-2,
              0.2386356198831331e-2, 0.6238968252742796e-2, 0.2849998395185769e-2, 0.2850001604814231e-2});
      case "pollution" -> new Spec(
          List.of("NO2", "NO", "O3P", "O3", "HO2", "OH", "HCHO", "CO", "ALD", "MEO2", "C2O3", "CO2", "PAN", "CH3O",
              "HNO3", "O1D", "SO2", "SO4", "NO3", "N2O5"),
          new double[] {0, 0.2, 0, 0.04, 0, 0, 0.1, 0.3, 0.01, 0, 0, 0, 0, 0, 0, 0, 0.007, 0, 0, 0},
          StiffModelsTest::pollu,
          new double[] {0.5646255480022769e-01, 0.1342484130422339e+00, 0.4139734331099427e-08, 0.5523140207484359e-02,
              0.2018977262302196e-06, 0.1464541863493966e-06, 0.7784249118997964e-01, 0.3245075353396018e+00,
              0.7494013383880406e-02, 0.1622293157301561e-07, 0.1135863833257075e-07, 0.2230505975721359e-02,
              0.2087162882798630e-03, 0.1396921016840158e-04, 0.8964884856898295e-02, 0.4352846369330103e-17,
              0.6899219696263405e-02, 0.1007803037365946e-03, 0.1772146513969984e-05, 0.5682943292316392e-04});
      case "orego" -> new Spec(List.of("y1", "y2", "y3"), new double[] {1, 2, 3}, StiffModelsTest::orego,
          new double[] {0.1000814870318523e1, 0.1228178521549917e4, 0.1320554942846706e3});
      case "vanderpol" -> new Spec(List.of("y1", "y2"), new double[] {2, 0}, StiffModelsTest::vdpol,
          new double[] {0.1706167732170483e1, -0.8928097010247975e0});
      // E5's end state is at the edge of underflow (y1 ~ 1e-291, y4 = 0): take one in mid-transient.
      case "e5" -> new Spec(List.of("y1", "y2", "y3", "y4"), new double[] {1.76e-3, 0, 0, 0}, StiffModelsTest::e5,
          new double[] {1.7e-3, 1.2e-10, 3.1e-10, 4.5e-11});
      default -> throw new IllegalArgumentException(name);
    };
  }

  // ---- the test set's equations, transcribed from its Fortran feval routines ----

  static double[] rober(double[] y) {
    return new double[] {
      -0.04 * y[0] + 1.0e4 * y[1] * y[2],
      0.04 * y[0] - 1.0e4 * y[1] * y[2] - 3.0e7 * y[1] * y[1],
      3.0e7 * y[1] * y[1]
    };
  }

  static double[] hires(double[] y) {
    double[] f = new double[8];
    f[0] = -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007;
    f[1] = 1.71 * y[0] - 8.75 * y[1];
    f[2] = -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4];
    f[3] = 8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3];
    f[4] = -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6];
    f[5] = -280.0 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6];
    f[6] = 280.0 * y[5] * y[7] - 1.81 * y[6];
    f[7] = -f[6];
    return f;
  }

  static double[] pollu(double[] yy) {
    // 1-based as in pollu.f
    double[] y = new double[21];
    System.arraycopy(yy, 0, y, 1, 20);
    double k1 = .35, k2 = .266e2, k3 = .123e5, k4 = .86e-3, k5 = .82e-3, k6 = .15e5, k7 = .13e-3, k8 = .24e5,
        k9 = .165e5, k10 = .9e4, k11 = .22e-1, k12 = .12e5, k13 = .188e1, k14 = .163e5, k15 = .48e7, k16 = .35e-3,
        k17 = .175e-1, k18 = .1e9, k19 = .444e12, k20 = .124e4, k21 = .21e1, k22 = .578e1, k23 = .474e-1,
        k24 = .178e4, k25 = .312e1;
    double[] r = new double[26];
    r[1] = k1 * y[1];
    r[2] = k2 * y[2] * y[4];
    r[3] = k3 * y[5] * y[2];
    r[4] = k4 * y[7];
    r[5] = k5 * y[7];
    r[6] = k6 * y[7] * y[6];
    r[7] = k7 * y[9];
    r[8] = k8 * y[9] * y[6];
    r[9] = k9 * y[11] * y[2];
    r[10] = k10 * y[11] * y[1];
    r[11] = k11 * y[13];
    r[12] = k12 * y[10] * y[2];
    r[13] = k13 * y[14];
    r[14] = k14 * y[1] * y[6];
    r[15] = k15 * y[3];
    r[16] = k16 * y[4];
    r[17] = k17 * y[4];
    r[18] = k18 * y[16];
    r[19] = k19 * y[16];
    r[20] = k20 * y[17] * y[6];
    r[21] = k21 * y[19];
    r[22] = k22 * y[19];
    r[23] = k23 * y[1] * y[4];
    r[24] = k24 * y[19] * y[1];
    r[25] = k25 * y[20];
    double[] f = new double[20];
    f[0] = -r[1] - r[10] - r[14] - r[23] - r[24] + r[2] + r[3] + r[9] + r[11] + r[12] + r[22] + r[25];
    f[1] = -r[2] - r[3] - r[9] - r[12] + r[1] + r[21];
    f[2] = -r[15] + r[1] + r[17] + r[19] + r[22];
    f[3] = -r[2] - r[16] - r[17] - r[23] + r[15];
    f[4] = -r[3] + r[4] + r[4] + r[6] + r[7] + r[13] + r[20];
    f[5] = -r[6] - r[8] - r[14] - r[20] + r[3] + r[18] + r[18];
    f[6] = -r[4] - r[5] - r[6] + r[13];
    f[7] = r[4] + r[5] + r[6] + r[7];
    f[8] = -r[7] - r[8];
    f[9] = -r[12] + r[7] + r[9];
    f[10] = -r[9] - r[10] + r[8] + r[11];
    f[11] = r[9];
    f[12] = -r[11] + r[10];
    f[13] = -r[13] + r[12];
    f[14] = r[14];
    f[15] = -r[18] - r[19] + r[16];
    f[16] = -r[20];
    f[17] = r[20];
    f[18] = -r[21] - r[22] - r[24] + r[23] + r[25];
    f[19] = -r[25] + r[24];
    return f;
  }

  static double[] orego(double[] y) {
    return new double[] {
      77.27 * (y[1] + y[0] * (1.0 - 8.375e-6 * y[0] - y[1])),
      (y[2] - (1.0 + y[0]) * y[1]) / 77.27,
      0.161 * (y[0] - y[2])
    };
  }

  static double[] vdpol(double[] y) {
    return new double[] {y[1], ((1.0 - y[0] * y[0]) * y[1] - y[0]) / 1.0e-6};
  }

  static double[] e5(double[] y) {
    double prod1 = 7.89e-10 * y[0];
    double prod2 = 1.1e7 * y[0] * y[2];
    double prod3 = 1.13e9 * y[1] * y[2];
    double prod4 = 1.13e3 * y[3];
    double[] f = new double[4];
    f[0] = -prod1 - prod2;
    f[1] = prod1 - prod3;
    f[3] = prod2 - prod4;
    f[2] = f[1] - f[3];
    return f;
  }

  // ---- the tests ----

  static Stream<StiffTestSet.Problem> problems() {
    return StiffTestSet.all().stream();
  }

  @Test
  void theFixtureListsTheSixProblems() {
    List<String> names = new ArrayList<>();
    for (StiffTestSet.Problem p : StiffTestSet.all()) names.add(p.name());
    assertEquals(List.of("robertson", "hires", "pollution", "orego", "vanderpol", "e5"), names);
    assertEquals(1e11, StiffTestSet.get("robertson").tEnd());
    assertEquals(321.8122, StiffTestSet.get("hires").tEnd());
    assertEquals(60.0, StiffTestSet.get("pollution").tEnd());
    assertEquals(360.0, StiffTestSet.get("orego").tEnd());
    assertEquals(2.0, StiffTestSet.get("vanderpol").tEnd());
    assertEquals(1e13, StiffTestSet.get("e5").tEnd());
    assertEquals(0.1000814870318523e1, StiffTestSet.get("orego").reference().get("y1"));
    assertEquals(0.4352846369330103e-17, StiffTestSet.get("pollution").reference().get("O1D"));
    assertEquals(1.7e-24, StiffTestSet.get("e5").atol());
  }

  private static OdeSystem compile(StiffTestSet.Problem p) {
    assertTrue(Files.isRegularFile(p.model()), "missing model file " + p.model());
    Frontend.Result r = Frontend.compile(p.model());
    if (!r.ok()) {
      StringBuilder sb = new StringBuilder(p.model() + " did not compile:");
      if (r.ioError() != null) sb.append(' ').append(r.ioError());
      for (Diagnostic d : r.diagnostics().sorted()) sb.append('\n').append(Renderer.render(d, false));
      fail(sb.toString());
    }
    return r.system();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void modelHasTheTestSetsStatesAndInitialValues(StiffTestSet.Problem p) {
    OdeSystem sys = compile(p);
    Spec spec = spec(p.name());
    assertEquals(p.name(), sys.name());
    assertEquals(spec.states(), sys.stateComponentNames(), "state order");
    assertEquals(spec.states(), List.copyOf(p.reference().keySet()), "reference components");
    double[] params = Parameters.build(sys, Map.of(), 1);
    double[] y0 = initial(sys, params);
    assertArrayEquals(spec.y0(), y0, 0.0, "initial state");
  }

  static Stream<Arguments> problemsAndStates() {
    List<Arguments> out = new ArrayList<>();
    for (StiffTestSet.Problem p : StiffTestSet.all()) {
      out.add(Arguments.of(p, "initial"));
      out.add(Arguments.of(p, "random"));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} at the {1} state")
  @MethodSource("problemsAndStates")
  void rightHandSideMatchesTheTestSet(StiffTestSet.Problem p, String which) {
    OdeSystem sys = compile(p);
    Spec spec = spec(p.name());
    double[] params = Parameters.build(sys, Map.of(), 1);
    double[] y = switch (which) {
      case "initial" -> initial(sys, params);
      case "random" -> randomState(spec, p.name().hashCode());
      default -> throw new IllegalArgumentException(which);
    };
    CompiledFunction rhs = new Interpreter().compile(sys.rhs());
    double[] got = new double[rhs.outputSize()];
    rhs.eval(0.0, y, params, got);
    double[] want = spec.f().apply(y.clone());
    assertEquals(want.length, got.length, "right-hand side size");
    for (int i = 0; i < want.length; i++) {
      double tol = REL * Math.abs(want[i]);
      assertEquals(want[i], got[i], tol,
          p.name() + ": d(" + spec.states().get(i) + ")/dt at the " + which + " state");
    }
  }

  private static double[] initial(OdeSystem sys, double[] params) {
    CompiledFunction init = new Interpreter().compile(sys.initial());
    double[] y0 = new double[init.outputSize()];
    init.eval(0.0, new double[sys.stateSize()], params, y0);
    return y0;
  }

  /**
   * A state with every component nonzero: each component of the late state times a factor in
   * [1/2, 2], or of the initial state's scale where the late one is zero.
   */
  private static double[] randomState(Spec spec, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] base = spec.lateState();
    double[] y = new double[base.length];
    for (int i = 0; i < y.length; i++) {
      double b = base[i] != 0 ? base[i] : (spec.y0()[i] != 0 ? spec.y0()[i] : 1e-3);
      y[i] = b * Math.pow(2.0, rnd.nextDouble(-1.0, 1.0));
    }
    return y;
  }
}
