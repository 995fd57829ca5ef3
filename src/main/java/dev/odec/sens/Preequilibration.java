package dev.odec.sens;

import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.BoundFunction;
import dev.odec.solve.Integrator;
import dev.odec.solve.OdeJacobian;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SteadyState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Pre-equilibration (LANGUAGE.md §9): the steady state of the model under a conditions row's
 * overrides, from which experiments that name that row start, and its sensitivities by the
 * implicit function theorem (see {@link SteadyState}). Each row's steady state is computed once
 * for a problem (one parameter vector), however many experiments start from it.
 */
final class Preequilibration {
  /** A steady state x_ss and ∂x_ss/∂p_k for the params, as rows [i][k]. */
  record Steady(double[] x, double[][] sensitivity) {}

  private final GradientProblem pr;
  private final Map<String, Steady> cache = new HashMap<>();
  /** For each state component: the p entries its initial-value expression reads. */
  private boolean[][] initialReads;

  Preequilibration(GradientProblem pr) {
    this.pr = pr;
  }

  /** The steady state experiment e starts from (computed on first use). */
  Steady of(GradientProblem.Experiment e) {
    Steady s = cache.get(e.preequilibration);
    if (s == null) {
      try {
        s = compute(e.pPre, e.overriddenPre);
      } catch (SolverFailure f) {
        throw new SolverFailure(f.reason(), f.time(), f.component(), "the pre-equilibration of experiment '" + e.id
            + "' under '" + e.preequilibration + "' failed: " + f.getMessage());
      }
      cache.put(e.preequilibration, s);
    }
    return s;
  }

  /**
   * The state components that start from their own expression rather than the steady state: those
   * whose initial value reads a param or const that the experiment's own conditions row sets.
   */
  boolean[] reinitialised(GradientProblem.Experiment e) {
    GradientModel m = pr.model;
    if (initialReads == null) initialReads = initialReads(m.system());
    boolean[] out = new boolean[m.n];
    for (int i = 0; i < m.n; i++) {
      for (int k = 0; k < e.overridden.length; k++) {
        if (e.overridden[k] && initialReads[i][k]) out[i] = true;
      }
    }
    return out;
  }

  private Steady compute(double[] pPre, boolean[] fixed) {
    GradientModel m = pr.model;
    int n = m.n;
    double[] p = pPre.clone();
    double[] x0 = pr.initialState(p);
    OdeJacobian jac = m.modelJacobian(p);
    BoundFunction f = new BoundFunction(m.modelRhs(), n, p);
    double[] x = java.util.Arrays.copyOf(x0, n);
    SteadyState solver = null;
    // the modes of the dynamics at the steady state must be those it was found with
    for (int round = 0; ; round++) {
      if (!setModes(p, x) && round > 0) break;
      if (round == 5) {
        throw new SolverFailure(SolverFailure.Reason.NO_STEADY_STATE, pr.t0, "the steady state keeps crossing a "
            + "switching condition of the dynamics, so none exists with fixed modes");
      }
      solver = new SteadyState(f, jac, pr.t0, pr.options);
      x = solver.find(x, Integrator.of(pr.method, n, jac), pr.options).x();
    }
    // sensitivities: M S = [−F_p; Cᵀ ∂x0/∂p] with M = [J; Cᵀ]
    DMatrixRMaj j = solver.jacobian(x);
    double[][] c = SteadyState.conservationLaws(j);
    DMatrixRMaj mat = SteadyState.bordered(j, c);
    int params = m.nParams;
    double[][] fp = new double[n][m.np];
    double[] in = new double[2 * m.nx];
    double[] out = new double[m.nx + m.np + 1];
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(in, 0.0);
      System.arraycopy(x, 0, in, 0, n);
      in[m.nx + i] = 1.0;
      m.vjpF.eval(pr.t0, in, p, out);
      System.arraycopy(out, m.nx, fp[i], 0, m.np);
    }
    double[][] dx0 = pr.initialJacobian(p);
    DMatrixRMaj b = new DMatrixRMaj(n + c.length, params);
    for (int k = 0; k < params; k++) {
      if (fixed[k]) continue; // set by the row: not a free parameter of this steady state
      for (int i = 0; i < n; i++) b.set(i, k, -fp[i][k]);
      for (int r = 0; r < c.length; r++) {
        double v = 0;
        for (int i = 0; i < n; i++) v += c[r][i] * dx0[i][k];
        b.set(n + r, k, v);
      }
    }
    DMatrixRMaj sol = params == 0 ? new DMatrixRMaj(n, 0) : SteadyState.solve(mat, b);
    double[][] s = new double[n][params];
    for (int i = 0; i < n; i++) for (int k = 0; k < params; k++) s[i][k] = sol.get(i, k);
    return new Steady(x, s);
  }

  /** Sets the modes in p to their values at (t0, x); returns whether any changed. */
  private boolean setModes(double[] p, double[] x) {
    GradientModel m = pr.model;
    if (m.hybrid == null) return false;
    double[] modes = new double[m.hybrid.modeCount()];
    m.hybrid.rawModes(pr.t0, x, p, modes);
    boolean changed = false;
    int off = m.hybrid.modeOffset();
    for (int i = 0; i < modes.length; i++) {
      changed |= p[off + i] != modes[i];
      p[off + i] = modes[i];
    }
    return changed;
  }

  /** Which p entries each state component's initial-value expression reads (through other states' too). */
  private static boolean[][] initialReads(OdeSystem sys) {
    IrFunction init = sys.initial();
    int n = sys.stateSize();
    boolean[][] reads = new boolean[n][sys.paramSize()];
    int row = 0;
    for (Node out : init.outputs()) {
      boolean[] used = new boolean[sys.paramSize()];
      for (Node node : new IrFunction("init", List.of(out), init.ySize(), init.pSize()).schedule()) {
        if (node.op == Op.INPUT && node.intAt(0) == 1) {
          for (int k = 0; k < node.size(); k++) used[node.intAt(1) + k] = true;
        }
      }
      for (int c = 0; c < out.size(); c++) reads[row + c] = used;
      row += out.size();
    }
    return reads;
  }
}
