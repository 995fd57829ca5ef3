package dev.odec.solve;

/**
 * Every integration method behind one call, so callers (the CLI, the gradient methods) choose a
 * method by name only. Implicit methods get the model's generated Jacobian.
 */
public interface Integrator {
  /**
   * Same contract as {@link ExplicitRk#solve}: outputs at {@code saveat}, from t0 to the last; with
   * a {@code locator}, the solve stops early at the first root it finds (see
   * {@link Solution#stopped()}).
   */
  Solution solve(OdeFunction f, double t0, double[] y0, double[] saveat, SolverOptions o, StepObserver observer,
      RootLocator locator);

  default Solution solve(OdeFunction f, double t0, double[] y0, double[] saveat, SolverOptions o,
      StepObserver observer) {
    return solve(f, t0, y0, saveat, o, observer, null);
  }

  /**
   * Forgets what earlier solves taught this integrator (auto's switch to the stiff method, kept
   * across the segments of one trajectory); called at the start of each trajectory.
   */
  default void reset() {}

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
        yield (f, t0, y0, saveat, o, obs, loc) -> bdf.solve(f, jacobian, t0, y0, saveat, o, obs, loc);
      }
      case RODAS5 -> {
        Rosenbrock ros = new Rosenbrock(n);
        yield (f, t0, y0, saveat, o, obs, loc) -> ros.solve(f, jacobian, null, t0, y0, saveat, o, obs, loc);
      }
      default -> {
        ExplicitRk rk = new ExplicitRk(method, n);
        yield (f, t0, y0, saveat, o, obs, loc) -> rk.solve(f, t0, y0, saveat, o, obs, loc);
      }
    };
  }
}
