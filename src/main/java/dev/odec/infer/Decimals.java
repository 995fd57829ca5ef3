package dev.odec.infer;

import java.math.BigDecimal;

/**
 * Doubles as the shortest decimal text that reads back to the same double, in the notation of
 * Python's {@code repr} (so files compare easily with scipy output): {@code 1.5}, {@code 0.001},
 * {@code 1e-05}, {@code 2.5e+16}, {@code nan}, {@code inf}. Every file odec writes (results, and
 * the {@code .ode} and CSV files of an import) prints numbers this way.
 */
public final class Decimals {
  private Decimals() {}

  public static String shortest(double v) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    if (v == 0.0) return (Double.doubleToRawLongBits(v) < 0) ? "-0.0" : "0.0";
    BigDecimal shortest = shortestDecimal(v);
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale(); // decimal exponent of the first digit
    String sign = v < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mant + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
    String plain = shortest.abs().toPlainString();
    if (plain.indexOf('.') < 0) plain = plain + ".0";
    return sign + plain;
  }

  /** The decimal with the fewest significant digits that parses back to v. */
  static BigDecimal shortestDecimal(double v) {
    BigDecimal exact = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int maxDigits = exact.precision();
    for (int p = 1; p < maxDigits; p++) {
      BigDecimal r = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN)).stripTrailingZeros();
      if (Double.parseDouble(r.toString()) == v) return r;
    }
    return exact;
  }
}
