package dev.odec.solve;

/**
 * What every solver does at the end of an accepted step, written once: ask the root locator
 * whether the solve stops inside the step, fill the outputs the step covers (from its dense
 * output, or the end state itself), and tell the observer. One instance per solve.
 */
final class StepEnd {
  private final int n;
  private final double[] saveat;
  private final double[][] states;
  private final double dir;
  private final StepObserver observer;
  private final RootLocator locator;
  private int out;
  private double stopTime = Double.NaN;
  private double[] stopState;

  /** Fills the outputs at t0 itself with y0. */
  StepEnd(int n, double t0, double[] y0, double[] saveat, StepObserver observer, RootLocator locator) {
    this.n = n;
    this.saveat = saveat;
    this.states = new double[saveat.length][n];
    this.dir = Math.signum(saveat[saveat.length - 1] - t0);
    this.observer = observer;
    this.locator = locator;
    while (out < saveat.length && saveat[out] == t0) {
      System.arraycopy(y0, 0, states[out], 0, n);
      out++;
    }
  }

  /** Whether every output is filled (nothing to integrate). */
  boolean done() {
    return out == saveat.length;
  }

  /** How many outputs are filled. */
  int outputsDone() {
    return out;
  }

  /** The output rows (only the first {@link #outputsDone()} are meaningful before the end). */
  double[][] states() {
    return states;
  }

  /**
   * The step from t to tNew (state yNew) was accepted. Returns true when the solve must stop
   * inside it, at a located root: then the outputs before the root are filled, the observer sees
   * the step cut at the root, and {@link #solution} reports where it stopped.
   */
  boolean accept(double t, double tNew, double[] yNew, DenseOutput dense) {
    double tEnd = tNew;
    if (locator != null) {
      double tr = locator.locate(t, tNew, yNew, dense);
      if (!Double.isNaN(tr)) {
        tEnd = tr;
        stopTime = tr;
        stopState = new double[n];
        if (tr == tNew) System.arraycopy(yNew, 0, stopState, 0, n);
        else dense.interpolate(tr, stopState);
      }
    }
    boolean stop = !Double.isNaN(stopTime);
    while (out < saveat.length && (stop ? (saveat[out] - tEnd) * dir < 0 : (saveat[out] - tEnd) * dir <= 0)) {
      if (saveat[out] == tNew) System.arraycopy(yNew, 0, states[out], 0, n);
      else dense.interpolate(saveat[out], states[out]);
      out++;
    }
    if (observer != null) observer.onStep(t, tEnd, dense);
    return stop;
  }

  /** The solution: every output, or those before the root where the solve stopped. */
  Solution solution(Stats stats) {
    return Double.isNaN(stopTime)
        ? new Solution(saveat.clone(), states, stats)
        : Solution.stopped(saveat.clone(), states, stats, out, stopTime, stopState);
  }
}
