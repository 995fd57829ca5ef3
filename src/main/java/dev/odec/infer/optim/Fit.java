package dev.odec.infer.optim;

import java.util.List;

/**
 * A multi-start fit: the optimizer chosen by name from every start point, the best optimum and
 * the uncertainty of its estimates (the Fisher information for {@code ls}, the Hessian of the
 * objective by differences of exact gradients otherwise).
 */
public final class Fit {
  public static final List<String> OPTIMIZERS = List.of("ls", "lbfgs", "adam");

  /**
   * What a fit is asked to do. Adam's settings: {@code epochs}, {@code batch} (experiments per
   * mini-batch; 0 = all), learning rate {@code lr}, whether it anneals ({@code cosine}), and what
   * it keeps on disk ({@code training}: loss curve, checkpoints, resume; null for nothing).
   */
  public record Settings(String optimizer, int starts, long seed, int threads, StopRules stop, int epochs, int batch,
      double lr, boolean cosine, Training training) {}

  /** The starts, the best one's index (−1 when every start failed), its point and objective. */
  public record Result(List<MultiStart.StartResult> starts, int best, double[] theta, double objective,
      Uncertainty uncertainty, String uncertaintyFrom, String uncertaintyFailure) {
    /** The failed starts by kind: "3 × integration failure (e.g. ...); 1 × invalid noise parameter (e.g. ...)". */
    public String failureSummary() {
      java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
      java.util.Map<String, String> first = new java.util.LinkedHashMap<>();
      for (MultiStart.StartResult s : starts) {
        if (!s.failed()) continue;
        counts.merge(s.failureKind(), 1, Integer::sum);
        first.putIfAbsent(s.failureKind(), s.failure());
      }
      List<String> parts = new java.util.ArrayList<>();
      counts.forEach((kind, n) -> parts.add(n + " × " + kind + " (e.g. " + first.get(kind) + ")"));
      return String.join("; ", parts);
    }
  }

  private Fit() {}

  public static Result run(FitProblem fp, double[][] startPoints, Settings s, MultiStart.Listener listener) {
    List<MultiStart.StartResult> starts = MultiStart.run(startPoints,
        (index, start) -> optimize(fp, s, start, s.stop(), s.seed() + index, -1, 0), s.threads(), s.stop(), listener);
    int best = MultiStart.best(starts);
    if (best < 0) return new Result(starts, -1, null, Double.NaN, null, null, null);
    OptimResult r = starts.get(best).result();
    Uncertainty u = null;
    String from = s.optimizer().equals("ls") ? "Fisher information" : "Hessian";
    String failure = null;
    try {
      double[][] h = s.optimizer().equals("ls") ? fp.fisherInformation(r.theta()) : FitProblem.hessian(fp.objective(), r.theta());
      u = Uncertainty.of(fp.space, r.theta(), h);
    } catch (EvaluationFailure e) {
      failure = e.kind() + ": " + e.getMessage();
    }
    return new Result(starts, best, r.theta(), r.objective(), u, from, failure);
  }

  /**
   * One optimizer run from {@code start}. With {@code fixed} ≥ 0, coordinate {@code fixed} is
   * held at {@code value} and the others are optimized (a point of a profile).
   */
  public static OptimResult optimize(FitProblem fp, Settings s, double[] start, StopRules stop, long seed, int fixed,
      double value) {
    double[] lo = fp.space.lower();
    double[] hi = fp.space.upper();
    if (fixed >= 0) {
      lo = Held.drop(lo, fixed);
      hi = Held.drop(hi, fixed);
      start = Held.drop(start, fixed);
    }
    OptimResult r = switch (s.optimizer()) {
      case "ls" -> new TrustRegionReflective(fixed < 0 ? fp.leastSquares() : Held.of(fp.leastSquares(), fixed, value), lo,
          hi, stop).minimize(start);
      case "lbfgs" -> new ProjectedLbfgs(fixed < 0 ? fp.objective() : Held.of(fp.objective(), fixed, value), lo, hi, stop)
          .minimize(start);
      case "adam" -> {
        if (fixed >= 0) {
          yield new ProjectedLbfgs(Held.of(fp.objective(), fixed, value), lo, hi, stop).minimize(start);
        }
        int batch = s.batch() <= 0 ? fp.data.experiments().size() : s.batch();
        yield new Adam(fp.batches(), lo, hi, stop, s.epochs(), batch, s.lr(), s.cosine(), seed).training(s.training())
            .minimize(start);
      }
      default -> throw new IllegalArgumentException("unknown optimizer " + s.optimizer());
    };
    if (fixed < 0) return r;
    return new OptimResult(Held.insert(r.theta(), fixed, value), r.objective(), r.iterations(), r.evaluations(), r.exit(),
        r.converged());
  }
}
