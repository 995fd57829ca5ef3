package dev.odec.infer.optim;

/** An objective of the form L(θ) = ½‖r(θ)‖² + c with residuals r: Rⁿ → Rᵐ and a constant c. */
public interface LeastSquares {
  int dimension();

  int residuals();

  /**
   * r(θ) into {@code r} and, when {@code jacobian} is not null, J = ∂r/∂θ into it (m rows of n).
   * Returns c, so that the objective is ½‖r‖² + c.
   *
   * @throws EvaluationFailure when the model cannot be evaluated at θ
   */
  double evaluate(double[] theta, double[] r, double[][] jacobian);
}
