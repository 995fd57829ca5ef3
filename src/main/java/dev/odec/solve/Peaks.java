package dev.odec.solve;

/**
 * Each state component's largest magnitude at the start and at the ends of a solve's steps (a
 * step observer): what {@link AtolAdvice} compares with the absolute tolerances after a solve.
 */
public final class Peaks implements StepObserver {
  private final double[] peak;
  private final double[] y;

  /** Starts with the initial state's magnitudes. */
  public Peaks(double[] y0) {
    peak = new double[y0.length];
    y = new double[y0.length];
    onRestart(0, y0);
  }

  @Override
  public void onStep(double tPrev, double tNew, DenseOutput dense) {
    dense.interpolate(tNew, y);
    onRestart(tNew, y);
  }

  @Override
  public void onRestart(double t, double[] state) {
    for (int c = 0; c < peak.length; c++) peak[c] = Math.max(peak[c], Math.abs(state[c]));
  }

  /** The largest magnitudes so far (a copy). */
  public double[] peak() {
    return peak.clone();
  }
}
