package dev.odec.api;

import java.util.List;

/**
 * A {@code const} of a model: a fixed input that overrides (and conditions files) may change per
 * run, unless it is structural.
 *
 * @param name the name in the model
 * @param shape the dimensions (empty for a scalar)
 * @param components the component names, row-major
 * @param nominal the value of each component from its expression in the model
 * @param structural whether it sizes an array, indexes one, or enters a bound or prior: then it is
 *     fixed when the model is compiled and cannot be overridden
 */
public record Const(String name, List<Integer> shape, List<String> components, double[] nominal, boolean structural) {
  public Const {
    shape = List.copyOf(shape);
    components = List.copyOf(components);
    nominal = nominal.clone();
  }

  /** The nominal values (a copy). */
  @Override
  public double[] nominal() {
    return nominal.clone();
  }
}
