package dev.odec.api;

import dev.odec.sens.GradientMethods;

/**
 * How to compute an objective's gradient: the method, the solver settings of its solves, whether
 * the objective includes the negative log-priors ({@code map}) and whether to differentiate with
 * respect to times too ({@code wrtTimes}). Immutable; each setter returns a new instance, checked.
 *
 * <p>The methods: {@code adjoint} (the backsolve adjoint, memory independent of the number of
 * steps), {@code checkpoint} (an interpolating adjoint), {@code forward} (forward sensitivities,
 * with error control on them), {@code discrete} (reverse mode through the solver's own steps) and
 * {@code auto} (the default: forward below 50 param components, else checkpoint). Every method
 * carries the jumps of events and switches. Gradients are reported in the params' natural scale.
 */
public final class GradientSettings {
  private static final GradientSettings DEFAULTS = new GradientSettings("auto", SolverSettings.defaults(), false, false);

  private final String method;
  private final SolverSettings solver;
  private final boolean map;
  private final boolean wrtTimes;

  private GradientSettings(String method, SolverSettings solver, boolean map, boolean wrtTimes) {
    this.method = method;
    this.solver = solver;
    this.map = map;
    this.wrtTimes = wrtTimes;
  }

  /** Method {@code auto}, the default solver settings, no priors, no time gradients. */
  public static GradientSettings defaults() {
    return DEFAULTS;
  }

  /**
   * The gradient method by name (see the class comment).
   *
   * @throws InvalidInputException for an unknown name (with the closest one and the choices)
   */
  public GradientSettings method(String name) {
    Errors.guard(null, () -> GradientMethods.byName(name, 0, false));
    return new GradientSettings(name, solver, map, wrtTimes);
  }

  /** The settings of the solves (scalar tolerances only: the augmented systems have more states than the model). */
  public GradientSettings solver(SolverSettings settings) {
    return new GradientSettings(method, settings, map, wrtTimes);
  }

  /** Whether the objective adds the negative log-priors (a maximum a posteriori objective). */
  public GradientSettings map(boolean withPriors) {
    return new GradientSettings(method, solver, withPriors, wrtTimes);
  }

  /** Whether to compute the gradient with respect to t0, t1 and every measurement time too. */
  public GradientSettings wrtTimes(boolean withTimes) {
    return new GradientSettings(method, solver, map, withTimes);
  }

  /** The method's name. */
  public String method() {
    return method;
  }

  /** The solver settings. */
  public SolverSettings solver() {
    return solver;
  }

  /** Whether the priors are included. */
  public boolean map() {
    return map;
  }

  /** Whether time gradients are computed. */
  public boolean wrtTimes() {
    return wrtTimes;
  }
}
