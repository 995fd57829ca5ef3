package dev.odec.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A param's prior, {@code param k ~ lognormal(0, 1)}: the distribution's name and its arguments,
 * evaluated at the nominal values (an argument of a vector param may be a vector: one value per
 * component; an argument that is not a constant is NaN).
 *
 * @param distribution {@code normal}, {@code lognormal}, {@code laplace}, {@code uniform}, ...
 * @param arguments the arguments in the order written
 */
public record Prior(String distribution, List<double[]> arguments) {
  public Prior {
    List<double[]> copy = new ArrayList<>();
    for (double[] a : arguments) copy.add(a.clone());
    arguments = List.copyOf(copy);
  }

  /** The arguments (copies). */
  @Override
  public List<double[]> arguments() {
    List<double[]> copy = new ArrayList<>();
    for (double[] a : arguments) copy.add(a.clone());
    return List.copyOf(copy);
  }
}
