package dev.odec.solve;

/**
 * Every integration method behind one call, so callers (the CLI, the gradient methods) choose a
 * method by name only. Implicit methods get the model's generated Jacobian.
 */
public interface Integrator {
  /** Same contract as {@link ExplicitRk#solve}: outputs at {@code saveat}, from t0 to the last. */
  Solution solve(OdeFunction f, double t0, double[] y0, double[] saveat, SolverOptions o, StepObserver observer);

  /**
   * An integrator for {@code method} (null: {@code auto}) on n states. {@code jacobian} may be
   * null for explicit methods.
   */
  static Integrator of(Method method, int n, OdeJacobian jacobian) {
    if (method == null) return new AutoIntegrator(n, jacobian);
    if (method.stiff && jacobian == null) throw new IllegalArgumentException(method.text + " needs the Jacobian");
    return switch (method) {
      case BDF -> {
        Bdf bdf = new Bdf(n);
        yield (f, t0, y0, saveat, o, obs) -> bdf.solve(f, jacobian, t0, y0, saveat, o, obs);
      }
      case RODAS5 -> {
        Rosenbrock ros = new Rosenbrock(n);
        yield (f, t0, y0, saveat, o, obs) -> ros.solve(f, jacobian, t0, y0, saveat, o, obs);
      }
      default -> {
        ExplicitRk rk = new ExplicitRk(method, n);
        yield (f, t0, y0, saveat, o, obs) -> obs == null ? rk.solve(f, t0, y0, saveat, o) : rk.solve(f, t0, y0, saveat, o, obs);
      }
    };
  }
}
