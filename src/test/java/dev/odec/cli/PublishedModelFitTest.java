package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published model fitted from random starts: the PEtab problem of Boehm et al. (J. Proteome
 * Res. 2014; 9 estimated parameters in log10 scale over [1e-5, 1e5], three of them noise
 * parameters), `odec fit PROBLEM.yaml` end to end with 21 starts: the nominal values and 20
 * points of a seeded Latin hypercube within the bounds. The best known objective is the one at
 * the published parameters, 138.2220 (minus the reference log-likelihood of the benchmark
 * collection).
 *
 * <p>Measured with 100 random starts (seed 2, docs/BENCHMARKS.md "Fitting"): {@code lbfgs} reaches
 * the optimum from 6 of 100, {@code ls} from none (its starts stop at the local optima 147.54,
 * 149.59, ... or crawl towards the bounds the optimum lies on, k_exp_hetero at 1e-5, until
 * --max-iter). The floors asserted here follow those figures: for lbfgs, at least one of the 20
 * random starts; for ls, the nominal start stays at the optimum and no start ends below it.
 */
class PublishedModelFitTest {
  private static final String BOEHM = "src/test/resources/petab/Boehm_JProteomeRes2014/Boehm_JProteomeRes2014.yaml";
  /** Minus the reference log-likelihood of the problem at its published parameters. */
  private static final double BEST_KNOWN = 138.22199693517703;
  private static final double REACHED = BEST_KNOWN + 1e-3;
  private static final int RANDOM_STARTS = 20;

  @TempDir Path dir;

  /** Fits with 1 + 20 starts; returns the objectives of the random starts (NaN for a failed one), and checks the best. */
  private double[] fit(String optimizer) throws IOException {
    Path out = dir.resolve(optimizer + ".json");
    CliTest.Result r = CliTest.run("fit", BOEHM, "--optimizer", optimizer, "--starts", String.valueOf(RANDOM_STARTS + 1),
        "--seed", "5", "--threads", "2", "--max-iter", "300", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    double best = json.get("objective").getAsDouble();
    assertTrue(best <= REACHED, optimizer + ": best objective " + best);
    JsonArray starts = json.getAsJsonArray("starts");
    assertEquals(RANDOM_STARTS + 1, starts.size());
    double[] objectives = new double[RANDOM_STARTS];
    int failed = 0;
    for (int i = 0; i < RANDOM_STARTS; i++) {
      JsonElement o = starts.get(i + 1).getAsJsonObject().get("objective");
      objectives[i] = o.isJsonNull() ? Double.NaN : o.getAsDouble();
      if (o.isJsonNull()) failed++;
      // nothing below the best known optimum: it is the global one as far as anyone knows
      assertTrue(o.isJsonNull() || objectives[i] >= BEST_KNOWN - 1e-3, optimizer + ": start " + (i + 2));
    }
    int hits = reached(objectives);
    System.out.printf("Boehm, %s: %d of %d random starts reach %.4f (%d failed); best %.6f%n", optimizer, hits,
        RANDOM_STARTS, REACHED, failed, best);
    return objectives;
  }

  private static int reached(double[] objectives) {
    int n = 0;
    for (double o : objectives) if (o <= REACHED) n++;
    return n;
  }

  @Test
  void lbfgsReachesTheBestKnownOptimumFromRandomStarts() throws IOException {
    assertTrue(reached(fit("lbfgs")) >= 1, "lbfgs: no random start reached the optimum");
  }

  @Test
  void leastSquaresKeepsTheOptimumFromTheNominalStart() throws IOException {
    fit("ls"); // asserts the best of the starts (here the nominal one) is the optimum
  }
}
