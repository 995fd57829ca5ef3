package dev.odec.infer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adam's training files: a run resumed from a checkpoint takes exactly the steps of an
 * uninterrupted one; a non-finite loss stops the run, names the epoch and step, and leaves the last
 * good checkpoint; the loss curve has one row per epoch.
 */
class TrainingTest {
  @TempDir Path dir;

  /** A sum of per-experiment quadratics in 4 dimensions; nanAt: the evaluation that returns NaN (0: never). */
  static Adam.BatchObjective quadratic(int nanAt) {
    double[] target = {1, -2, 0.5, 3};
    int[] calls = {0};
    return new Adam.BatchObjective() {
      @Override
      public int dimension() {
        return 4;
      }

      @Override
      public int experiments() {
        return 8;
      }

      @Override
      public double evaluate(double[] x, int[] batch, double[] g) {
        calls[0]++;
        double v = 0;
        java.util.Arrays.fill(g, 0);
        for (int b : batch) {
          int i = b % 4;
          double d = x[i] - target[i] * (1 + 0.1 * b);
          v += d * d * 8.0 / batch.length;
          g[i] += 2 * d * 8.0 / batch.length;
        }
        return calls[0] == nanAt ? Double.NaN : v;
      }
    };
  }

  static Adam adam(Adam.BatchObjective f, int epochs) {
    double[] lo = {-10, -10, -10, -10};
    double[] hi = {10, 10, 10, 10};
    return new Adam(f, lo, hi, StopRules.defaults(), epochs, 3, 0.1, true, 5);
  }

  @Test
  void aResumedRunTakesTheStepsOfAnUninterruptedOne() throws Exception {
    double[] start = {0, 0, 0, 0};
    OptimResult whole = adam(quadratic(0), 12).minimize(start);
    Path ck = dir.resolve("ck.txt");
    Path curve = dir.resolve("loss.csv");
    adam(quadratic(0), 12).training(new Training(ck, 5, null, curve)).minimize(start);
    List<String> rows = Files.readAllLines(curve);
    assertEquals("epoch,loss,best", rows.get(0));
    assertEquals(13, rows.size());
    assertTrue(Files.readString(ck).startsWith("odec-adam-checkpoint 10 "));
    // resume from epoch 10: the last two epochs again, with the replayed shuffles
    OptimResult resumed = adam(quadratic(0), 12).training(new Training(null, 5, ck, null)).minimize(start);
    assertArrayEquals(whole.theta(), resumed.theta(), 0.0);
    assertEquals(whole.objective(), resumed.objective(), 0.0);
  }

  @Test
  void aNonFiniteLossStopsAndKeepsTheLastGoodCheckpoint() throws Exception {
    Path ck = dir.resolve("ck.txt");
    // 3 batches and one full evaluation per epoch, plus the first: call 4·7 + 2 is in epoch 8
    OptimResult r = adam(quadratic(4 * 7 + 2), 20).training(new Training(ck, 1, null, null)).minimize(new double[4]);
    assertTrue(r.exit().startsWith("non-finite loss at epoch 8, step 22"), r.exit());
    assertTrue(Double.isFinite(r.objective()));
    assertTrue(Files.readString(ck).startsWith("odec-adam-checkpoint 7 "), Files.readString(ck));
    Training.State s = new Training(null, 1, ck, null).readResume(4);
    assertEquals(7, s.epoch());
    assertArrayEquals(r.theta(), s.bestX(), 0.0);
  }
}
