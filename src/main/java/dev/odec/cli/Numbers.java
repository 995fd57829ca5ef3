package dev.odec.cli;

import java.math.BigDecimal;

/**
 * Formats doubles in the shortest form that reads back to the same double, in the notation of
 * Python's {@code repr} (so files compare easily with scipy output): {@code 1.5}, {@code 0.001},
 * {@code 1e-05}, {@code 2.5e+16}, {@code nan}, {@code inf}.
 */
public final class Numbers {
  private Numbers() {}

  public static String format(double v) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    if (v == 0.0) return (Double.doubleToRawLongBits(v) < 0) ? "-0.0" : "0.0";
    BigDecimal shortest = shortest(v);
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
  static BigDecimal shortest(double v) {
    BigDecimal exact = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int maxDigits = exact.precision();
    for (int p = 1; p < maxDigits; p++) {
      BigDecimal r = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN)).stripTrailingZeros();
      if (Double.parseDouble(r.toString()) == v) return r;
    }
    return exact;
  }
}
