package dev.odec.infer.optim;

/**
 * Where an optimizer stopped: the point and its objective, the work it took and why it stopped
 * ({@code exit}: "gradient", "step", "function change" when converged; "max-iter", "time limit",
 * "interrupted", "no progress" otherwise).
 */
public record OptimResult(double[] theta, double objective, int iterations, int evaluations, String exit,
    boolean converged) {}
