package dev.odec.solve;

/** Options for one solve. Plain mutable fields; the defaults are those shown. */
public final class SolverOptions {
  /** Relative tolerance (scalar, used when {@link #rtolPerState} is null). */
  public double rtol = 1e-6;
  /** Absolute tolerance (scalar, used when {@link #atolPerState} is null). */
  public double atol = 1e-8;
  /** Per-component relative tolerances; when non-null, used instead of {@link #rtol}. */
  public double[] rtolPerState = null;
  /** Per-component absolute tolerances; when non-null, used instead of {@link #atol}. */
  public double[] atolPerState = null;
  /** The most step attempts (accepted plus rejected) a solve may take. */
  public long maxSteps = 100_000;
  /**
   * Fixed step size. Required for fixed-step methods; for adaptive methods, when set, forces fixed
   * steps of {@code dt} with no error control.
   */
  public double dt = Double.NaN;
  /** The first step size to try; NaN selects it automatically (Hairer's algorithm). */
  public double initialStep = Double.NaN;
  /**
   * Stiffness detection of the explicit methods that can estimate it cheaply (dopri5, tsit5):
   * after this many consecutive accepted steps whose size was limited by stability rather than
   * accuracy, the solve stops with {@link StiffnessDetected}. 0 turns detection off.
   */
  public int stiffAfter = 0;

  /** A copy (the per-state arrays are shared: they are not modified by solvers). */
  public SolverOptions copy() {
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    o.atol = atol;
    o.rtolPerState = rtolPerState;
    o.atolPerState = atolPerState;
    o.maxSteps = maxSteps;
    o.dt = dt;
    o.initialStep = initialStep;
    o.stiffAfter = stiffAfter;
    return o;
  }
}
