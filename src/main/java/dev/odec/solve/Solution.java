package dev.odec.solve;

/** The states of a solve at the requested output times. */
public final class Solution {
  /** The output times, in the order they were requested. */
  public final double[] times;
  /** {@code states[i][j]} is component j at {@code times[i]}. */
  public final double[][] states;
  /** The work the solve did. */
  public final Stats stats;

  public Solution(double[] times, double[][] states, Stats stats) {
    this.times = times;
    this.states = states;
    this.stats = stats;
  }
}
