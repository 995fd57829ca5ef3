package dev.odec.solve;

import java.util.List;

/**
 * The states of a solve at the requested output times. A solve may stop early at a located root
 * (see {@link RootLocator}): then {@link #stopped()} is true, only the first
 * {@link #outputsDone} rows are filled, and {@link #stopTime}/{@link #stopState} say where it
 * stopped. A solve through events and switches lists them in {@link #jumps} (see
 * {@link HybridSolver}).
 */
public final class Solution {
  /** The output times, in the order they were requested. */
  public final double[] times;
  /** {@code states[i][j]} is component j at {@code times[i]}. */
  public final double[][] states;
  /** The work the solve did. */
  public final Stats stats;
  /** How many output rows are filled (all, unless the solve stopped at a root). */
  public final int outputsDone;
  /** Where the solve stopped at a root (NaN when it ran to the end). */
  public final double stopTime;
  /** The state at {@link #stopTime} (null when it ran to the end). */
  public final double[] stopState;
  /** The events and switches the solve went through, in time order (empty for a smooth model). */
  public final List<Jump> jumps;
  /** The modes at the start, before anything happened at t0 (empty for a smooth model). */
  public final double[] initialModes;

  public Solution(double[] times, double[][] states, Stats stats) {
    this(times, states, stats, times.length, Double.NaN, null, List.of(), new double[0]);
  }

  Solution(double[] times, double[][] states, Stats stats, int outputsDone, double stopTime, double[] stopState,
      List<Jump> jumps, double[] initialModes) {
    this.times = times;
    this.states = states;
    this.stats = stats;
    this.outputsDone = outputsDone;
    this.stopTime = stopTime;
    this.stopState = stopState;
    this.jumps = jumps;
    this.initialModes = initialModes;
  }

  static Solution stopped(double[] times, double[][] states, Stats stats, int outputsDone, double stopTime,
      double[] stopState) {
    return new Solution(times, states, stats, outputsDone, stopTime, stopState, List.of(), new double[0]);
  }

  /** Whether the solve stopped at a root before the last output time. */
  public boolean stopped() {
    return !Double.isNaN(stopTime);
  }
}
