package dev.odec.solve;

import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.linsol.svd.SolvePseudoInverseSvd_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The steady state of dx/dt = f(t, x) at a fixed time t (the dynamics with t held, modes held):
 * a point where f vanishes, reached from x0.
 *
 * <p><b>Conservation laws.</b> A reaction network usually conserves totals (Cᵀf ≡ 0 for the
 * columns of C: the left null space of J = ∂f/∂x), so J is singular and the steady state is the
 * one with the totals of x0: f(x) = 0 and Cᵀx = Cᵀx0. Newton's method runs on that bordered
 * system, M Δx = [−f; Cᵀ(x0 − x)] with M = [J; Cᵀ] of full column rank, solved in the least-squares
 * sense (exact, as the system is consistent), with C from the singular value decomposition of J
 * (singular values below 1e-10 of the largest). Steps are damped until the residual decreases.
 *
 * <p><b>Convergence.</b> A point is a steady state when ‖f‖ ≤ {@link #TOLERANCE} in the weighted
 * RMS norm with weights 1/(atol + rtol |x_i|): every rate of change is a thousandth of what the
 * tolerances allow per unit time (AMICI's criterion on ẋ, at a thousandth).
 *
 * <p><b>Fallback.</b> When Newton's method fails (no decrease, a non-finite value, a species turning
 * negative, 25 iterations), the dynamics are integrated from x0 until ‖f‖·τ ≤ 1 in that norm at
 * pseudo-time τ ≥ 1 (what the state would still change over the time it took to get there is
 * within the tolerances: an exponential approach passes, a slow drift does not), and Newton's
 * method polishes the result; integration follows the same conservation laws the model has, so
 * it finds the steady state that x0 leads to.
 *
 * <p><b>Sensitivities</b> (implicit function theorem): differentiating f(x_ss, p) = 0 and
 * Cᵀx_ss = Cᵀx0(p), S = ∂x_ss/∂p solves M S = [−F_p; Cᵀ ∂x0/∂p]; for an adjoint, λᵀS = −w₁ᵀF_p +
 * w₂ᵀCᵀ∂x0/∂p with w = (M⁺)ᵀλ.
 */
public final class SteadyState {
  /** How far below the tolerances a steady state's rates of change must be. */
  public static final double TOLERANCE = 1e-3;
  private static final int MAX_NEWTON = 25;
  private static final double NULL_RANK = 1e-10;

  private final OdeFunction f;
  private final OdeJacobian jac;
  private final int n;
  private final double t;
  private final double[] rtolV;
  private final double[] atolV;
  private final double[] jacValues;
  private long nfe;

  /** A steady state: the point, the conservation laws there, and the work it took. */
  public record Result(double[] x, double[][] conservation, boolean byNewton, long nfe, double residual) {}

  public SteadyState(OdeFunction f, OdeJacobian jac, double t, SolverOptions o) {
    this.f = f;
    this.jac = jac;
    this.n = f.dimension();
    this.t = t;
    this.rtolV = new double[n];
    this.atolV = new double[n];
    SolverInputs.tolerances(n, o, rtolV, atolV, t);
    this.jacValues = new double[jac.colIndex().length];
  }

  /**
   * Finds the steady state that x0 leads to: Newton's method, else integration with {@code
   * integrator} and Newton's method to polish.
   *
   * @throws SolverFailure when neither reaches one (naming the fastest-changing component)
   */
  public Result find(double[] x0, Integrator integrator, SolverOptions o) {
    double[] x = newton(x0, x0);
    boolean byNewton = x != null;
    if (x == null) {
      double[] settled = integrate(x0, integrator, o);
      double[] polished = newton(settled, x0);
      x = polished != null ? polished : settled;
    }
    double[] fx = new double[n];
    eval(x, fx);
    return new Result(x, conservationLaws(jacobian(x)), byNewton, nfe, norm(fx, x));
  }

  /** The dense Jacobian ∂f/∂x at x. */
  public DMatrixRMaj jacobian(double[] x) {
    jac.eval(t, x, jacValues);
    DMatrixRMaj j = new DMatrixRMaj(n, n);
    int[] rs = jac.rowStart();
    int[] ci = jac.colIndex();
    for (int r = 0; r < n; r++) {
      for (int k = rs[r]; k < rs[r + 1]; k++) j.set(r, ci[k], jacValues[k]);
    }
    return j;
  }

  /** The columns of C: an orthonormal basis of the left null space of J (conserved totals), as rows. */
  public static double[][] conservationLaws(DMatrixRMaj j) {
    int n = j.numRows;
    if (n == 0) return new double[0][];
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, true, false, false);
    if (!svd.decompose(j.copy())) return new double[0][];
    DMatrixRMaj u = svd.getU(null, false);
    double[] sv = svd.getSingularValues();
    double max = 0;
    for (double s : sv) max = Math.max(max, s);
    int count = 0;
    for (double s : sv) if (s <= NULL_RANK * max) count++;
    double[][] c = new double[count][n];
    int k = 0;
    for (int i = 0; i < sv.length; i++) {
      if (sv[i] > NULL_RANK * max) continue;
      for (int r = 0; r < n; r++) c[k][r] = u.get(r, i);
      k++;
    }
    return c;
  }

  /** M = [J; Cᵀ] ((n + r) × n). */
  public static DMatrixRMaj bordered(DMatrixRMaj j, double[][] c) {
    int n = j.numRows;
    DMatrixRMaj m = new DMatrixRMaj(n + c.length, n);
    CommonOps_DDRM.insert(j, m, 0, 0);
    for (int k = 0; k < c.length; k++) for (int r = 0; r < n; r++) m.set(n + k, r, c[k][r]);
    return m;
  }

  /** The least-squares solution of M X = B (exact when consistent, M of full column rank). */
  public static DMatrixRMaj solve(DMatrixRMaj m, DMatrixRMaj b) {
    SolvePseudoInverseSvd_DDRM solver = new SolvePseudoInverseSvd_DDRM();
    if (!solver.setA(m.copy())) throw new IllegalStateException("SVD failed");
    DMatrixRMaj x = new DMatrixRMaj(m.numCols, b.numCols);
    solver.solve(b, x);
    return x;
  }

  /** (M⁺)ᵀ λ: the weights w of an adjoint, λᵀ M⁺ B = wᵀ B. */
  public static double[] transposedSolve(DMatrixRMaj m, double[] lambda) {
    DMatrixRMaj pinv = new DMatrixRMaj(m.numCols, m.numRows);
    CommonOps_DDRM.pinv(m, pinv);
    double[] w = new double[m.numRows];
    for (int i = 0; i < m.numRows; i++) {
      double s = 0;
      for (int k = 0; k < m.numCols; k++) s += pinv.get(k, i) * lambda[k];
      w[i] = s;
    }
    return w;
  }

  /** Damped Newton on the bordered system; null when it fails. */
  private double[] newton(double[] start, double[] x0) {
    double[] x = start.clone();
    double[] fx = new double[n];
    double[] trial = new double[n];
    double[] ft = new double[n];
    eval(x, fx);
    double res = norm(fx, x);
    if (!Double.isFinite(res)) return null;
    for (int it = 0; it < MAX_NEWTON; it++) {
      if (res <= TOLERANCE) return x;
      DMatrixRMaj j = jacobian(x);
      double[][] c = conservationLaws(j);
      DMatrixRMaj m = bordered(j, c);
      DMatrixRMaj b = new DMatrixRMaj(n + c.length, 1);
      for (int r = 0; r < n; r++) b.set(r, 0, -fx[r]);
      for (int k = 0; k < c.length; k++) {
        double s = 0;
        for (int r = 0; r < n; r++) s += c[k][r] * (x0[r] - x[r]);
        b.set(n + k, 0, s);
      }
      DMatrixRMaj dx;
      try {
        dx = solve(m, b);
      } catch (RuntimeException singular) {
        return null;
      }
      double lambda = 1;
      boolean improved = false;
      for (int half = 0; half < 12 && !improved; half++, lambda *= 0.5) {
        for (int r = 0; r < n; r++) trial[r] = x[r] + lambda * dx.get(r, 0);
        eval(trial, ft);
        double rt = norm(ft, trial);
        if (Double.isFinite(rt) && rt < res) {
          System.arraycopy(trial, 0, x, 0, n);
          System.arraycopy(ft, 0, fx, 0, n);
          res = rt;
          improved = true;
        }
      }
      if (!improved) return null;
    }
    if (res > TOLERANCE) return null;
    for (int r = 0; r < n; r++) {
      // a species that was non-negative and is now clearly negative: another, unphysical root
      if (x0[r] >= 0 && x[r] < -100 * atolV[r]) return null;
    }
    return x;
  }

  /** Integrates from x0 until ‖f‖ ≤ 1 (checked at every step's end). */
  private double[] integrate(double[] x0, Integrator integrator, SolverOptions o) {
    OdeFunction frozen = new OdeFunction() {
      @Override
      public int dimension() {
        return n;
      }

      @Override
      public void eval(double tau, double[] y, double[] dydt) {
        f.eval(t, y, dydt);
      }
    };
    double[] fx = new double[n];
    // settled when what the state would still change over the time it took to get here is within
    // the tolerances: this accepts an exponential approach and rejects a slow drift (x' = 1 has a
    // rate far below rtol |x| once x is large, but has moved by x in that time)
    RootLocator settled = (tPrev, tNew, yNew, dense) -> {
      f.eval(t, yNew, fx);
      nfe++;
      return norm(fx, yNew) * Math.max(1.0, tNew) <= 1 ? tNew : Double.NaN;
    };
    double horizon = 1e12;
    Solution s;
    try {
      s = integrator.solve(frozen, 0.0, x0, new double[] {horizon}, o, null, settled);
    } catch (SolverFailure e) {
      throw notSettled(e.getMessage(), x0);
    }
    nfe += s.stats.nfe;
    if (!s.stopped()) throw notSettled(null, s.states[0]);
    return s.stopState;
  }

  private SolverFailure notSettled(String why, double[] x) {
    double[] fx = new double[n];
    eval(x, fx);
    int worst = 0;
    for (int i = 1; i < n; i++) if (Math.abs(fx[i]) > Math.abs(fx[worst])) worst = i;
    return new SolverFailure(SolverFailure.Reason.NO_STEADY_STATE, t, worst + 1, String.format(Locale.ROOT,
        "no steady state was reached: neither Newton's method nor integrating the dynamics settled%s; the largest "
            + "rate of change is |d(component %d)/dt| = %.3g (at %s)",
        why == null ? " (integrated to t = 1e12)" : " (" + why + ")", worst + 1, Math.abs(fx[worst]),
        format(x[worst])));
  }

  private void eval(double[] x, double[] out) {
    f.eval(t, x, out);
    nfe++;
  }

  /** The weighted RMS norm of the rates f at x. */
  private double norm(double[] fx, double[] x) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double w = fx[i] / (atolV[i] + rtolV[i] * Math.abs(x[i]));
      s += w * w;
    }
    return n == 0 ? 0 : Math.sqrt(s / n);
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "value %.6g", v);
  }
}
