package dev.odec.api;

import java.util.List;

/**
 * A solution at the requested output times: the state vector at each (components in
 * {@link #stateNames()} order), the derived quantities on request and the solver's work.
 * Immutable (accessors return copies).
 */
public final class Trajectory {
  private final Model model;
  private final ParameterValues values;
  private final double t0;
  private final double[] times;
  private final double[][] states;
  private final SolverStats stats;
  private final List<String> warnings;

  Trajectory(Model model, ParameterValues values, double t0, double[] times, double[][] states, SolverStats stats) {
    this(model, values, t0, times, states, stats, List.of());
  }

  Trajectory(Model model, ParameterValues values, double t0, double[] times, double[][] states, SolverStats stats,
      List<String> warnings) {
    this.warnings = List.copyOf(warnings);
    this.model = model;
    this.values = values;
    this.t0 = t0;
    this.times = times;
    this.states = states;
    this.stats = stats;
  }

  /**
   * What the solve found worth saying although it finished: states whose values never rose above
   * their absolute tolerance while others did (their error is not controlled; the text suggests a
   * tolerance of their own). Empty when there is nothing to say.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** The output times, as requested. */
  public double[] times() {
    return times.clone();
  }

  /** The number of output times. */
  public int size() {
    return times.length;
  }

  /** The state components' names ({@code x}, {@code z[1]}, ...), the columns of {@link #states()}. */
  public List<String> stateNames() {
    return model.system().stateComponentNames();
  }

  /** {@code states()[i][j]}: component j at {@code times()[i]}. */
  public double[][] states() {
    double[][] out = new double[states.length][];
    for (int i = 0; i < states.length; i++) out[i] = states[i].clone();
    return out;
  }

  /** The state vector at output time i. */
  public double[] state(int i) {
    return states[i].clone();
  }

  /**
   * One state component over time ({@code x}, {@code z[2]}).
   *
   * @throws UnknownNameException when the model has no such state component
   */
  public double[] state(String component) {
    int j = model.stateIndex(component);
    double[] out = new double[times.length];
    for (int i = 0; i < times.length; i++) out[i] = states[i][j];
    return out;
  }

  /**
   * The derived quantities (the model's lets, then its observables' means, named by
   * {@link Model#derivedNames()}) at every output time: {@code derived()[i][k]}.
   */
  public double[][] derived() {
    return model.derived(values, times, states);
  }

  /** The work the solve took. */
  public SolverStats stats() {
    return stats;
  }

  /** The start time. */
  public double t0() {
    return t0;
  }

  /** The values the model was solved with. */
  public ParameterValues values() {
    return values;
  }
}
