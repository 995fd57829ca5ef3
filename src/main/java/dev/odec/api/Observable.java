package dev.odec.api;

import java.util.List;

/**
 * An {@code observe NAME ~ dist(...)} statement: what data columns named after it are compared
 * with, and how.
 *
 * @param name the name, which is also the data column's (or {@code NAME[i]} for a vector)
 * @param distribution the noise model: {@code normal}, {@code lognormal}, {@code laplace} or {@code poisson}
 * @param components the data column names it gives
 */
public record Observable(String name, String distribution, List<String> components) {
  public Observable {
    components = List.copyOf(components);
  }
}
