package dev.odec.api;

import java.util.List;

/**
 * The state a model settles to from its initial state, with the dynamics (and the modes of its
 * switches) at the start time: found by Newton's method on the generated Jacobian, bordered with
 * the conservation laws it reveals, or by integrating until the state stops moving (see
 * {@code odec run --steady-state}).
 */
public final class SteadyStateResult {
  private final Model model;
  private final ParameterValues values;
  private final double t0;
  private final double[] state;
  private final boolean byNewton;
  private final double residual;
  private final long nfe;

  SteadyStateResult(Model model, ParameterValues values, double t0, double[] state, boolean byNewton, double residual,
      long nfe) {
    this.model = model;
    this.values = values;
    this.t0 = t0;
    this.state = state;
    this.byNewton = byNewton;
    this.residual = residual;
    this.nfe = nfe;
  }

  /** The steady state, components in {@link #stateNames()} order. */
  public double[] state() {
    return state.clone();
  }

  /**
   * One component of the steady state.
   *
   * @throws UnknownNameException when the model has no such state component
   */
  public double state(String component) {
    return state[model.stateIndex(component)];
  }

  /** The state components' names. */
  public List<String> stateNames() {
    return model.system().stateComponentNames();
  }

  /** The derived quantities at the steady state (with the start time as t). */
  public double[] derived() {
    return model.derived(values, new double[] {t0}, new double[][] {state})[0];
  }

  /** Whether Newton's method found it (else integration did). */
  public boolean byNewton() {
    return byNewton;
  }

  /** The size of the right-hand side there, relative to the tolerances (below 1: converged). */
  public double residual() {
    return residual;
  }

  /** Evaluations of the right-hand side it took. */
  public long nfe() {
    return nfe;
  }
}
