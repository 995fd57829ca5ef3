package dev.odec.api;

import java.util.List;

/**
 * A {@code param} of a model: what a fit estimates. Values are in the natural scale; a fit works in
 * {@code scale} ({@code lin}, {@code log} or {@code log10}) within the bounds.
 *
 * @param name the name in the model
 * @param shape the dimensions (empty for a scalar, {@code [3]} for a vector, {@code [2, 3]} for a matrix)
 * @param components the component names, row-major: {@code k}, or {@code W[1,1]}, {@code W[1,2]}, ...
 * @param lower the lower bound, or NaN when the param has none
 * @param upper the upper bound, or NaN when the param has none
 * @param scale the optimizer's scale: {@code lin}, {@code log} or {@code log10}
 * @param nominal the nominal value of each component: its {@code = EXPR}, else a draw from its
 *     prior (seed 1), else the midpoint of its bounds in its scale
 * @param prior the prior, or null when it has none
 */
public record Param(String name, List<Integer> shape, List<String> components, double lower, double upper,
    String scale, double[] nominal, Prior prior) {
  public Param {
    shape = List.copyOf(shape);
    components = List.copyOf(components);
    nominal = nominal.clone();
  }

  /** The nominal values (a copy). */
  @Override
  public double[] nominal() {
    return nominal.clone();
  }

  /** Whether the param has bounds ({@code in [LO, HI]}). */
  public boolean bounded() {
    return !Double.isNaN(lower);
  }
}
