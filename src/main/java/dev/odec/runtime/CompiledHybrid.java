package dev.odec.runtime;

import dev.odec.codegen.Backend;
import dev.odec.codegen.CompiledFunction;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.OdeSystem;
import dev.odec.ir.Switches;
import dev.odec.solve.HybridSystem;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's switches and events compiled for {@link dev.odec.solve.HybridSolver}: the raw values
 * of its modes, the times of its known-time switches, the schedules of its time events and the
 * jump of every event. Compiled on first use, so smooth models pay nothing. Like a compiled
 * function, one instance serves one thread at a time; {@link #copy} gives another that shares the
 * generated code.
 */
public final class CompiledHybrid implements HybridSystem {
  private final OdeSystem sys;
  private final OdeSystem.Hybrid hybrid;
  private final int n;
  private final CompiledFunction modes;
  /** For known-time mode j: outputs 2i, 2i+1 hold its root and slope at t = 0. */
  private final CompiledFunction knownRoots;
  private final int[] knownSlot;
  /** For time event e: outputs 3i..3i+2 hold first, period, until. */
  private final CompiledFunction schedules;
  private final int[] scheduleSlot;
  private final CompiledFunction[] jumps;
  private final double[] noY;
  private final double[] scratch;

  public CompiledHybrid(OdeSystem sys, Backend backend) {
    this.sys = sys;
    this.hybrid = sys.hybrid();
    this.n = sys.stateSize();
    int pSize = sys.paramSize();
    List<Switches.Mode> ms = hybrid.modes();
    List<Node> raws = new ArrayList<>();
    List<Node> known = new ArrayList<>();
    knownSlot = new int[ms.size()];
    for (Switches.Mode m : ms) {
      raws.add(m.raw());
      knownSlot[m.index()] = -1;
      if (m.knownTime()) {
        knownSlot[m.index()] = known.size() / 2;
        known.add(m.root());
        known.add(m.slope());
      }
    }
    modes = raws.isEmpty() ? null : backend.compile(new IrFunction("modes", raws, n, pSize));
    knownRoots = known.isEmpty() ? null : backend.compile(new IrFunction("switch_times", known, n, pSize));
    List<Node> sched = new ArrayList<>();
    dev.odec.ir.Graph g = sys.graph().fork();
    scheduleSlot = new int[hybrid.events().size()];
    jumps = new CompiledFunction[hybrid.events().size()];
    for (OdeSystem.Event e : hybrid.events()) {
      scheduleSlot[e.index()] = -1;
      if (e.timed()) {
        scheduleSlot[e.index()] = sched.size() / 3;
        sched.add(e.time());
        sched.add(e.period() != null ? e.period() : g.constant(0.0));
        sched.add(e.until() != null ? e.until() : g.constant(Double.POSITIVE_INFINITY));
      }
      jumps[e.index()] = backend.compile(e.jump());
    }
    schedules = sched.isEmpty() ? null : backend.compile(new IrFunction("event_times", sched, n, pSize));
    noY = new double[Math.max(1, n)];
    scratch = new double[Math.max(known.size(), sched.size())];
  }

  private CompiledHybrid(CompiledHybrid o) {
    sys = o.sys;
    hybrid = o.hybrid;
    n = o.n;
    modes = o.modes == null ? null : o.modes.copy();
    knownRoots = o.knownRoots == null ? null : o.knownRoots.copy();
    knownSlot = o.knownSlot;
    schedules = o.schedules == null ? null : o.schedules.copy();
    scheduleSlot = o.scheduleSlot;
    jumps = new CompiledFunction[o.jumps.length];
    for (int e = 0; e < jumps.length; e++) jumps[e] = o.jumps[e].copy();
    noY = new double[o.noY.length];
    scratch = new double[o.scratch.length];
  }

  /** An instance with its own scratch space (for another thread), sharing this one's generated code. */
  public CompiledHybrid copy() {
    return new CompiledHybrid(this);
  }

  @Override
  public int stateSize() {
    return n;
  }

  @Override
  public int modeOffset() {
    return hybrid.modeOffset();
  }

  @Override
  public int modeCount() {
    return hybrid.modeCount();
  }

  @Override
  public void rawModes(double t, double[] y, double[] p, double[] out) {
    if (modes != null) modes.eval(t, y, p, out);
  }

  @Override
  public boolean knownTime(int mode) {
    return knownSlot[mode] >= 0;
  }

  @Override
  public double switchTime(int mode, double[] p) {
    knownRoots.eval(0.0, noY, p, scratch);
    int s = knownSlot[mode];
    double root = scratch[2 * s];
    double slope = scratch[2 * s + 1];
    return slope == 0 ? Double.NaN : -root / slope;
  }

  @Override
  public int trigger(int mode) {
    for (OdeSystem.Event e : hybrid.events()) if (e.trigger() == mode) return e.index();
    return -1;
  }

  @Override
  public int eventCount() {
    return hybrid.events().size();
  }

  @Override
  public double[] eventTimes(int event, double[] p) {
    int s = scheduleSlot[event];
    if (s < 0) return null;
    schedules.eval(0.0, noY, p, scratch);
    return new double[] {scratch[3 * s], scratch[3 * s + 1], scratch[3 * s + 2]};
  }

  @Override
  public void jump(int event, double t, double[] yBefore, double[] p, double[] yAfter) {
    jumps[event].eval(t, yBefore, p, yAfter);
  }

  @Override
  public String describeMode(int mode) {
    Switches.Mode m = hybrid.modes().get(mode);
    String where = m.span() == null ? "" : " at line " + m.span().line();
    return "the " + m.what() + where;
  }

  @Override
  public String describeEvent(int event) {
    return "at line " + hybrid.events().get(event).span().line();
  }

  /** The model this was compiled from. */
  public OdeSystem system() {
    return sys;
  }
}
