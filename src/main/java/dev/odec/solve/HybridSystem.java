package dev.odec.solve;

/**
 * What a solve through switches and events needs to know about a model (LANGUAGE.md §9),
 * implemented by the compiled model: the modes that hold its switching conditions fixed between
 * switches (they live in the parameter vector p from {@link #modeOffset()} on, where the
 * compiled right-hand side reads them), their raw values, the known switching times, and the
 * events. The solver's state holds the model's {@link #stateSize()} states first (an augmented
 * system may append more).
 */
public interface HybridSystem {
  /** The number of model states (the leading part of the solver's state). */
  int stateSize();

  /** Where the modes start in p. */
  int modeOffset();

  int modeCount();

  /** The values the modes must have at (t, y): the switching conditions evaluated as written. */
  void rawModes(double t, double[] y, double[] p, double[] out);

  /** Whether the mode switches at a known time (its condition is affine in t and reads no state). */
  boolean knownTime(int mode);

  /** The time a known-time mode's condition crosses zero (NaN: never). */
  double switchTime(int mode, double[] p);

  /** The event a mode fires when it turns from 0 to 1 (a {@code when} condition), or −1. */
  int trigger(int mode);

  int eventCount();

  /**
   * A time event's schedule {first, period, until} (period 0 when it does not repeat, until +∞
   * when absent), or null for a state event.
   */
  double[] eventTimes(int event, double[] p);

  /** The state just after the event, from the state just before (the first stateSize() entries). */
  void jump(int event, double t, double[] yBefore, double[] p, double[] yAfter);

  /** Where the mode's condition is written, for messages ("the comparison at line 12"). */
  String describeMode(int mode);

  /** Where the event is written, for messages ("at line 7"). */
  String describeEvent(int event);
}
