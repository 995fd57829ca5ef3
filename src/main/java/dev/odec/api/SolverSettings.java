package dev.odec.api;

import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.runtime.Solvers;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to solve: the method, tolerances (scalar, and per state for trajectories), the step budget
 * and, for the fixed-step methods, the step size. Immutable: each {@code with}-style method returns
 * a new instance and checks its value at once, with the command line's words ({@code --rtol must
 * be a positive number, got -1.0}); names of states are checked when a model is solved.
 *
 * <p>The methods: {@code euler}, {@code midpoint}, {@code rk4} (fixed step: need {@link #dt}),
 * {@code bs3}, {@code dopri5}, {@code tsit5}, {@code dop853} (adaptive, explicit), {@code bdf},
 * {@code rodas5} (stiff, with the model's generated Jacobian) and {@code auto} (the default:
 * {@code tsit5}, switching to {@code bdf} when the problem turns out stiff). An explicit method on
 * a stiff problem stops early with advice rather than after millions of steps.
 */
public final class SolverSettings {
  private static final SolverSettings DEFAULTS =
      new SolverSettings("auto", 1e-6, 1e-8, Map.of(), Map.of(), 100_000, Double.NaN);

  private final String solver;
  private final double rtol;
  private final double atol;
  private final Map<String, Double> rtolByState;
  private final Map<String, Double> atolByState;
  private final long maxSteps;
  private final double dt;

  private SolverSettings(String solver, double rtol, double atol, Map<String, Double> rtolByState,
      Map<String, Double> atolByState, long maxSteps, double dt) {
    this.solver = solver;
    this.rtol = rtol;
    this.atol = atol;
    this.rtolByState = rtolByState;
    this.atolByState = atolByState;
    this.maxSteps = maxSteps;
    this.dt = dt;
  }

  /** {@code auto}, rtol 1e-6, atol 1e-8, at most 100,000 steps: the command line's defaults. */
  public static SolverSettings defaults() {
    return DEFAULTS;
  }

  /**
   * The method by name (see the class comment).
   *
   * @throws InvalidInputException for an unknown name (with the closest one and the choices)
   */
  public SolverSettings solver(String name) {
    guard(() -> Solvers.method(name));
    return new SolverSettings(name, rtol, atol, rtolByState, atolByState, maxSteps, dt);
  }

  /**
   * The relative tolerance of every state (a positive number).
   *
   * @throws InvalidInputException when it is not positive and finite
   */
  public SolverSettings rtol(double value) {
    guard(() -> Solvers.tolerance("--rtol", value));
    return new SolverSettings(solver, value, atol, rtolByState, atolByState, maxSteps, dt);
  }

  /**
   * The absolute tolerance of every state (a positive number).
   *
   * @throws InvalidInputException when it is not positive and finite
   */
  public SolverSettings atol(double value) {
    guard(() -> Solvers.tolerance("--atol", value));
    return new SolverSettings(solver, rtol, value, rtolByState, atolByState, maxSteps, dt);
  }

  /**
   * The relative tolerance of one state (all its components) or one component ({@code z[2]}),
   * for trajectories and steady states; gradients and fits use the scalar tolerances.
   *
   * @throws InvalidInputException when the value is not positive and finite
   */
  public SolverSettings rtol(String state, double value) {
    guard(() -> Solvers.tolerance("--rtol", value));
    return new SolverSettings(solver, rtol, atol, with(rtolByState, state, value), atolByState, maxSteps, dt);
  }

  /**
   * The absolute tolerance of one state or component, as {@link #rtol(String, double)}.
   *
   * @throws InvalidInputException when the value is not positive and finite
   */
  public SolverSettings atol(String state, double value) {
    guard(() -> Solvers.tolerance("--atol", value));
    return new SolverSettings(solver, rtol, atol, rtolByState, with(atolByState, state, value), maxSteps, dt);
  }

  /**
   * The most steps (accepted and rejected) a solve may take before it fails.
   *
   * @throws InvalidInputException when below 1
   */
  public SolverSettings maxSteps(long steps) {
    guard(() -> Solvers.maxSteps(steps));
    return new SolverSettings(solver, rtol, atol, rtolByState, atolByState, steps, dt);
  }

  /**
   * The step size of the fixed-step methods (with an adaptive method: fixed steps without error
   * control).
   *
   * @throws InvalidInputException when it is not positive and finite
   */
  public SolverSettings dt(double step) {
    guard(() -> Solvers.step(step));
    return new SolverSettings(solver, rtol, atol, rtolByState, atolByState, maxSteps, step);
  }

  /** The method's name ({@code auto} by default). */
  public String solver() {
    return solver;
  }

  /** The scalar relative tolerance. */
  public double rtol() {
    return rtol;
  }

  /** The scalar absolute tolerance. */
  public double atol() {
    return atol;
  }

  /** Per-state relative tolerances, by state or component name, in the order given. */
  public Map<String, Double> rtolByState() {
    return rtolByState;
  }

  /** Per-state absolute tolerances, by state or component name, in the order given. */
  public Map<String, Double> atolByState() {
    return atolByState;
  }

  /** The step budget. */
  public long maxSteps() {
    return maxSteps;
  }

  /** The fixed step size, or NaN when none was given. */
  public double dt() {
    return dt;
  }

  @Override
  public String toString() {
    return "SolverSettings[solver=" + solver + ", rtol=" + rtol + ", atol=" + atol + ", rtolByState=" + rtolByState
        + ", atolByState=" + atolByState + ", maxSteps=" + maxSteps + ", dt=" + dt + "]";
  }

  private static Map<String, Double> with(Map<String, Double> m, String key, double v) {
    Map<String, Double> out = new LinkedHashMap<>(m);
    out.remove(key); // a later setting of the same state counts, in its new place
    out.put(key, v);
    return java.util.Collections.unmodifiableMap(out);
  }

  private static void guard(Runnable check) {
    Errors.guard(null, () -> {
      check.run();
      return null;
    });
  }

  /** The method (null: auto). */
  Method method() {
    return Solvers.method(solver);
  }

  /**
   * The internal options for a solve of {@code sys}; with {@code perState}, the per-state
   * tolerances resolved against its states (else they must be absent).
   */
  SolverOptions options(OdeSystem sys, boolean perState) {
    Method m = method();
    SolverOptions o = Solvers.options(m, rtol, atol, maxSteps, dt);
    if (perState) {
      o.rtolPerState = Solvers.perState(sys, "--rtol", rtol, rtolByState);
      o.atolPerState = Solvers.perState(sys, "--atol", atol, atolByState);
    } else if (!rtolByState.isEmpty() || !atolByState.isEmpty()) {
      String first = List.copyOf((rtolByState.isEmpty() ? atolByState : rtolByState).keySet()).get(0);
      throw InputError.usage((rtolByState.isEmpty() ? "--atol" : "--rtol") + " " + first + "=...: per-state tolerances "
          + "apply to trajectories (run); a gradient solves a larger system with the scalar tolerances");
    }
    return o;
  }
}
