package dev.odec.sens;

import java.util.ArrayList;
import java.util.List;

/**
 * An objective and its gradient: with respect to every p entry (params, then consts), t0 and
 * t1 of the window, and each experiment's measurement times; with the work it took.
 */
public final class GradientResult {
  public double objective;
  public final double[] gradient;
  public double dt0;
  public double dt1;
  /** Per experiment, dL/dt_k for its distinct measurement times. */
  public final List<double[]> timeGradients = new ArrayList<>();
  public long nfeForward;
  public long nfeBackward;
  /** The forward solves' work (steps, Jacobians, LU factorisations; nfe as {@link #nfeForward}). */
  public final dev.odec.solve.Stats forwardWork = new dev.odec.solve.Stats();
  public String method;

  public GradientResult(int np) {
    this.gradient = new double[np];
  }
}
