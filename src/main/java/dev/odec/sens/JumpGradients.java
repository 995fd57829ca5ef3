package dev.odec.sens;

import dev.odec.solve.HybridSolver;
import dev.odec.solve.Jump;
import dev.odec.solve.SolverFailure;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How sensitivities and adjoints cross the jumps of a solve (events and switches, LANGUAGE.md §9).
 *
 * <p>At a time τ an event maps the state just before, x⁻, to x⁺ = G(τ, x⁻, p) (G is the identity
 * for a switch alone), and the dynamics change from f⁻ = F(τ, x⁻, p, m⁻) to f⁺ = F(τ, x⁺, p, m⁺)
 * (the modes m change). τ itself depends on p: for a time event's k-th occurrence τ = t_first +
 * k·period, so τ_p = ∂t_first/∂p + k ∂period/∂p; for a root of a switching condition
 * r(τ, x⁻(τ), p) = 0, so
 *
 * <pre>
 *   τ_p = −(r_x S⁻ + r_p) / D,   D = r_x f⁻ + r_t     (S⁻ = ∂x⁻/∂p)
 * </pre>
 *
 * The sensitivities then jump by (Rozenvasser 1967; the same conditions as AMICI's and
 * SUNDIALS users' event sensitivities)
 *
 * <pre>
 *   S⁺ = G_x S⁻ + G_p + (G_x f⁻ + G_t − f⁺) τ_p,
 * </pre>
 *
 * and, transposed, the adjoint λ = dL/dx jumps backwards with c = λ⁺ᵀ(G_x f⁻ + G_t − f⁺):
 *
 * <pre>
 *   λ⁻ = G_xᵀ λ⁺ − (c / D) r_xᵀ,   dL/dp += G_pᵀ λ⁺ − (c / D) r_pᵀ   (a root)
 *   λ⁻ = G_xᵀ λ⁺,                  dL/dp += G_pᵀ λ⁺ + c τ_p           (a time event)
 * </pre>
 *
 * Several jumps at one τ compose in order; when one jump makes a {@code when} condition true and
 * fires another, both share the first's τ_p, so the c of every jump caused by a root add up before
 * the root's term is applied once, at the state before everything that happened at τ. A switch
 * alone (no event) keeps the state and contributes only through f⁻ − f⁺: this is what gives the
 * gradient with respect to a switching time such as {@code t_lock} in
 * {@code if t < t_lock then b0 else b1}, which is zero within every smooth segment.
 */
final class JumpGradients {
  private final GradientModel m;
  private final int nx;
  private final int np;
  private final int n;
  private final int modeOffset;
  private final int modes;
  private final double[] pm;
  private final double[] vin;
  private final double[] vout;
  private final double[] rx;
  private final double[] rp;

  JumpGradients(GradientModel m) {
    this.m = m;
    this.nx = m.nx;
    this.np = m.np;
    this.n = m.n;
    this.modeOffset = m.system().hybrid().modeOffset();
    this.modes = m.system().hybrid().modeCount();
    this.pm = new double[np];
    int cot = Math.max(nx, modes);
    this.vin = new double[nx + cot];
    this.vout = new double[nx + np + 1];
    this.rx = new double[nx];
    this.rp = new double[np];
  }

  /** F(t, x, p) with the modes replaced (x: the model's states; the rate integral, if any, reads 0). */
  double[] dynamics(double t, double[] x, double[] p, double[] modeValues) {
    System.arraycopy(p, 0, pm, 0, np);
    System.arraycopy(modeValues, 0, pm, modeOffset, modes);
    double[] xx = Arrays.copyOf(x, nx);
    double[] f = new double[nx];
    m.forward.eval(t, xx, pm, f);
    return f;
  }

  /** ∂τ/∂p of a time event's occurrence, into out (np). */
  void timeEventGradient(int event, int occurrence, double[] p, double[] out) {
    double[] all = new double[m.timeGradients().outputSize()];
    m.timeGradients().eval(0.0, new double[nx], p, all);
    int w = Math.max(np, 1);
    for (int i = 0; i < np; i++) out[i] = all[2 * w * event + i] + occurrence * all[2 * w * event + w + i];
  }

  /**
   * The root of mode j at (t, x⁰, p) with the modes before: fills rx, rp and returns the rate
   * D = r_x f⁰ + r_t at which it crosses zero.
   */
  private double root(int j, double t, double[] x0, double[] modesBefore, double[] p) {
    Arrays.fill(vin, 0.0);
    System.arraycopy(x0, 0, vin, 0, Math.min(x0.length, nx));
    vin[nx + j] = 1.0;
    m.rootVjp().eval(t, vin, p, vout);
    System.arraycopy(vout, 0, rx, 0, nx);
    System.arraycopy(vout, nx, rp, 0, np);
    double rt = vout[nx + np];
    double[] f0 = dynamics(t, x0, p, modesBefore);
    double d = rt;
    double scale = Math.abs(rt);
    for (int i = 0; i < nx; i++) {
      d += rx[i] * f0[i];
      scale += Math.abs(rx[i] * f0[i]);
    }
    if (!(Math.abs(d) > 1e-12 * scale) || !Double.isFinite(d)) {
      throw new SolverFailure(SolverFailure.Reason.NON_FINITE, t, String.format(Locale.ROOT,
          "%s touches zero without crossing it at t = %s (its rate of change is %.3g there), so the time of "
              + "the switch has no derivative; move the threshold or the parameters slightly",
          m.hybrid.describeMode(j), fmt(t), d));
    }
    return d;
  }

  /**
   * G_xᵀw, G_pᵀw and G_t·w of event e at (t, x) into gx (nx), gp (np); returns G_t·w. For a
   * switch alone (e < 0), G is the identity.
   */
  private double jumpVjp(int e, double t, double[] x, double[] p, double[] w, double[] gx, double[] gp) {
    if (e < 0) {
      System.arraycopy(w, 0, gx, 0, nx);
      Arrays.fill(gp, 0.0);
      return 0.0;
    }
    Arrays.fill(vin, 0.0);
    System.arraycopy(x, 0, vin, 0, Math.min(x.length, nx));
    System.arraycopy(w, 0, vin, nx, nx);
    m.jumpVjp(e).eval(t, vin, p, vout);
    System.arraycopy(vout, 0, gx, 0, nx);
    System.arraycopy(vout, nx, gp, 0, np);
    return vout[nx + np];
  }

  /**
   * The adjoint across the jumps at one time, in reverse: {@code lambda} (nx) holds λ just after
   * them on entry and λ just before on return; the direct terms are added to {@code grad} (np).
   */
  void adjoint(List<Jump> atTau, double[] p, double[] lambda, double[] grad) {
    double tau = atTau.get(0).time();
    Map<Integer, Double> rootWeights = new LinkedHashMap<>();
    double[] gx = new double[nx];
    double[] gp = new double[np];
    double[] tp = new double[np];
    for (int i = atTau.size() - 1; i >= 0; i--) {
      Jump j = atTau.get(i);
      double[] fb = dynamics(tau, j.yBefore(), p, j.modesBefore());
      double[] fa = dynamics(tau, j.yAfter(), p, j.modesAfter());
      double gt = jumpVjp(j.event(), tau, j.yBefore(), p, lambda, gx, gp);
      double c = gt;
      for (int q = 0; q < nx; q++) c += gx[q] * fb[q] - lambda[q] * fa[q];
      System.arraycopy(gx, 0, lambda, 0, nx);
      for (int q = 0; q < np; q++) grad[q] += gp[q];
      if (j.timeEvent() >= 0) {
        timeEventGradient(j.timeEvent(), j.occurrence(), p, tp);
        for (int q = 0; q < np; q++) grad[q] += c * tp[q];
      } else {
        rootWeights.merge(j.mode(), c, Double::sum);
      }
    }
    Jump first = atTau.get(0);
    for (Map.Entry<Integer, Double> rw : rootWeights.entrySet()) {
      double d = root(rw.getKey(), tau, first.yBefore(), first.modesBefore(), p);
      double w = rw.getValue() / d;
      for (int q = 0; q < nx; q++) lambda[q] -= w * rx[q];
      for (int q = 0; q < np; q++) grad[q] -= w * rp[q];
    }
  }

  /**
   * The forward-sensitivity hook: the solver's state is [x, S_1, ..., S_cols] (each nx long); the
   * first {@code params} columns are ∂x/∂p_c for p entries 0..params−1, a last column (when
   * {@code withT0}) is ∂x/∂t0, which has no direct parameter dependence.
   */
  HybridSolver.JumpHook forwardHook(double[] p, int params, boolean withT0) {
    int cols = params + (withT0 ? 1 : 0);
    return new HybridSolver.JumpHook() {
      double tau = Double.NaN;
      double[] z0;
      double[] modes0;
      final Map<String, double[]> sources = new LinkedHashMap<>();

      @Override
      public void jump(Jump j, double[] zb, double[] za) {
        if (j.time() != tau) {
          tau = j.time();
          z0 = zb.clone();
          modes0 = j.modesBefore();
          sources.clear();
        }
        double[] tp = sources.computeIfAbsent(j.timeEvent() >= 0 ? "e" + j.timeEvent() + ":" + j.occurrence()
            : "m" + j.mode(), key -> timeSensitivity(j));
        double[] fb = dynamics(tau, Arrays.copyOf(zb, nx), p, j.modesBefore());
        double[] fa = dynamics(tau, Arrays.copyOf(za, nx), p, j.modesAfter());
        if (j.event() < 0) {
          for (int c = 0; c < cols; c++) {
            for (int q = 0; q < nx; q++) za[nx * (1 + c) + q] = zb[nx * (1 + c) + q] + (fb[q] - fa[q]) * tp[c];
          }
          return;
        }
        // rows of [G_x | G_p | G_t], one vector-Jacobian product each
        double[][] gxRows = new double[nx][nx];
        double[][] gpRows = new double[nx][np];
        double[] gt = new double[nx];
        double[] w = new double[nx];
        for (int r = 0; r < nx; r++) {
          Arrays.fill(w, 0.0);
          w[r] = 1.0;
          gt[r] = jumpVjp(j.event(), tau, zb, p, w, gxRows[r], gpRows[r]);
        }
        for (int r = 0; r < nx; r++) {
          double drift = gt[r] - fa[r];
          for (int q = 0; q < nx; q++) drift += gxRows[r][q] * fb[q];
          for (int c = 0; c < cols; c++) {
            double s = 0;
            for (int q = 0; q < nx; q++) s += gxRows[r][q] * zb[nx * (1 + c) + q];
            if (c < params) s += gpRows[r][c];
            za[nx * (1 + c) + r] = s + drift * tp[c];
          }
        }
      }

      /** τ_c for every column: a time event's ∂τ/∂p, or a root's −(r_x S⁰_c + r_p[c]) / D at τ's first state. */
      private double[] timeSensitivity(Jump j) {
        double[] tp = new double[cols];
        if (j.timeEvent() >= 0) {
          double[] g = new double[np];
          timeEventGradient(j.timeEvent(), j.occurrence(), p, g);
          System.arraycopy(g, 0, tp, 0, params);
          return tp;
        }
        double d = root(j.mode(), tau, Arrays.copyOf(z0, nx), modes0, p);
        for (int c = 0; c < cols; c++) {
          double s = c < params ? rp[c] : 0.0;
          for (int q = 0; q < nx; q++) s += rx[q] * z0[nx * (1 + c) + q];
          tp[c] = -s / d;
        }
        return tp;
      }
    };
  }

  private static String fmt(double t) {
    return String.format(Locale.ROOT, "%.6g", t);
  }
}
