package dev.odec.infer.optim;

import java.util.function.BooleanSupplier;

/**
 * When an optimizer stops: the projected gradient's largest entry below {@code gtol}, a step
 * shorter than {@code xtol·(xtol + ‖θ‖)}, a relative decrease of the objective below
 * {@code ftol}, {@code maxIter} iterations, the deadline (System.nanoTime) or a cancellation
 * (Ctrl-C). The first three count as converged.
 */
public record StopRules(int maxIter, double gtol, double xtol, double ftol, long deadline, BooleanSupplier cancelled) {
  public static StopRules defaults() {
    return new StopRules(1000, 1e-8, 1e-8, 1e-8, Long.MAX_VALUE, () -> false);
  }

  /** Why a run stopped early without converging, or null to go on. */
  String interruption(int iterations) {
    if (cancelled.getAsBoolean()) return "interrupted";
    if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) return "time limit";
    if (iterations >= maxIter) return "max-iter";
    return null;
  }

  public StopRules withMaxIter(int n) {
    return new StopRules(n, gtol, xtol, ftol, deadline, cancelled);
  }
}
