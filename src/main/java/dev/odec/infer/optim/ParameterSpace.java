package dev.odec.infer.optim;

import dev.odec.ir.OdeSystem;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinates an optimizer works in: one per estimated param component, in that param's
 * declared scale (LANGUAGE.md §2): θ = p ({@code lin}), θ = ln p ({@code log}) or
 * θ = log10 p ({@code log10}), with the bounds transformed alike (±∞ where a param has none).
 * Held components (consts, {@code --fix}, params a PEtab problem marks fixed) keep their value in
 * the base vector.
 */
public final class ParameterSpace {
  /** One estimated component: its index in p, its name ({@code k}, {@code W[2,1]}) and scale. */
  public record Component(int index, String name, String scale, double lo, double hi) {}

  private final double[] base;
  private final List<Component> free;
  private final double[] lower;
  private final double[] upper;

  /**
   * @param base the full parameter vector (natural scale) holding the values of held components
   * @param held per entry of p, whether it is held (consts are always held)
   */
  public ParameterSpace(OdeSystem sys, double[] base, boolean[] held) {
    this.base = base.clone();
    List<Component> f = new ArrayList<>();
    for (OdeSystem.ParamInfo info : sys.params()) {
      List<String> names = info.var().componentNames();
      for (int i = 0; i < names.size(); i++) {
        int idx = info.var().offset() + i;
        if (held[idx]) continue;
        double lo = Double.isNaN(info.lo()) ? Double.NEGATIVE_INFINITY : info.lo();
        double hi = Double.isNaN(info.hi()) ? Double.POSITIVE_INFINITY : info.hi();
        f.add(new Component(idx, names.get(i), info.scale(), lo, hi));
      }
    }
    this.free = List.copyOf(f);
    lower = new double[free.size()];
    upper = new double[free.size()];
    for (int j = 0; j < free.size(); j++) {
      Component c = free.get(j);
      lower[j] = c.lo == Double.NEGATIVE_INFINITY ? c.lo : toScale(c.scale, c.lo);
      upper[j] = c.hi == Double.POSITIVE_INFINITY ? c.hi : toScale(c.scale, c.hi);
    }
  }

  /** The number of estimated components (the optimizer's dimension). */
  public int size() {
    return free.size();
  }

  public List<Component> components() {
    return free;
  }

  /** Lower bounds of θ (−∞ where none; a log scale without bounds is unbounded too). */
  public double[] lower() {
    return lower.clone();
  }

  public double[] upper() {
    return upper.clone();
  }

  /** The base vector: held values, and the nominal values of the estimated ones. */
  public double[] base() {
    return base.clone();
  }

  /** θ of the estimated components of p. */
  public double[] toTheta(double[] p) {
    double[] th = new double[free.size()];
    for (int j = 0; j < th.length; j++) th[j] = toScale(free.get(j).scale, p[free.get(j).index]);
    return th;
  }

  /** The full parameter vector for θ: the base with the estimated components replaced. */
  public double[] toP(double[] theta) {
    double[] p = base.clone();
    for (int j = 0; j < theta.length; j++) p[free.get(j).index] = fromScale(free.get(j).scale, theta[j]);
    return p;
  }

  /** dp_j/dθ_j at θ_j (1, p, or p·ln 10). */
  public double derivative(int j, double theta) {
    return switch (free.get(j).scale) {
      case "log" -> Math.exp(theta);
      case "log10" -> Math.pow(10, theta) * Math.log(10);
      default -> 1.0;
    };
  }

  /** The gradient with respect to θ from the gradient with respect to p (natural scale). */
  public double[] chain(double[] theta, double[] gradP) {
    double[] g = new double[theta.length];
    for (int j = 0; j < g.length; j++) g[j] = gradP[free.get(j).index] * derivative(j, theta[j]);
    return g;
  }

  /** The value in natural scale of component j at θ_j. */
  public double natural(int j, double theta) {
    return fromScale(free.get(j).scale, theta);
  }

  static double toScale(String scale, double v) {
    return switch (scale) {
      case "log" -> Math.log(v);
      case "log10" -> Math.log10(v);
      default -> v;
    };
  }

  static double fromScale(String scale, double th) {
    return switch (scale) {
      case "log" -> Math.exp(th);
      case "log10" -> Math.pow(10, th);
      default -> th;
    };
  }
}
