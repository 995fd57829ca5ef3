package dev.odec.solve;

/**
 * One thing that happened at a time τ of a piecewise-smooth solve (see {@link HybridSolver}):
 * a switch of the dynamics, or an event that made the state jump. Several may share a time; they
 * are listed in the order they were applied. What the gradient methods need is recorded: the
 * model state and the modes just before and just after, which event (if any) mapped one to the
 * other, and what fixes τ — the root of a mode's switching condition ({@code mode ≥ 0}) or the
 * time of a time event's occurrence ({@code timeEvent ≥ 0}).
 *
 * @param time τ
 * @param event the event applied, or −1 for a switch alone (the state does not jump)
 * @param mode the mode whose switching condition crosses zero at τ, or −1
 * @param timeEvent the time event whose occurrence is at τ, or −1
 * @param occurrence which occurrence of a repeated time event (0 for the first)
 * @param yBefore the model's state just before (its first n components)
 * @param modesBefore the modes just before
 * @param yAfter the model's state just after
 * @param modesAfter the modes just after
 */
public record Jump(double time, int event, int mode, int timeEvent, int occurrence, double[] yBefore,
    double[] modesBefore, double[] yAfter, double[] modesAfter) {}
