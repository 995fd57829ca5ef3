package dev.odec.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fixed, seeded budget of the {@link Fuzzer} in every build: the same inputs every time, each
 * of which must end with exit code 0 to 3 and a clean message. The long runs (10⁶ inputs) are
 * described in docs/FUZZING.md. The timeout only guards against a hang; it measures nothing.
 */
class FuzzTest {
  static final long SEED = 20_251_129;
  static final int INPUTS = 250;

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void everyFuzzedInputEndsCleanly(@TempDir Path work) throws Exception {
    Fuzzer f = new Fuzzer(SEED, Fuzzer.corpus(Path.of("")), work);
    ExecutorService one = Executors.newSingleThreadExecutor(Fuzzer.bigStacks());
    List<Fuzzer.Failure> failures = new ArrayList<>();
    try {
      for (long i = 0; i < INPUTS; i++) {
        long index = i;
        Future<Fuzzer.Failure> r = one.submit(() -> f.run(index));
        Fuzzer.Failure failure = r.get();
        if (failure != null) failures.add(failure);
      }
    } finally {
      one.shutdownNow();
    }
    if (!failures.isEmpty()) fail(failures.size() + " of " + INPUTS + " inputs failed; the first:\n" + failures.get(0));
    // the budget reaches past the checker: every exit code but 4 occurs, and many runs succeed
    for (int code = 0; code <= 3; code++) assertTrue(f.exitCodes[code] > 0, "no input ended with exit code " + code);
    assertEquals(0, f.exitCodes[4]);
    assertTrue(f.exitCodes[0] > INPUTS / 10, "successful commands: " + f.exitCodes[0]);
  }

  @Test
  void inputsAreAFunctionOfSeedAndIndex(@TempDir Path work) throws Exception {
    List<Fuzzer.Seed> corpus = Fuzzer.corpus(Path.of(""));
    Fuzzer a = new Fuzzer(7, corpus, work);
    Fuzzer b = new Fuzzer(7, corpus, work);
    for (long i : new long[] {0, 1, 999, 123_456}) {
      assertEquals(a.input(i).model(), b.input(i).model());
      assertEquals(a.input(i).commands(), b.input(i).commands());
    }
    assertTrue(!a.input(1).model().equals(a.input(2).model()) || !a.input(1).commands().equals(a.input(2).commands()));
  }
}
