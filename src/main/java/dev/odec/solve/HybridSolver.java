package dev.odec.solve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Solves a piecewise-smooth model (LANGUAGE.md §9) as a sequence of smooth segments. Within a
 * segment the switching conditions of the dynamics are held in their modes (entries of p, see
 * {@link HybridSystem}), so the right-hand side the integrator sees is smooth. A segment ends
 *
 * <ul>
 *   <li>at a known time: an occurrence of a time event, or a switch whose condition is affine in
 *       t and reads no state (the integrator steps to it exactly), or a requested break;
 *   <li>at a located root: after each accepted step the raw conditions are evaluated at its end;
 *       where one no longer agrees with its mode, the first point of disagreement is found by
 *       bisection on the step's dense output to within a few units in the last place of t, and
 *       the integrator stops there (CVODE's root finding locates zeros of g the same way, with
 *       the Illinois method on g's values).
 * </ul>
 *
 * At the end of a segment (time τ) the switched modes change, then the events that fire at τ are
 * applied in the order written (time events due at τ, and {@code when} events whose condition
 * turned from false to true); each jump re-evaluates the modes at the new state, and a
 * {@code when} condition that a jump makes true fires too. Each change is recorded as a
 * {@link Jump} for the gradient methods, and an optional {@link JumpHook} carries an augmented
 * state (sensitivities) across it. Outputs at τ are taken after everything at τ happened (the
 * solution is right-continuous), and the next segment starts with a fresh first step.
 */
public final class HybridSolver {
  /** Carries the part of an augmented state beyond the model's states across a jump. */
  public interface JumpHook {
    /**
     * {@code zBefore}: the solver's state just before; {@code zAfter}: the state after, whose
     * first stateSize() entries already hold the model's new state; fill the rest.
     */
    void jump(Jump j, double[] zBefore, double[] zAfter);
  }

  /** Consecutive boundaries closer than this (relative) count as chattering. */
  private static final double TINY = 1e-12;
  private static final int MAX_CHATTER = 200;
  private static final int MAX_OCCURRENCES = 1_000_000;

  private final Integrator integrator;
  private final HybridSystem sys;
  private final int n;

  /**
   * @param sys the model's switches and events; null for a smooth model
   * @param n the solver's state size (the model's states, then any augmentation)
   */
  public HybridSolver(Integrator integrator, HybridSystem sys, int n) {
    this.integrator = integrator;
    this.sys = sys != null && (sys.modeCount() > 0 || sys.eventCount() > 0) ? sys : null;
    this.n = n;
  }

  /** Whether the model has switches or events (else a solve is one smooth integration). */
  public boolean hybrid() {
    return sys != null;
  }

  /**
   * Integrates from t0 to the last output time through every switch and event.
   *
   * @param f the right-hand side, reading its modes from {@code p}
   * @param p the parameter vector f and its Jacobian are bound to; the modes in it are set here
   * @param breaks extra times where a segment must end (ascending), or null
   */
  public Solution solve(OdeFunction f, double[] p, double t0, double[] y0, double[] saveat, SolverOptions o,
      StepObserver observer, JumpHook hook, double[] breaks) {
    integrator.reset();
    if (sys == null && breaks == null) return integrator.solve(f, t0, y0, saveat, o, observer);
    return new Run(f, p, t0, y0, saveat, o, observer, hook, breaks).go();
  }

  /** Something due at a known time: a switch of a known-time mode, or an occurrence of a time event. */
  private record Due(double time, int mode, int event, int occurrence) {}

  /** An event about to fire at τ and what fixes τ. */
  private record Firing(int event, int mode, int timeEvent, int occurrence) {}

  private final class Run implements RootLocator {
    final OdeFunction f;
    final double[] p;
    final double t0;
    final double[] saveat;
    final SolverOptions o;
    final StepObserver observer;
    final JumpHook hook;
    final double[] breaks;
    final int k;
    final int off;
    final int nx;
    final double[] held;
    final double[] raw;
    final double[] buf;
    final List<Due> due = new ArrayList<>();
    final List<Jump> jumps = new ArrayList<>();
    final Stats total = new Stats();
    final double[][] states;
    double[] y;
    int out;
    double lastBoundary = Double.NaN;
    double[] modes0;
    int chatter;

    Run(OdeFunction f, double[] p, double t0, double[] y0, double[] saveat, SolverOptions o, StepObserver observer,
        JumpHook hook, double[] breaks) {
      this.f = f;
      this.p = p;
      this.t0 = t0;
      this.saveat = saveat;
      this.o = o;
      this.observer = observer;
      this.hook = hook;
      this.breaks = breaks;
      this.k = sys == null ? 0 : sys.modeCount();
      this.off = sys == null ? 0 : sys.modeOffset();
      this.nx = sys == null ? n : sys.stateSize();
      this.held = new double[k];
      this.raw = new double[k];
      this.buf = new double[n];
      this.states = new double[saveat.length][];
      this.y = y0.clone();
    }

    Solution go() {
      double tEnd = saveat[saveat.length - 1];
      if (sys != null && tEnd < t0) {
        throw new SolverFailure(SolverFailure.Reason.BAD_INPUT, t0, "a model with events or switching conditions "
            + "is solved forward in time only; give an end time after the start time");
      }
      if (sys != null) {
        sys.rawModes(t0, y, p, held);
        schedule(tEnd);
        setModes();
      }
      modes0 = held.clone();
      double t = t0;
      boundary(t, false);
      emit(t);
      RootLocator locator = null;
      for (int j = 0; j < k; j++) if (!sys.knownTime(j)) locator = this;
      SolverOptions seg = o.copy();
      int nextDue = 0;
      int nextBreak = 0;
      while (t < tEnd) {
        while (nextDue < due.size() && due.get(nextDue).time <= t) nextDue++;
        while (breaks != null && nextBreak < breaks.length && breaks[nextBreak] <= t) nextBreak++;
        double tStop = tEnd;
        if (nextDue < due.size()) tStop = Math.min(tStop, due.get(nextDue).time);
        if (breaks != null && nextBreak < breaks.length) tStop = Math.min(tStop, breaks[nextBreak]);
        double[] segSave = segmentTimes(t, tStop);
        if (observer != null) observer.onRestart(t, y);
        long used = total.steps + total.rejected;
        if (used >= o.maxSteps) throw SolverInputs.tooManySteps(used, t, tEnd, false, "");
        seg.maxSteps = o.maxSteps - used;
        Solution s = integrator.solve(f, t, y, segSave, seg, observer, locator);
        add(s.stats);
        int filled = s.stopped() ? s.outputsDone : segSave.length - 1;
        for (int i = 0; i < filled; i++) states[out++] = s.states[i];
        if (s.stopped()) {
          t = s.stopTime;
          y = s.stopState;
        } else {
          t = tStop;
          y = s.states[segSave.length - 1].clone();
        }
        boundary(t, s.stopped());
        emit(t);
      }
      total.nextStep = 0;
      return new Solution(saveat.clone(), states, total, saveat.length, Double.NaN, null, List.copyOf(jumps), modes0);
    }

    /** The output times inside (t, tStop), then tStop. */
    private double[] segmentTimes(double t, double tStop) {
      int from = out;
      int to = from;
      while (to < saveat.length && saveat[to] < tStop) to++;
      double[] s = Arrays.copyOfRange(saveat, from, to + 1);
      s[s.length - 1] = tStop;
      return s;
    }

    private void emit(double t) {
      while (out < saveat.length && saveat[out] == t) states[out++] = y.clone();
    }

    private void add(Stats s) {
      total.add(s);
    }

    /** The known times in [t0, tEnd]: switches of known-time modes and time events' occurrences. */
    private void schedule(double tEnd) {
      for (int j = 0; j < k; j++) {
        if (!sys.knownTime(j)) continue;
        double tau = sys.switchTime(j, p);
        if (!(tau >= t0 && tau <= tEnd)) continue;
        if (tau == t0) {
          // switching exactly at the start: the mode takes its value just after t0
          double after = t0 + Math.max(4 * Math.ulp(t0), Double.MIN_NORMAL);
          sys.rawModes(after, y, p, raw);
          held[j] = raw[j];
        } else {
          due.add(new Due(tau, j, -1, 0));
        }
      }
      for (int e = 0; e < sys.eventCount(); e++) {
        double[] s = sys.eventTimes(e, p);
        if (s == null) continue;
        double first = s[0];
        double period = s[1];
        double until = Math.min(s[2], tEnd);
        if (!Double.isFinite(first) || Double.isNaN(period) || Double.isNaN(s[2])) {
          throw new SolverFailure(SolverFailure.Reason.BAD_INPUT, t0, String.format(Locale.ROOT,
              "the event %s has time %s, period %s and end %s with the current parameter values; give it finite "
                  + "values", describeEvent(e), fmt(first), fmt(period), fmt(s[2])));
        }
        if (period == 0) {
          if (first >= t0 && first <= tEnd) due.add(new Due(first, -1, e, 0));
          continue;
        }
        if (!(period > 0)) {
          throw new SolverFailure(SolverFailure.Reason.BAD_INPUT, t0, String.format(Locale.ROOT,
              "the period of the event %s is %s; a repeated event needs a period > 0", describeEvent(e), fmt(period)));
        }
        long kFirst = first >= t0 ? 0 : (long) Math.ceil((t0 - first) / period);
        for (long occ = kFirst; ; occ++) {
          double tau = first + occ * period;
          if (tau < t0) continue;
          if (tau > until) break;
          if (occ - kFirst > MAX_OCCURRENCES) {
            throw new SolverFailure(SolverFailure.Reason.BAD_INPUT, t0, String.format(Locale.ROOT,
                "the event %s repeats more than %d times in [%s, %s] (period %s); give it a longer period or an end "
                    + "('until')", describeEvent(e), MAX_OCCURRENCES, fmt(t0), fmt(tEnd), fmt(period)));
          }
          due.add(new Due(tau, -1, e, (int) occ));
        }
      }
      // at one time: switches (by mode) before events (in the order written)
      due.sort(Comparator.comparingDouble(Due::time).thenComparingInt(d -> d.event < 0 ? -1 : 0)
          .thenComparingInt(d -> d.event < 0 ? d.mode : d.event));
    }

    /** Everything that happens at τ: switches, then the events that fire, each recorded. */
    private void boundary(double tau, boolean located) {
      if (sys == null) return;
      List<Integer> changed = new ArrayList<>();
      double[] next = held.clone();
      List<Firing> firing = new ArrayList<>();
      for (Due d : due) {
        if (d.time != tau) continue;
        if (d.mode >= 0) {
          changed.add(d.mode);
          next[d.mode] = 1 - held[d.mode];
        } else {
          firing.add(new Firing(d.event, -1, d.event, d.occurrence));
        }
      }
      sys.rawModes(tau, y, p, raw);
      for (int j = 0; j < k; j++) {
        if (!sys.knownTime(j) && raw[j] != held[j]) {
          changed.add(j);
          next[j] = raw[j];
        }
      }
      if (changed.isEmpty() && firing.isEmpty()) return;
      chatterGuard(tau, changed);
      changed.sort(null);
      for (int j : changed) {
        if (sys.trigger(j) >= 0) continue;
        record(tau, -1, j, -1, 0, y, y, j, next[j]);
      }
      for (int j : changed) {
        int e = sys.trigger(j);
        if (e < 0) continue;
        if (held[j] == 0 && next[j] == 1) firing.add(new Firing(e, j, -1, 0));
        held[j] = next[j];
      }
      setModes();
      firing.sort(Comparator.comparingInt(Firing::event));
      int fired = 0;
      for (int i = 0; i < firing.size(); i++) {
        Firing fe = firing.get(i);
        if (++fired > MAX_CHATTER) {
          throw new SolverFailure(SolverFailure.Reason.STEP_SIZE_UNDERFLOW, tau, String.format(Locale.ROOT,
              "at t = %s the events keep firing each other (%d times); check the 'when' conditions and what the "
                  + "events assign", fmt(tau), fired - 1));
        }
        double[] yAfter = y.clone();
        double[] xAfter = new double[nx];
        sys.jump(fe.event, tau, y, p, xAfter);
        System.arraycopy(xAfter, 0, yAfter, 0, nx);
        for (int c = 0; c < nx; c++) {
          if (!Double.isFinite(xAfter[c])) {
            throw new SolverFailure(SolverFailure.Reason.NON_FINITE, tau, c + 1, String.format(Locale.ROOT,
                "the event %s made state component %d %s at t = %s; check what it assigns", describeEvent(fe.event),
                c + 1, xAfter[c], fmt(tau)));
          }
        }
        double[] before = held.clone();
        sys.rawModes(tau, yAfter, p, raw);
        for (int j = 0; j < k; j++) {
          if (sys.knownTime(j)) continue;
          int e = sys.trigger(j);
          if (e >= 0 && held[j] == 0 && raw[j] == 1) firing.add(new Firing(e, fe.mode, fe.timeEvent, fe.occurrence));
          held[j] = raw[j];
        }
        Jump jump = new Jump(tau, fe.event, fe.mode, fe.timeEvent, fe.occurrence, Arrays.copyOf(y, nx), before,
            Arrays.copyOf(yAfter, nx), held.clone());
        setModes();
        if (hook != null) hook.jump(jump, y, yAfter);
        jumps.add(jump);
        y = yAfter;
      }
    }

    /** Records a switch alone (the state does not jump) and sets the mode. */
    private void record(double tau, int event, int mode, int timeEvent, int occ, double[] before, double[] after,
        int j, double value) {
      double[] mb = held.clone();
      held[j] = value;
      setModes();
      Jump jump = new Jump(tau, event, mode, timeEvent, occ, Arrays.copyOf(before, nx), mb, Arrays.copyOf(after, nx),
          held.clone());
      double[] z = after.clone();
      if (hook != null) hook.jump(jump, before, z);
      y = z;
      jumps.add(jump);
    }

    private void chatterGuard(double tau, List<Integer> changed) {
      if (!Double.isNaN(lastBoundary) && tau - lastBoundary <= TINY * Math.max(1.0, Math.abs(tau))) {
        if (++chatter > MAX_CHATTER) {
          String which = changed.isEmpty() ? "the events" : sys.describeMode(changed.get(0));
          throw new SolverFailure(SolverFailure.Reason.STEP_SIZE_UNDERFLOW, tau, String.format(Locale.ROOT,
              "%s switches back and forth at t = %s (%d switches in %.2g time units): the dynamics on each side push "
                  + "the state back across it (a sliding mode); smooth the condition (e.g. a steep sigmoid) or "
                  + "rewrite the model so that it does not chatter", which, fmt(tau), chatter,
              tau - lastBoundary));
        }
      } else {
        chatter = 0;
      }
      lastBoundary = tau;
    }

    private void setModes() {
      System.arraycopy(held, 0, p, off, k);
    }

    /** The first point of (tPrev, tNew] where a located mode's raw value differs from the held one. */
    @Override
    public double locate(double tPrev, double tNew, double[] yNew, DenseOutput dense) {
      if (!differs(tNew, yNew)) return Double.NaN;
      double lo = tPrev;
      double hi = tNew;
      for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        dense.interpolate(mid, buf);
        if (differs(mid, buf)) hi = mid;
        else lo = mid;
      }
      return hi;
    }

    private boolean differs(double t, double[] state) {
      sys.rawModes(t, state, p, raw);
      for (int j = 0; j < k; j++) {
        if (!sys.knownTime(j) && raw[j] != held[j]) return true;
      }
      return false;
    }

    private String describeEvent(int e) {
      return sys.describeEvent(e);
    }
  }

  static String fmt(double t) {
    return ExplicitRk.fmt(t);
  }
}
