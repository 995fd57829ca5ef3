package dev.odec.solve;

/**
 * An explicit solve stopped because the problem turned stiff: it carries where (t, y) and what
 * had been computed (the outputs before t), so a caller can go on from there with an implicit
 * method (the {@code auto} solver) or tell the user to choose one.
 */
public final class StiffnessDetected extends SolverFailure {
  private final double[] state;
  private final int outputsDone;
  private final double[][] outputs;
  private final Stats stats;
  private final double stepSize;
  private final boolean stabilityLimited;

  StiffnessDetected(double t, double[] y, double h, int outputsDone, double[][] outputs, Stats stats,
      boolean stabilityLimited, String message) {
    super(Reason.STIFF, t, message);
    this.stabilityLimited = stabilityLimited;
    this.state = y.clone();
    this.stepSize = h;
    this.outputsDone = outputsDone;
    this.outputs = outputs;
    this.stats = stats;
  }

  /**
   * Whether steps were limited by stability (the problem is stiff), rather than only found longer
   * with BDF ({@link ExplicitRk#compareWithBdf}).
   */
  public boolean stabilityLimited() {
    return stabilityLimited;
  }

  /** The state at {@link #time()}. */
  public double[] state() {
    return state.clone();
  }

  /** The size of the last accepted step (a good first step for the stiff method, times a few). */
  public double stepSize() {
    return stepSize;
  }

  /** How many of the requested outputs were filled. */
  public int outputsDone() {
    return outputsDone;
  }

  /** The output rows (only the first {@link #outputsDone()} are meaningful). */
  public double[][] outputs() {
    return outputs;
  }

  public Stats stats() {
    return stats;
  }
}
