package dev.odec.infer.optim;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bound-constrained quasi-Newton minimisation in the manner of L-BFGS-B: a limited-memory BFGS
 * model (the last 10 pairs s = Δθ, y = Δ∇L, two-loop recursion; Nocedal and Wright, Numerical
 * Optimization, Algorithm 7.4) acting on the free variables, and a projected search path.
 *
 * <ul>
 *   <li>Active set (Bertsekas, "Projected Newton methods for optimization problems with simple
 *       constraints", SIAM J. Control Optim. 20, 1982): a variable within ε of a bound with the
 *       gradient pushing it outwards is held there this iteration; ε = min(10⁻⁸·scale, ‖θ −
 *       P(θ − ∇L)‖). The quasi-Newton direction is computed on the others; held variables move
 *       along −∇L (and are projected back).
 *   <li>Line search along the projected path θ(a) = P(θ + a·d) with Armijo's condition
 *       L(θ(a)) ≤ L(θ) + 10⁻⁴ ∇Lᵀ(θ(a) − θ), backtracking by quadratic interpolation (a point
 *       that cannot be evaluated counts as +∞ and halves the step).
 *   <li>A pair updates the memory only when sᵀy &gt; 10⁻¹⁰·‖s‖‖y‖ (the curvature condition that
 *       keeps the model positive definite); a direction that is not a descent direction resets
 *       the memory.
 * </ul>
 *
 * Stops on the projected gradient ‖θ − P(θ − ∇L)‖∞ &lt; gtol, a relative decrease below ftol in
 * two successive iterations (scipy's L-BFGS-B {@code factr} test, asked twice), a step below xtol·(xtol + ‖θ‖), or the limits.
 */
public final class ProjectedLbfgs {
  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;

  private final Objective f;
  private final double[] lo;
  private final double[] hi;
  private final StopRules stop;
  private final int n;
  private int evaluations;

  public ProjectedLbfgs(Objective f, double[] lo, double[] hi, StopRules stop) {
    this.f = f;
    this.lo = lo;
    this.hi = hi;
    this.stop = stop;
    this.n = f.dimension();
  }

  public OptimResult minimize(double[] theta0) {
    double[] x = project(theta0);
    double[] g = new double[n];
    double fx = f.evaluate(x, g);
    evaluations = 1;
    if (!Double.isFinite(fx)) throw new EvaluationFailure("non-finite objective", "the objective is " + fx);
    Deque<double[][]> memory = new ArrayDeque<>();
    int iterations = 0;
    String exit;
    double[] gNew = new double[n];
    boolean smallBefore = false;
    while (true) {
      double pg = projectedGradientNorm(x, g);
      if (pg < stop.gtol()) {
        exit = "gradient";
        break;
      }
      String why = stop.interruption(iterations);
      if (why != null) {
        exit = why;
        break;
      }
      double eps = Math.min(1e-8, pg);
      boolean[] held = new boolean[n];
      for (int i = 0; i < n; i++) {
        held[i] = (lo[i] != Double.NEGATIVE_INFINITY && x[i] - lo[i] <= eps * Math.max(1, Math.abs(lo[i])) && g[i] > 0)
            || (hi[i] != Double.POSITIVE_INFINITY && hi[i] - x[i] <= eps * Math.max(1, Math.abs(hi[i])) && g[i] < 0);
      }
      double[] d = direction(g, held, memory);
      double slope = 0;
      for (int i = 0; i < n; i++) slope += g[i] * d[i];
      if (!(slope < 0)) {
        memory.clear();
        for (int i = 0; i < n; i++) d[i] = -g[i];
      }
      // the first step of a fresh model is limited to unit length in θ
      double a = memory.isEmpty() ? Math.min(1, 1 / Math.max(norm(d), 1e-300)) : 1;
      double[] xNew = null;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int ls = 0; ls < 40; ls++) {
        xNew = new double[n];
        for (int i = 0; i < n; i++) xNew[i] = x[i] + a * d[i];
        xNew = project(xNew);
        double decrease = 0;
        for (int i = 0; i < n; i++) decrease += g[i] * (xNew[i] - x[i]);
        evaluations++;
        try {
          fNew = f.evaluate(xNew, gNew);
        } catch (EvaluationFailure e) {
          fNew = Double.POSITIVE_INFINITY;
        }
        if (Double.isFinite(fNew) && fNew <= fx + ARMIJO * decrease) {
          accepted = true;
          break;
        }
        if (stop.interruption(iterations) != null) break;
        double next = 0.5 * a;
        if (Double.isFinite(fNew) && decrease < 0) {
          // minimiser of the quadratic through f(0), its slope and f(a), kept within [a/10, a/2]
          double q = -decrease * a / (2 * (fNew - fx - decrease));
          next = Math.max(0.1 * a, Math.min(0.5 * a, q));
        }
        a = next;
      }
      iterations++;
      if (!accepted) {
        if (!memory.isEmpty()) {
          memory.clear();
          continue;
        }
        exit = stop.interruption(iterations) != null ? stop.interruption(iterations) : "no progress";
        break;
      }
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = xNew[i] - x[i];
        y[i] = gNew[i] - g[i];
      }
      double sy = TrustRegionReflective.dot(s, y);
      if (sy > 1e-10 * norm(s) * norm(y)) {
        memory.addLast(new double[][] {s, y, {1 / sy}});
        if (memory.size() > MEMORY) memory.removeFirst();
      }
      double fOld = fx;
      double xNorm = norm(x);
      x = xNew;
      fx = fNew;
      System.arraycopy(gNew, 0, g, 0, n);
      // twice in a row: one short step of a fresh memory is no evidence of convergence
      boolean small = (fOld - fx) <= stop.ftol() * Math.max(Math.max(Math.abs(fOld), Math.abs(fx)), 1);
      if (small && smallBefore) {
        exit = "function change";
        break;
      }
      smallBefore = small;
      if (norm(s) < stop.xtol() * (stop.xtol() + xNorm)) {
        exit = "step";
        break;
      }
    }
    boolean converged = exit.equals("gradient") || exit.equals("function change") || exit.equals("step");
    return new OptimResult(x, fx, iterations, evaluations, exit, converged);
  }

  /** −H·g on the free variables (two-loop recursion with γ = sᵀy/yᵀy scaling), −g on the held ones. */
  private double[] direction(double[] g, boolean[] held, Deque<double[][]> memory) {
    double[] q = new double[n];
    for (int i = 0; i < n; i++) q[i] = held[i] ? 0 : g[i];
    double[] alphas = new double[memory.size()];
    int k = memory.size() - 1;
    var it = memory.descendingIterator();
    while (it.hasNext()) {
      double[][] pair = it.next();
      double a = pair[2][0] * dotFree(pair[0], q, held);
      alphas[k--] = a;
      for (int i = 0; i < n; i++) if (!held[i]) q[i] -= a * pair[1][i];
    }
    double gamma = 1;
    if (!memory.isEmpty()) {
      double[][] last = memory.peekLast();
      double yy = dotFree(last[1], last[1], held);
      double sy = dotFree(last[0], last[1], held);
      if (yy > 0 && sy > 0) gamma = sy / yy;
    }
    for (int i = 0; i < n; i++) q[i] *= gamma;
    k = 0;
    for (double[][] pair : memory) {
      double b = pair[2][0] * dotFree(pair[1], q, held);
      for (int i = 0; i < n; i++) if (!held[i]) q[i] += (alphas[k] - b) * pair[0][i];
      k++;
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = held[i] ? -g[i] : -q[i];
    return d;
  }

  private static double dotFree(double[] a, double[] b, boolean[] held) {
    double s = 0;
    for (int i = 0; i < a.length; i++) if (!held[i]) s += a[i] * b[i];
    return s;
  }

  double[] project(double[] x) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
    return out;
  }

  /** ‖θ − P(θ − ∇L)‖∞: zero exactly at a first-order point of the bounded problem. */
  private double projectedGradientNorm(double[] x, double[] g) {
    double m = 0;
    for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(x[i] - Math.min(hi[i], Math.max(lo[i], x[i] - g[i]))));
    return m;
  }

  private static double norm(double[] a) {
    return TrustRegionReflective.norm(a);
  }
}
