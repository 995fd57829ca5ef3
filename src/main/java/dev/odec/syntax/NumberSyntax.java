package dev.odec.syntax;

import java.util.regex.Pattern;

/**
 * The one spelling of a number that odec reads anywhere — in models, data and conditions files
 * and command-line values: the language's number ({@code 1}, {@code 1.5}, {@code .5},
 * {@code 1e-6}, {@code 2.5E+3}) with an optional sign. Java's wider syntax, which
 * {@link Double#parseDouble} also accepts ({@code 1f}, {@code 1e-6d}, {@code 0x1p3},
 * {@code Infinity}, {@code NaN}, surrounding control characters), is not a number here: a value
 * that means something else to every other tool must not be read silently.
 */
public final class NumberSyntax {
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private NumberSyntax() {}

  /** True when {@code text} (already trimmed) is a number in odec's spelling. */
  public static boolean isNumber(String text) {
    return NUMBER.matcher(text).matches();
  }

  /**
   * The value of {@code text} (surrounding blanks ignored), or NaN when it is not a number in
   * odec's spelling. A number too large for a double is ±infinity, as the caller's finiteness
   * check then reports.
   */
  public static double parse(String text) {
    String s = text.strip();
    return isNumber(s) ? Double.parseDouble(s) : Double.NaN;
  }
}
