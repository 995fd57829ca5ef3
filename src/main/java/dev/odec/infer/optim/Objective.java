package dev.odec.infer.optim;

/** A scalar objective L(θ) to minimise, with its gradient. */
public interface Objective {
  int dimension();

  /**
   * L(θ), and ∇L(θ) into {@code gradient} when it is not null.
   *
   * @throws EvaluationFailure when the model cannot be evaluated at θ (the solve failed, a
   *     distribution argument is invalid, the value is not finite)
   */
  double evaluate(double[] theta, double[] gradient);
}
