package dev.odec.solve;

/**
 * A solve that could not finish. {@link #getMessage()} is a full sentence meant for the user: it
 * gives the time, the cause and what to try. When a particular state component is to blame, the
 * message names it as {@code "component N"} (1-based) and {@link #component()} returns N, so a
 * caller that knows the state names can substitute them.
 */
public class SolverFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a solve failed. */
  public enum Reason {
    /** The step size controller drove the step below what floating point can resolve. */
    STEP_SIZE_UNDERFLOW,
    /** The step budget ({@link SolverOptions#maxSteps}) ran out. */
    MAX_STEPS,
    /** A state or derivative became NaN or infinite. */
    NON_FINITE,
    /** The arguments of the solve were inconsistent. */
    BAD_INPUT,
    /** An explicit method found the problem stiff (its steps were limited by stability). */
    STIFF,
    /** A Newton iteration or its linear system failed (implicit methods). */
    NEWTON,
    /** No steady state was found (pre-equilibration, {@code run --steady-state}). */
    NO_STEADY_STATE
  }

  private final Reason reason;
  private final double time;
  private final int component;

  public SolverFailure(Reason reason, double time, int component, String message) {
    super(message);
    this.reason = reason;
    this.time = time;
    this.component = component;
  }

  public SolverFailure(Reason reason, double time, String message) {
    this(reason, time, 0, message);
  }

  /** How solvers write a time in their messages ("t = 0.25"): up to 6 significant digits. */
  public static String formatTime(double t) {
    return ExplicitRk.fmt(t);
  }

  /**
   * The same failure with every "component N" of its message replaced by the state's name
   * ({@code names}: the state components in order), e.g. "state 'z[2]'".
   */
  public SolverFailure withStateNames(java.util.List<String> names) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:state )?'?component (\\d+)'?").matcher(getMessage());
    StringBuilder sb = new StringBuilder();
    boolean changed = false;
    while (m.find()) {
      int k = Integer.parseInt(m.group(1));
      String repl = k >= 1 && k <= names.size() ? "state '" + names.get(k - 1) + "'" : m.group();
      changed |= !repl.equals(m.group());
      m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(repl));
    }
    m.appendTail(sb);
    return changed ? new SolverFailure(reason, time, component, sb.toString()) : this;
  }

  public Reason reason() {
    return reason;
  }

  /** The time the solve had reached when it failed (NaN for some bad inputs). */
  public double time() {
    return time;
  }

  /** The 1-based index of the state component to blame, or 0 when none is. */
  public int component() {
    return component;
  }
}
