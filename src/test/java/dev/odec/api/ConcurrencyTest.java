package dev.odec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One compiled model used by two threads at once gives the results of a sequential run, bit for
 * bit: solves (explicit, and stiff ones that generate the Jacobian on first use) and gradients by
 * forward sensitivities and by the adjoints (each generating its derivative systems on first
 * use), on a model with a switch (by the interpreter), one with experiments from a conditions file
 * and a neural ODE whose compiled code works in scratch arrays. The threads start together on a
 * model nothing was generated for yet, so they also race to generate the code. (Sharing one
 * instance of the compiled functions between the threads fails this test: it was tried.)
 */
class ConcurrencyTest {
  static final int ROUNDS = 12;

  /** Everything one round computes, flattened. */
  record Outcome(List<double[]> numbers) {
    boolean sameBits(Outcome o) {
      if (o.numbers.size() != numbers.size()) return false;
      for (int i = 0; i < numbers.size(); i++) if (!Arrays.equals(numbers.get(i), o.numbers.get(i))) return false;
      return true;
    }
  }

  record Problem(Model model, Data data, List<ParameterValues> points, List<String> solvers, List<String> methods,
      double[] times) {}

  static Problem problem(String model, String backend, String data, String conditions, List<String> solvers,
      List<String> methods, double[] times, String param, double... values) {
    Model m = Odec.compile(Path.of(model), backend).model();
    Data d = m.loadData(Path.of(data), conditions == null ? null : Path.of(conditions));
    List<ParameterValues> points = new ArrayList<>();
    for (double v : values) points.add(m.parameters().with(param, v));
    return new Problem(m, d, points, solvers, methods, times);
  }

  /** A switch at a known time; the interpreter keeps every intermediate value in scratch arrays. */
  static Problem sir() {
    return problem("src/test/resources/hybrid/sir_lockdown.ode", "interp", "src/test/resources/hybrid/sir_lockdown_data.csv",
        null, List.of("auto", "bdf"), List.of("forward", "checkpoint"), new double[] {0, 5, 15, 25, 40, 60}, "t_lock",
        18, 20, 23);
  }

  /** Stiff, with experiments; solved with the generated Jacobian. */
  static Problem enzyme() {
    return problem("src/test/resources/grad/enzyme_experiments.ode", "jvm", "src/test/resources/grad/enzyme_data.csv",
        "src/test/resources/grad/enzyme_conditions.csv", List.of("auto", "bdf"), List.of("forward", "checkpoint"),
        new double[] {0, 5, 15, 25, 40, 60}, "kon", 1.0e-3, 1.2e-3, 1.5e-3);
  }

  /** A neural ODE: the bytecode computes its 24- and 48-element tensors in scratch arrays. */
  static Problem spiral() {
    return problem("src/test/resources/grad/spiral_nn.ode", "jvm", "src/test/resources/grad/spiral_data.csv", null,
        List.of("dopri5", "tsit5"), List.of("adjoint", "discrete"), new double[] {0, 0.5, 1, 2, 3}, "A[1,2]", 1.8, 1.9,
        2.0);
  }

  /** Point k of the problem: a trajectory by two solvers and gradients by two methods. */
  static Outcome round(Problem pr, int k) {
    ParameterValues p = pr.points().get(k);
    List<double[]> out = new ArrayList<>();
    for (String solver : pr.solvers()) {
      Trajectory tr = pr.model().solve(p, 0, pr.times(), SolverSettings.defaults().solver(solver).rtol(1e-8));
      for (double[] row : tr.states()) out.add(row);
    }
    for (String method : pr.methods()) {
      Gradient g = pr.model().gradient(pr.data(), p, GradientSettings.defaults().method(method)
          .solver(SolverSettings.defaults().solver(pr.solvers().get(1))));
      out.add(g.values());
      out.add(new double[] {g.objective()});
    }
    return new Outcome(out);
  }

  void check(Problem sequential, Problem concurrent) throws Exception {
    int points = sequential.points().size();
    List<Outcome> expected = new ArrayList<>();
    for (int k = 0; k < points; k++) expected.add(round(sequential, k));
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int offset = t;
        done.add(pool.submit(() -> {
          start.await();
          int compared = 0;
          for (int r = 0; r < ROUNDS; r++) {
            int k = (r + offset) % points; // the threads work on different points at the same time
            Outcome o = round(concurrent, k);
            assertTrue(o.sameBits(expected.get(k)), "round " + r + ", point " + k + " differs from the sequential run");
            compared++;
          }
          return compared;
        }));
      }
      for (Future<Integer> f : done) assertEquals(ROUNDS, f.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoThreadsOnOneModelGiveTheSequentialResultsBitForBit() throws Exception {
    Problem sir = sir();
    check(sir, sir()); // a fresh model: the threads also generate its code concurrently
    check(sir, sir); // the model the sequential run used
    Problem enzyme = enzyme();
    check(enzyme, enzyme());
    Problem spiral = spiral();
    check(spiral, spiral());
  }
}
