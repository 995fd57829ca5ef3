package dev.odec.solve;

/** Work counters of one solve. */
public final class Stats {
  /** Evaluations of the right-hand side f, of every kind. */
  public long nfe;
  /** Accepted steps. */
  public long steps;
  /** Rejected step attempts. */
  public long rejected;
  /** Jacobian evaluations (implicit solvers only). */
  public long jacobians;
  /** LU factorisations (implicit solvers only). */
  public long lu;
  /** Switches from the explicit to the stiff method ({@code auto} only). */
  public long switches;
  /**
   * Whether {@code auto} switched because the explicit method's steps were limited by stability
   * (the model is stiff), not only because BDF's steps had grown as long as its own.
   */
  public boolean stiff;
  /**
   * The step size the controller proposed after the last full step (0 when the method does not
   * say): a solve continuing from where this one stopped can start with it.
   */
  public double nextStep;

  /** Adds another solve's counters to these (a solve in several parts, or several solves). */
  public void add(Stats o) {
    nfe += o.nfe;
    steps += o.steps;
    rejected += o.rejected;
    jacobians += o.jacobians;
    lu += o.lu;
    switches += o.switches;
    stiff |= o.stiff;
  }

  /** Sets every counter to zero. */
  public void reset() {
    nfe = 0;
    steps = 0;
    rejected = 0;
    jacobians = 0;
    lu = 0;
    switches = 0;
    stiff = false;
  }

  @Override
  public String toString() {
    return "nfe=" + nfe + " steps=" + steps + " rejected=" + rejected + " jacobians=" + jacobians
        + " lu=" + lu + " switches=" + switches;
  }
}
