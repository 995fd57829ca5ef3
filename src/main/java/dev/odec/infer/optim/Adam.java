package dev.odec.infer.optim;

import java.util.SplittableRandom;

/**
 * Adam (Kingma and Ba, "Adam: a method for stochastic optimization", ICLR 2015) on mini-batches of
 * experiments, for models with many parameters such as neural networks: per epoch the
 * experiments are shuffled (seeded) and split into batches of {@code batch}; each batch gives an
 * unbiased estimate of the full gradient (its experiments' terms scaled by N/|batch|, plus the
 * priors) and one update
 *
 * <pre>
 *   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,
 *   θ ← P(θ − lr_k · m̂ / (√v̂ + ε)),   m̂ = m / (1 − β1^k), v̂ = v / (1 − β2^k),
 * </pre>
 *
 * with β1 = 0.9, β2 = 0.999, ε = 1e-8, P the projection onto the bounds, and the learning rate
 * lr_k following the schedule: constant, or cosine annealing from lr to lr/100 over the epochs
 * (Loshchilov and Hutter, "SGDR", ICLR 2017). The result is the iterate with the lowest full
 * objective among those evaluated at the end of each epoch.
 *
 * <p>A batch whose solve fails sends the iterate back to the best point with half the rate. A
 * batch whose loss is not finite (NaN or infinite) stops the run: the result is the best iterate
 * so far and the exit names the epoch and step. With a {@link Training} the loss curve and
 * checkpoints are written after every finite epoch, and a run can resume from a checkpoint: the
 * shuffles of the epochs already done are replayed, so a resumed run takes the same steps as one
 * that was never interrupted.
 */
public final class Adam {
  /** An objective whose terms come from experiments: the estimate from a subset, scaled to all. */
  public interface BatchObjective {
    int dimension();

    int experiments();

    /** The objective estimated from the experiments {@code batch} (indices), its gradient into g. */
    double evaluate(double[] theta, int[] batch, double[] g);
  }

  private final BatchObjective f;
  private final double[] lo;
  private final double[] hi;
  private final StopRules stop;
  private final int epochs;
  private final int batch;
  private final double lr;
  private final boolean cosine;
  private final long seed;
  private Training training;

  public Adam(BatchObjective f, double[] lo, double[] hi, StopRules stop, int epochs, int batch, double lr,
      boolean cosine, long seed) {
    this.f = f;
    this.lo = lo;
    this.hi = hi;
    this.stop = stop;
    this.epochs = epochs;
    this.batch = Math.max(1, batch);
    this.lr = lr;
    this.cosine = cosine;
    this.seed = seed;
  }

  /** Writes the loss curve and checkpoints, and resumes, as {@code training} says. */
  public Adam training(Training training) {
    this.training = training;
    return this;
  }

  public OptimResult minimize(double[] theta0) {
    int n = f.dimension();
    int ne = f.experiments();
    int[] all = new int[ne];
    for (int i = 0; i < ne; i++) all[i] = i;
    double[] x = theta0.clone();
    for (int i = 0; i < n; i++) x[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
    double[] g = new double[n];
    double best = f.evaluate(x, all, g);
    if (!Double.isFinite(best)) throw new EvaluationFailure("non-finite objective", "the objective is " + best);
    double[] bestX = x.clone();
    int evaluations = 1;
    double[] m = new double[n];
    double[] v = new double[n];
    SplittableRandom rng = new SplittableRandom(seed);
    long k = 0;
    String exit = "epochs";
    int first = 0;
    Training.State resumed = training == null ? null : training.readResume(n);
    if (resumed != null) {
      first = resumed.epoch();
      k = resumed.step();
      x = resumed.x().clone();
      m = resumed.m().clone();
      v = resumed.v().clone();
      best = resumed.best();
      bestX = resumed.bestX().clone();
      for (int e = 0; e < first; e++) shuffle(all.clone(), rng);
    }
    int epoch;
    epochs:
    for (epoch = first; epoch < epochs; epoch++) {
      String why = stop.interruption(epoch);
      if (why != null) {
        exit = why;
        break;
      }
      int[] order = shuffle(all.clone(), rng);
      double rate = cosine ? lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * epoch / Math.max(1, epochs)))) : lr;
      for (int start = 0; start < ne; start += batch) {
        int[] b = java.util.Arrays.copyOfRange(order, start, Math.min(ne, start + batch));
        java.util.Arrays.sort(b);
        evaluations++;
        try {
          double loss = f.evaluate(x, b, g);
          if (!Double.isFinite(loss) || !allFinite(g)) {
            throw new EvaluationFailure("non-finite objective", "the loss is " + loss);
          }
        } catch (EvaluationFailure e) {
          if (e.kind().equals("non-finite objective")) {
            exit = "non-finite loss at epoch " + (epoch + 1) + ", step " + (k + 1) + " (" + e.getMessage()
                + "); the result is the best iterate before it";
            break epochs;
          }
          // a failed solve: go back to the best point and take smaller steps from there
          x = bestX.clone();
          rate *= 0.5;
          continue;
        }
        k++;
        double c1 = 1 - Math.pow(0.9, k);
        double c2 = 1 - Math.pow(0.999, k);
        for (int i = 0; i < n; i++) {
          m[i] = 0.9 * m[i] + 0.1 * g[i];
          v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
          x[i] -= rate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
          x[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
        }
      }
      evaluations++;
      double full;
      try {
        full = f.evaluate(x, all, g);
      } catch (EvaluationFailure e) {
        full = Double.POSITIVE_INFINITY;
      }
      if (full < best) {
        best = full;
        bestX = x.clone();
      }
      if (training != null && Double.isFinite(full)) {
        training.epochDone(new Training.State(epoch + 1, k, x, m, v, best, bestX), full);
      }
      double pg = 0;
      for (int i = 0; i < n; i++) pg = Math.max(pg, Math.abs(x[i] - Math.min(hi[i], Math.max(lo[i], x[i] - g[i]))));
      if (pg < stop.gtol()) {
        exit = "gradient";
        epoch++;
        break;
      }
    }
    return new OptimResult(bestX, best, epoch, evaluations, exit, exit.equals("gradient"));
  }

  /** A seeded Fisher–Yates shuffle of order, in place. */
  private static int[] shuffle(int[] order, SplittableRandom rng) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static boolean allFinite(double[] g) {
    for (double d : g) if (!Double.isFinite(d)) return false;
    return true;
  }
}
