package dev.odec.sens;

/** A way to compute the objective's gradient. */
public interface GradientMethod {
  /** The name of {@code --method}. */
  String name();

  GradientResult compute(GradientProblem problem);
}
