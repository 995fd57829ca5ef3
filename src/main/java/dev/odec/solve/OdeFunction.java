package dev.odec.solve;

/**
 * The right-hand side of an ODE system dy/dt = f(t, y). Solvers see only this: they never know
 * whether the function was compiled, interpreted or built by a transform (sensitivities, adjoints).
 * Implementations must not allocate in {@link #eval} and must not keep references to the arrays.
 */
public interface OdeFunction {
  /** The number of state components n. */
  int dimension();

  /** Writes f(t, y) into {@code dydt} (length n). {@code y} must not be modified. */
  void eval(double t, double[] y, double[] dydt);
}
