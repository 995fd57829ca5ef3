package dev.odec.sens;

import dev.odec.solve.Jump;
import dev.odec.solve.Solution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jumps of a forward solve grouped by time, for the backward passes: which times are
 * boundaries, what happened there, and which modes hold in the segment between two times.
 */
final class Boundaries {
  private final double[] times;
  private final List<List<Jump>> groups;
  private final double[] initialModes;

  private Boundaries(double[] times, List<List<Jump>> groups, double[] initialModes) {
    this.times = times;
    this.groups = groups;
    this.initialModes = initialModes;
  }

  static Boundaries of(Solution s) {
    List<Double> ts = new ArrayList<>();
    List<List<Jump>> gs = new ArrayList<>();
    for (Jump j : s.jumps) {
      if (ts.isEmpty() || ts.get(ts.size() - 1) != j.time()) {
        ts.add(j.time());
        gs.add(new ArrayList<>());
      }
      gs.get(gs.size() - 1).add(j);
    }
    return new Boundaries(ts.stream().mapToDouble(Double::doubleValue).toArray(), gs, s.initialModes);
  }

  /** The distinct times where something happened, ascending. */
  double[] times() {
    return times.clone();
  }

  /** What happened at t, in order (null when nothing did). */
  List<Jump> at(double t) {
    int i = Arrays.binarySearch(times, t);
    return i >= 0 ? groups.get(i) : null;
  }

  /** The modes that hold just after time t (in the segment that starts at or before t). */
  double[] modesAfter(double t) {
    int i = Arrays.binarySearch(times, t);
    if (i < 0) i = -i - 2;
    if (i < 0) return initialModes;
    List<Jump> g = groups.get(i);
    return g.get(g.size() - 1).modesAfter();
  }

  /** Writes the modes that hold just after t into p from {@code offset} (the model's mode slots). */
  void setModes(double t, double[] p, int offset) {
    double[] m = modesAfter(t);
    System.arraycopy(m, 0, p, offset, m.length);
  }

  /** Sorted distinct union of these boundary times and {@code others} within [lo, hi]. */
  double[] withTimes(double[] others, double lo, double hi) {
    java.util.TreeSet<Double> all = new java.util.TreeSet<>();
    for (double t : times) if (t >= lo && t <= hi) all.add(t);
    for (double t : others) if (t >= lo && t <= hi) all.add(t);
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
