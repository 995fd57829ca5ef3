package dev.odec.solve;

import java.util.Arrays;

/**
 * The default solver: Tsit5 with stiffness detection, switching to BDF where the problem turns
 * stiff (as LSODA switches from Adams to BDF). Tsit5 counts a step as stiff when h ρ passes half
 * its stability limit, with ρ Hairer's estimate of the dominant eigenvalue from its last two stages
 * in the error test's weighted norm, refined every few steps by two power steps ({@link
 * ExplicitRk}); or, here, when BDF's step at that point ({@link BdfStepEstimate}) would be at least
 * as long as Tsit5's, which at tight tolerances happens on smooth stiff stretches before the
 * stability limit is reached. After {@value #STIFF_AFTER} consecutive such steps it switches. The
 * switch is one-way: once stiff, the rest of the span is solved with BDF, which is also efficient
 * on non-stiff stretches at loose tolerances — and so are the later segments of the same
 * trajectory (after an event or a switch), until {@link #reset()}. {@link Stats#switches} counts
 * the switches.
 */
final class AutoIntegrator implements Integrator {
  /** Consecutive stability-limited steps that mean "stiff" (Hairer's DOPRI5 uses 15). */
  static final int STIFF_AFTER = 15;

  private final int n;
  private final OdeJacobian jacobian;
  private final ExplicitRk explicit;
  private Bdf bdf;
  /** The trajectory has switched to BDF: later segments go straight to it. */
  private boolean switched;
  /** ... because it turned stiff (not only because BDF had become the cheaper method). */
  private boolean stiff;

  AutoIntegrator(int n, OdeJacobian jacobian) {
    this.n = n;
    this.jacobian = jacobian;
    this.explicit = new ExplicitRk(Method.TSIT5, n);
    if (jacobian != null) explicit.compareWithBdf();
  }

  @Override
  public void reset() {
    switched = false;
    stiff = false;
  }

  @Override
  public Solution solve(OdeFunction f, double t0, double[] y0, double[] saveat, SolverOptions o, StepObserver observer,
      RootLocator locator) {
    if (switched) {
      Solution s = bdf().solve(f, jacobian, t0, y0, saveat, o, observer, locator);
      s.stats.stiff = stiff;
      return s;
    }
    // the caller's options stay as they are: several threads may solve with one SolverOptions
    SolverOptions explicitOptions = o;
    if (jacobian != null && o.stiffAfter != STIFF_AFTER) {
      explicitOptions = o.copy();
      explicitOptions.stiffAfter = STIFF_AFTER;
    }
    try {
      return explicit.solve(f, t0, y0, saveat, explicitOptions, observer, locator);
    } catch (StiffnessDetected detected) {
      if (jacobian == null) throw detected;
      switched = true;
      stiff = detected.stabilityLimited();
      int done = detected.outputsDone();
      double[] rest = Arrays.copyOfRange(saveat, done, saveat.length);
      Solution tail = bdf().solve(f, jacobian, detected.time(), detected.state(), rest, o, observer, locator);
      double[][] states = detected.outputs();
      for (int i = 0; i < tail.outputsDone; i++) states[done + i] = tail.states[i];
      Stats st = detected.stats();
      st.add(tail.stats);
      st.switches++;
      st.stiff = stiff;
      return new Solution(saveat.clone(), states, st, done + tail.outputsDone, tail.stopTime, tail.stopState,
          java.util.List.of(), new double[0]);
    }
  }

  private Bdf bdf() {
    if (bdf == null) bdf = new Bdf(n);
    return bdf;
  }
}
