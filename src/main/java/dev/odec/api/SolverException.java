package dev.odec.api;

import java.util.Optional;

/**
 * A solve that could not finish (the command line's exit code 3). The message gives the model
 * time, the cause and what to try ("step size fell below 1e-14 at t = 3.2; the problem may be
 * stiff: try solver bdf"), naming the state to blame where there is one.
 */
public final class SolverException extends OdecException {
  private static final long serialVersionUID = 1L;

  /** Why a solve failed. */
  public enum Reason {
    /** The step size fell below what floating point resolves. */
    STEP_SIZE_UNDERFLOW,
    /** The step budget ({@link SolverSettings#maxSteps(long)}) ran out. */
    MAX_STEPS,
    /** A state or derivative became NaN or infinite. */
    NON_FINITE,
    /** The solve's arguments were inconsistent. */
    BAD_INPUT,
    /** An explicit method found the problem stiff. */
    STIFF,
    /** A Newton iteration or its linear system failed (implicit methods). */
    NEWTON,
    /** No steady state was found. */
    NO_STEADY_STATE,
    /** Every start of a fit failed (each start's failure is in the message). */
    EVERY_START_FAILED
  }

  private final Reason reason;
  private final double time;
  private final String state;

  SolverException(Reason reason, double time, String state, String message) {
    super(message);
    this.reason = reason;
    this.time = time;
    this.state = state;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }

  /** The model time the solve had reached (NaN when the failure has none). */
  public double time() {
    return time;
  }

  /** The state component to blame ({@code x}, {@code z[2]}), when one is. */
  public Optional<String> state() {
    return Optional.ofNullable(state);
  }
}
