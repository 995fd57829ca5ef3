package dev.odec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.OdeSystem;
import dev.odec.sema.Frontend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drawn and listed ensemble members: distributions, bounds, seeds, overrides and initial states. */
class EnsembleTest {
  private static CompiledModel load(String model) {
    Frontend.Result r = Frontend.compile(Path.of(model));
    assertTrue(r.ok(), model);
    return new CompiledModel(r.system(), new JvmBackend());
  }

  @Test
  void boundedParamsAreDrawnUniformlyInTheirScale() {
    CompiledModel cm = load("examples/lotka_volterra.ode");
    OdeSystem sys = cm.system();
    int n = 4000;
    Ensemble e = Ensemble.sample(cm, n, Map.of("delta", 2.0), 11);
    assertEquals(n, e.size());
    int alpha = sys.params().get(0).var().offset();
    int delta = sys.params().get(2).var().offset();
    int below = 0;
    for (double[] p : e.p()) {
      assertTrue(p[alpha] >= 0.01 && p[alpha] <= 10, "alpha within its bounds: " + p[alpha]);
      assertEquals(2.0, p[delta], "--set holds for every member");
      below += p[alpha] < Math.sqrt(0.01 * 10) ? 1 : 0;
    }
    // scale log: half the draws below the geometric midpoint (binomial sd 0.8%)
    assertEquals(0.5, below / (double) n, 0.04);
  }

  @Test
  void priorsAreDrawnAndTheRestKeepsItsNominalValue() {
    CompiledModel cm = load("examples/neural.ode");
    OdeSystem sys = cm.system();
    Ensemble e = Ensemble.sample(cm, 400, Map.of(), 5);
    OdeSystem.Var w1 = sys.params().get(0).var();
    OdeSystem.Var b1 = sys.params().get(1).var();
    double sum = 0;
    double sq = 0;
    int count = 0;
    for (double[] p : e.p()) {
      for (int i = 0; i < w1.shape().size(); i++) {
        double v = p[w1.offset() + i];
        sum += v;
        sq += v * v;
        count++;
      }
      for (int i = 0; i < b1.shape().size(); i++) assertEquals(0.0, p[b1.offset() + i], "b1 has no prior or bounds");
    }
    double mean = sum / count;
    double sd = Math.sqrt(sq / count - mean * mean);
    assertEquals(0.0, mean, 0.03, "W1 ~ normal(0, 0.5)");
    assertEquals(0.5, sd, 0.03);
    // every member starts where the model says: z = [2, 0]
    for (double[] y0 : e.y0()) assertArrayEquals(new double[] {2, 0}, y0);
  }

  @Test
  void theSeedMakesAnEnsembleReproducible() {
    CompiledModel cm = load("examples/sir.ode");
    Ensemble a = Ensemble.sample(cm, 5, Map.of(), 3);
    Ensemble b = Ensemble.sample(cm, 5, Map.of(), 3);
    Ensemble c = Ensemble.sample(cm, 5, Map.of(), 4);
    for (int m = 0; m < 5; m++) assertArrayEquals(a.p().get(m), b.p().get(m));
    assertTrue(!java.util.Arrays.equals(a.p().get(0), c.p().get(0)));
    // the initial states follow the drawn I0: I(0) = I0 / N
    OdeSystem sys = cm.system();
    int i0 = sys.params().get(2).var().offset();
    for (int m = 0; m < 5; m++) assertEquals(a.p().get(m)[i0] / 1000, a.y0().get(m)[1], 1e-15);
  }

  @Test
  void rowsOverrideAndBadValuesNameTheirRow() {
    CompiledModel cm = load("examples/sir.ode");
    Ensemble e = Ensemble.ofRows(cm, List.of(Map.of("beta", 0.5), Map.of("N", 100.0)), List.of("f.csv:2", "f.csv:3"), Map.of(), 1);
    assertEquals(0.5, e.p().get(0)[0]);
    assertEquals(0.01, e.y0().get(1)[1], 1e-15, "I(0) = I0 / N with N = 100");
    InputError err = assertThrows(InputError.class,
        () -> Ensemble.ofRows(cm, List.of(Map.of("N", 0.0)), List.of("f.csv:2"), Map.of(), 1));
    assertTrue(err.getMessage().startsWith("f.csv:2: "), err.getMessage());
  }
}
