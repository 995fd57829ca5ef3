package dev.odec.solve;

import java.util.Arrays;

/**
 * The default solver: Tsit5 with stiffness detection, switching to BDF where the problem turns
 * stiff (as LSODA switches from Adams to BDF, here with Hairer's stiffness test on the explicit
 * method's last two stages). The switch is one-way: once stiff, the rest of the span is solved
 * with BDF, which is also efficient on non-stiff stretches at loose tolerances — and so are the
 * later segments of the same trajectory (after an event or a switch), until {@link #reset()}.
 * {@link Stats#switches} counts the switches.
 */
final class AutoIntegrator implements Integrator {
  /** Consecutive stability-limited steps that mean "stiff" (Hairer's DOPRI5 uses 15). */
  static final int STIFF_AFTER = 15;

  private final int n;
  private final OdeJacobian jacobian;
  private final ExplicitRk explicit;
  private Bdf bdf;
  /** The trajectory has turned stiff: later segments go straight to BDF. */
  private boolean stiff;

  AutoIntegrator(int n, OdeJacobian jacobian) {
    this.n = n;
    this.jacobian = jacobian;
    this.explicit = new ExplicitRk(Method.TSIT5, n);
  }

  @Override
  public void reset() {
    stiff = false;
  }

  @Override
  public Solution solve(OdeFunction f, double t0, double[] y0, double[] saveat, SolverOptions o, StepObserver observer,
      RootLocator locator) {
    if (stiff) return bdf().solve(f, jacobian, t0, y0, saveat, o, observer, locator);
    int saved = o.stiffAfter;
    o.stiffAfter = jacobian == null ? saved : STIFF_AFTER;
    try {
      return explicit.solve(f, t0, y0, saveat, o, observer, locator);
    } catch (StiffnessDetected detected) {
      if (jacobian == null) throw detected;
      stiff = true;
      int done = detected.outputsDone();
      double[] rest = Arrays.copyOfRange(saveat, done, saveat.length);
      o.stiffAfter = saved;
      Solution tail = bdf().solve(f, jacobian, detected.time(), detected.state(), rest, o, observer, locator);
      double[][] states = detected.outputs();
      for (int i = 0; i < tail.outputsDone; i++) states[done + i] = tail.states[i];
      Stats st = detected.stats();
      st.nfe += tail.stats.nfe;
      st.steps += tail.stats.steps;
      st.rejected += tail.stats.rejected;
      st.jacobians += tail.stats.jacobians;
      st.lu += tail.stats.lu;
      st.switches++;
      return new Solution(saveat.clone(), states, st, done + tail.outputsDone, tail.stopTime, tail.stopState,
          java.util.List.of(), new double[0]);
    } finally {
      o.stiffAfter = saved;
    }
  }

  private Bdf bdf() {
    if (bdf == null) bdf = new Bdf(n);
    return bdf;
  }
}
