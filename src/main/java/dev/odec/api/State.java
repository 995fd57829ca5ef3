package dev.odec.api;

import java.util.List;

/**
 * A {@code state} of a model. The state vector of a {@link Trajectory} holds every state's
 * components in declaration order; this state's start at {@code offset}.
 *
 * @param name the name in the model
 * @param shape the dimensions (empty for a scalar)
 * @param components the component names, row-major ({@code x}, or {@code z[1]}, {@code z[2]}, ...)
 * @param offset the index of its first component in the state vector
 * @param species whether it takes part in reactions (a concentration or amount)
 */
public record State(String name, List<Integer> shape, List<String> components, int offset, boolean species) {
  public State {
    shape = List.copyOf(shape);
    components = List.copyOf(components);
  }
}
