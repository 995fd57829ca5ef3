package dev.odec.infer.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs an optimizer from every start point on a pool of threads. Each start is a pure function
 * of its start point (its own evaluations, its own copy of the model), and results are kept by
 * start index, so the outcome is the same whatever the number of threads and the order in which
 * starts finish. A start whose first point cannot be evaluated, or whose optimizer throws, is
 * recorded as failed with the reason, and the others go on.
 */
public final class MultiStart {
  /** The outcome of one start (index 0 is the nominal start); {@code result} is null when it failed. */
  public record StartResult(int index, double[] start, OptimResult result, String failureKind, String failure,
      double seconds) {
    public boolean failed() {
      return result == null;
    }
  }

  /** Told about every finished start (from the worker threads, one at a time). */
  public interface Listener {
    void finished(StartResult r, int done, int total, double best);
  }

  /** How to run one optimizer from a start point. */
  public interface Runner {
    OptimResult run(int index, double[] start);
  }

  private MultiStart() {}

  public static List<StartResult> run(double[][] starts, Runner runner, int threads, StopRules stop, Listener listener) {
    int total = starts.length;
    StartResult[] results = new StartResult[total];
    Object lock = new Object();
    int[] done = {0};
    double[] best = {Double.POSITIVE_INFINITY};
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, total)), r -> {
      Thread t = new Thread(null, r, "odec-fit", 1L << 26);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          StartResult r;
          long begin = System.nanoTime();
          String skip = stop.interruption(0);
          if (skip != null && index > 0) {
            r = new StartResult(index, starts[index], null, "not started", skip, 0);
          } else {
            try {
              OptimResult o = runner.run(index, starts[index]);
              r = new StartResult(index, starts[index], o, null, null, (System.nanoTime() - begin) / 1e9);
            } catch (EvaluationFailure e) {
              r = new StartResult(index, starts[index], null, e.kind(), e.getMessage(), (System.nanoTime() - begin) / 1e9);
            }
          }
          synchronized (lock) {
            results[index] = r;
            done[0]++;
            if (!r.failed()) best[0] = Math.min(best[0], r.result().objective());
            if (listener != null) listener.finished(r, done[0], total, best[0]);
          }
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException re) throw re;
          if (c instanceof Error err) throw err;
          throw new IllegalStateException(c);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the starts", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return List.of(results);
  }

  /** The index of the best finished start (lowest objective, the lower index on ties), or −1. */
  public static int best(List<StartResult> results) {
    int best = -1;
    for (StartResult r : results) {
      if (r.failed()) continue;
      if (best < 0 || r.result().objective() < results.get(best).result().objective()) best = r.index();
    }
    return best;
  }
}
