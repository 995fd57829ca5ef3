package dev.odec.infer;

/**
 * Negative log densities with all normalising constants, and their partial derivatives, for the
 * distributions of LANGUAGE.md §5. Values agree with {@code -scipy.stats.X.logpdf} (or
 * {@code -logpmf}):
 *
 * <ul>
 *   <li>{@code normal(mu, sigma)}: with z = (x − mu)/sigma,
 *       nll = ½·log(2π) + log sigma + ½·z².
 *   <li>{@code lognormal(mu, sigma)}: log x ~ normal(mu, sigma) and the density is that of x
 *       (Stan's convention, scipy's {@code lognorm(s=sigma, scale=exp(mu))}): with
 *       z = (log x − mu)/sigma, nll = ½·log(2π) + log sigma + log x + ½·z².
 *   <li>{@code laplace(mu, b)}: nll = log(2b) + |x − mu|/b.
 *   <li>{@code loglaplace(mu, b)}: log x ~ laplace(mu, b) and the density is that of x (PEtab's
 *       Laplace noise on a log scale): nll = log(2b) + |log x − mu|/b + log x.
 *   <li>{@code poisson(lambda)}: for a count x, nll = lambda − x·log lambda + log(x!).
 *   <li>{@code uniform(lo, hi)}: nll = log(hi − lo) for lo ≤ x ≤ hi.
 * </ul>
 *
 * <p>Outside the support (x ≤ 0 for lognormal and loglaplace, a negative or non-integer poisson count, x outside
 * [lo, hi] for uniform) the density is 0 and {@link #nll} is {@code +Infinity}; with invalid
 * arguments (a scale ≤ 0, lo ≥ hi, a non-finite argument) it is {@code NaN}. {@link #invalid} says
 * in words which of these applies.
 */
public final class Distributions {
  private Distributions() {}

  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  /** Number of arguments: normal 2, lognormal 2, laplace 2, loglaplace 2, poisson 1, uniform 2. */
  public static int arity(String dist) {
    return switch (dist) {
      case "normal", "lognormal", "laplace", "loglaplace", "uniform" -> 2;
      case "poisson" -> 1;
      default -> throw unknown(dist);
    };
  }

  /**
   * −log p(x | a, b); b is ignored for poisson. See the class comment for the formulas. {@code
   * +Infinity} outside the support, {@code NaN} for invalid arguments.
   */
  public static double nll(String dist, double x, double a, double b) {
    switch (dist) {
      case "normal": {
        if (!(b > 0) || !Double.isFinite(a) || !Double.isFinite(b) || Double.isNaN(x)) return Double.NaN;
        double z = (x - a) / b;
        return HALF_LOG_2PI + Math.log(b) + 0.5 * z * z;
      }
      case "lognormal": {
        if (!(b > 0) || !Double.isFinite(a) || !Double.isFinite(b) || Double.isNaN(x)) return Double.NaN;
        if (x <= 0) return Double.POSITIVE_INFINITY;
        double lx = Math.log(x);
        double z = (lx - a) / b;
        return HALF_LOG_2PI + Math.log(b) + lx + 0.5 * z * z;
      }
      case "laplace": {
        if (!(b > 0) || !Double.isFinite(a) || !Double.isFinite(b) || Double.isNaN(x)) return Double.NaN;
        return Math.log(2 * b) + Math.abs(x - a) / b;
      }
      case "loglaplace": {
        if (!(b > 0) || !Double.isFinite(a) || !Double.isFinite(b) || Double.isNaN(x)) return Double.NaN;
        if (x <= 0) return Double.POSITIVE_INFINITY;
        double lx = Math.log(x);
        return Math.log(2 * b) + Math.abs(lx - a) / b + lx;
      }
      case "poisson": {
        if (!(a > 0) || !Double.isFinite(a) || Double.isNaN(x)) return Double.NaN;
        if (x < 0 || x != Math.rint(x) || Double.isInfinite(x)) return Double.POSITIVE_INFINITY;
        double xLogLambda = x == 0 ? 0 : x * Math.log(a);
        return a - xLogLambda + logFactorial(x);
      }
      case "uniform": {
        if (!(a < b) || !Double.isFinite(a) || !Double.isFinite(b) || Double.isNaN(x)) return Double.NaN;
        if (x < a || x > b) return Double.POSITIVE_INFINITY;
        return Math.log(b - a);
      }
      default:
        throw unknown(dist);
    }
  }

  /**
   * Partial derivatives of {@link #nll}: ∂/∂a into out[0], ∂/∂b into out[1] (0 for poisson), ∂/∂x
   * into out[2] (used for priors). With z as in the class comment:
   *
   * <ul>
   *   <li>normal: ∂a = −z/sigma, ∂b = (1 − z²)/sigma, ∂x = z/sigma.
   *   <li>lognormal: ∂a = −z/sigma, ∂b = (1 − z²)/sigma, ∂x = (1 + z/sigma)/x.
   *   <li>laplace: with s = sign(x − mu) (0 at x = mu, where the kink has this subgradient):
   *       ∂a = −s/b, ∂b = 1/b − |x − mu|/b², ∂x = s/b.
   *   <li>loglaplace: the same in log x with s = sign(log x − mu), and ∂x = (s/b + 1)/x.
   *   <li>poisson: ∂a = 1 − x/lambda, ∂x = ψ(x + 1) − log lambda (ψ the digamma function: the
   *       derivative of the continuous extension through log Γ(x + 1)).
   *   <li>uniform: ∂a = −1/(hi − lo), ∂b = 1/(hi − lo), ∂x = 0.
   * </ul>
   *
   * Where {@link #nll} is not finite the derivatives are NaN.
   */
  public static void nllGrad(String dist, double x, double a, double b, double[] out) {
    double v = nll(dist, x, a, b);
    if (!Double.isFinite(v)) {
      out[0] = Double.NaN;
      out[1] = Double.NaN;
      out[2] = Double.NaN;
      return;
    }
    switch (dist) {
      case "normal" -> {
        double z = (x - a) / b;
        out[0] = -z / b;
        out[1] = (1 - z * z) / b;
        out[2] = z / b;
      }
      case "lognormal" -> {
        double z = (Math.log(x) - a) / b;
        out[0] = -z / b;
        out[1] = (1 - z * z) / b;
        out[2] = (1 + z / b) / x;
      }
      case "laplace" -> {
        double d = x - a;
        double s = Math.signum(d);
        out[0] = 0.0 - s / b; // 0.0 - 0.0 is +0.0 at the kink
        out[1] = 1 / b - Math.abs(d) / (b * b);
        out[2] = s / b;
      }
      case "loglaplace" -> {
        double d = Math.log(x) - a;
        double s = Math.signum(d);
        out[0] = 0.0 - s / b;
        out[1] = 1 / b - Math.abs(d) / (b * b);
        out[2] = (s / b + 1) / x;
      }
      case "poisson" -> {
        out[0] = 1 - x / a;
        out[1] = 0;
        out[2] = digamma(x + 1) - Math.log(a);
      }
      case "uniform" -> {
        out[0] = -1 / (b - a);
        out[1] = 1 / (b - a);
        out[2] = 0;
      }
      default -> throw unknown(dist);
    }
  }

  /**
   * The mean of the distribution: a for normal, laplace and poisson; exp(mu + sigma²/2) for
   * lognormal; exp(mu)/(1 − b²) for loglaplace (infinite from b = 1 on); (lo + hi)/2 for uniform.
   */
  /**
   * One draw from the distribution with arguments a, b (b unused for poisson, whose draw here is
   * its mean: the sampling of priors and flows needs continuous distributions).
   */
  public static double sample(String dist, double a, double b, java.util.Random rng) {
    return switch (dist) {
      case "normal" -> a + b * rng.nextGaussian();
      case "lognormal" -> Math.exp(a + b * rng.nextGaussian());
      case "laplace" -> {
        double u = rng.nextDouble() - 0.5;
        yield a - b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
      }
      case "loglaplace" -> Math.exp(sample("laplace", a, b, rng));
      case "uniform" -> a + (b - a) * rng.nextDouble();
      case "poisson" -> a;
      default -> throw unknown(dist);
    };
  }

  public static double mean(String dist, double a, double b) {
    return switch (dist) {
      case "normal", "laplace", "poisson" -> a;
      case "lognormal" -> Math.exp(a + 0.5 * b * b);
      case "loglaplace" -> b < 1 ? Math.exp(a) / (1 - b * b) : Double.POSITIVE_INFINITY;
      case "uniform" -> 0.5 * (a + b);
      default -> throw unknown(dist);
    };
  }

  /**
   * Null when (x, a, b) is valid, else a plain message: "sigma of normal must be > 0, got -0.1",
   * "lognormal needs a positive observation, got -2", "a poisson count must be a non-negative
   * integer, got 2.5", "uniform needs lo < hi, got 3 and 1", "x = 5 is outside uniform(0, 1)".
   * Arguments are checked before x.
   */
  public static String invalid(String dist, double x, double a, double b) {
    switch (dist) {
      case "normal", "lognormal", "laplace", "loglaplace": {
        String scale = dist.endsWith("laplace") ? "b" : "sigma";
        if (!Double.isFinite(a)) return "mu of " + dist + " must be finite, got " + fmt(a);
        if (!(b > 0)) return scale + " of " + dist + " must be > 0, got " + fmt(b);
        if (!Double.isFinite(b)) return scale + " of " + dist + " must be finite, got " + fmt(b);
        if (!Double.isFinite(x)) return dist + " needs a finite observation, got " + fmt(x);
        if (dist.startsWith("log") && !(x > 0)) return dist + " needs a positive observation, got " + fmt(x);
        return null;
      }
      case "poisson": {
        if (!(a > 0)) return "lambda of poisson must be > 0, got " + fmt(a);
        if (!Double.isFinite(a)) return "lambda of poisson must be finite, got " + fmt(a);
        if (!(x >= 0) || x != Math.rint(x) || Double.isInfinite(x)) {
          return "a poisson count must be a non-negative integer, got " + fmt(x);
        }
        return null;
      }
      case "uniform": {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
          return "uniform needs finite bounds, got " + fmt(a) + " and " + fmt(b);
        }
        if (!(a < b)) return "uniform needs lo < hi, got " + fmt(a) + " and " + fmt(b);
        if (!(x >= a && x <= b)) return "x = " + fmt(x) + " is outside uniform(" + fmt(a) + ", " + fmt(b) + ")";
        return null;
      }
      default:
        throw unknown(dist);
    }
  }

  private static IllegalArgumentException unknown(String dist) {
    return new IllegalArgumentException("unknown distribution '" + dist + "'");
  }

  // ---- special functions -----------------------------------------------------------------------

  private static final double[] SMALL_LOG_FACTORIAL = new double[21];

  static {
    long f = 1;
    for (int n = 0; n <= 20; n++) {
      if (n > 0) f *= n;
      SMALL_LOG_FACTORIAL[n] = Math.log((double) f);
    }
  }

  /** log(x!) = log Γ(x + 1) for an integer-valued x ≥ 0 (exact table up to 20). */
  static double logFactorial(double x) {
    if (x <= 20) return SMALL_LOG_FACTORIAL[(int) x];
    return logGamma(x + 1);
  }

  /**
   * log Γ(x) for x > 0: the recurrence Γ(x) = Γ(x + n)/(x(x+1)…(x+n−1)) moves x to ≥ 8, where
   * Stirling's series to the x⁻¹³ term is accurate to about 1e-16 relative.
   */
  static double logGamma(double x) {
    if (!(x > 0)) return Double.NaN;
    if (Double.isInfinite(x)) return x;
    double shift = 0;
    if (x < 8) {
      double prod = 1;
      while (x < 8) {
        prod *= x;
        x += 1;
      }
      shift = Math.log(prod);
    }
    double r = 1 / x;
    double r2 = r * r;
    double series = r * (1.0 / 12 + r2 * (-1.0 / 360 + r2 * (1.0 / 1260 + r2 * (-1.0 / 1680
        + r2 * (1.0 / 1188 + r2 * (-691.0 / 360360 + r2 * (1.0 / 156)))))));
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series - shift;
  }

  /**
   * ψ(x) = d log Γ(x)/dx for x > 0: ψ(x) = ψ(x + 1) − 1/x moves x to ≥ 8, then the asymptotic
   * series log x − 1/(2x) − Σ B₂ₖ/(2k·x²ᵏ).
   */
  static double digamma(double x) {
    if (!(x > 0)) return Double.NaN;
    if (Double.isInfinite(x)) return x;
    double acc = 0;
    while (x < 8) {
      acc -= 1 / x;
      x += 1;
    }
    double r = 1 / x;
    double r2 = r * r;
    double series = r2 * (1.0 / 12 + r2 * (-1.0 / 120 + r2 * (1.0 / 252 + r2 * (-1.0 / 240
        + r2 * (1.0 / 132 + r2 * (-691.0 / 32760 + r2 * (1.0 / 12)))))));
    return acc + Math.log(x) - 0.5 * r - series;
  }

  /** A number as in messages: integers without a fraction ("-2"), others shortest ("-0.1"). */
  public static String fmt(double v) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    String s = Double.toString(v);
    int e = s.indexOf('E');
    if (e < 0) return s;
    String mant = s.substring(0, e);
    if (mant.endsWith(".0")) mant = mant.substring(0, mant.length() - 2);
    return mant + "e" + s.substring(e + 1);
  }
}
