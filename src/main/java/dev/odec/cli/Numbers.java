package dev.odec.cli;

import dev.odec.infer.Decimals;

/**
 * Formats doubles in the shortest form that reads back to the same double, in the notation of
 * Python's {@code repr}: {@code 1.5}, {@code 0.001}, {@code 1e-05}, {@code 2.5e+16}, {@code nan},
 * {@code inf} (see {@link Decimals}).
 */
public final class Numbers {
  private Numbers() {}

  public static String format(double v) {
    return Decimals.shortest(v);
  }
}
