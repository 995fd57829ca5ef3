package dev.odec.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistributionsTest {
  // Rows {x, a, b, -logpdf}. Reference values from src/test/resources/infer/distribution_reference.py:
  // -scipy.stats.norm.logpdf(x, loc=a, scale=b), -lognorm.logpdf(x, s=b, scale=exp(a)),
  // -laplace.logpdf(x, loc=a, scale=b), -poisson.logpmf(x, a), -uniform.logpdf(x, loc=a, scale=b-a)
  // (scipy 1.17.1).
  static final double[][] NORMAL = {
      {0.3, 0.0, 1.0, 0.9639385332046727},
      {-2.5, 1.2, 0.7, 14.531651344367983},
      {10.0, 3.0, 2.5, 5.755229265078827},
      {0.001, 0.001, 0.0001, -8.29140183877151},
      {100.0, -5.0, 30.0, 10.445135914866828},
  };
  static final double[][] LOGNORMAL = {
      {0.5, 0.0, 1.0, 0.466017859603828},
      {2.0, 0.3, 0.25, 1.462308997302601},
      {0.001, -4.0, 2.0, -4.238789469911459},
      {50.0, 3.5, 0.8, 4.740445297476454},
  };
  static final double[][] LAPLACE = {
      {0.3, 0.0, 1.0, 0.9931471805599453},
      {-2.5, 1.2, 0.7, 5.622186522335499},
      {5.0, 5.0, 0.1, -1.6094379124341},
      {100.0, -5.0, 30.0, 7.594344562222101},
  };
  // -loglaplace.logpdf(x, 1/b, scale=exp(a)): log x ~ laplace(a, b)
  static final double[][] LOGLAPLACE = {
      {0.5, 0.0, 1.0, 0.6931471805599453},
      {2.0, 0.3, 0.25, 1.5725887222397814},
      {0.001, -4.0, 2.0, -4.067583278371178},
      {50.0, 3.5, 0.8, 4.897055391459064},
  };
  static final double[][] POISSON = {
      {0.0, 0.5, 0.0, 0.5},
      {3.0, 2.5, 0.0, 1.5428872736055896},
      {17.0, 20.3, 0.0, 2.624518387325285},
      {25.0, 12.0, 0.0, 7.880938978280511},
      {150.0, 140.5, 0.0, 3.738982533353692},
      {1000.0, 950.0, 0.0, 5.666193893577656},
  };
  static final double[][] UNIFORM = {
      {0.5, 0.0, 1.0, -0.0},
      {2.0, -1.0, 7.5, 2.1400661634962708},
      {0.001, 0.0, 0.01, -4.605170185988091},
  };

  // {x, scipy.special.gammaln(x)} and {x, scipy.special.digamma(x)}, same script.
  static final double[][] GAMMALN = {
      {0.1, 2.252712651734206}, {0.5, 0.5723649429247}, {1.0, 0.0}, {1.5, -0.12078223763524526}, {2.0, 0.0},
      {3.7, 1.428072326665388}, {7.99, 8.50501160608848}, {8.0, 8.525161361065415}, {12.25, 18.115669505710894},
      {100.5, 361.43554046777757}, {10000.5, 82104.32265412837},
  };
  static final double[][] DIGAMMA = {
      {0.1, -10.423754940411076}, {0.5, -1.9635100260214235}, {1.0, -0.5772156649015329},
      {1.5, 0.03648997397857652}, {2.0, 0.42278433509846713}, {3.7, 1.1671535393615113},
      {7.99, 2.0143092220462235}, {8.0, 2.0156414779556098}, {12.25, 2.4641546551853692},
      {100.5, 4.605174352581845}, {10000.5, 9.21034037239285},
  };

  private static void assertClose(double expected, double actual, double rel, String what) {
    double tol = rel * Math.max(Math.abs(expected), 1e-3);
    assertTrue(Math.abs(expected - actual) <= tol, what + ": expected " + expected + " but got " + actual);
  }

  private static void checkValues(String dist, double[][] rows) {
    for (double[] r : rows) {
      assertClose(r[3], Distributions.nll(dist, r[0], r[1], r[2]), 1e-12, dist + java.util.Arrays.toString(r));
      assertNull(Distributions.invalid(dist, r[0], r[1], r[2]));
    }
  }

  @Test
  void valuesMatchScipy() {
    checkValues("normal", NORMAL);
    checkValues("lognormal", LOGNORMAL);
    checkValues("laplace", LAPLACE);
    checkValues("loglaplace", LOGLAPLACE);
    checkValues("poisson", POISSON);
    checkValues("uniform", UNIFORM);
  }

  @Test
  void specialFunctionsMatchScipy() {
    for (double[] r : GAMMALN) assertClose(r[1], Distributions.logGamma(r[0]), 1e-13, "gammaln(" + r[0] + ")");
    for (double[] r : DIGAMMA) assertClose(r[1], Distributions.digamma(r[0]), 1e-13, "digamma(" + r[0] + ")");
    // log(x!) for integer x: the exact table up to 20 and log Γ(x + 1) beyond agree at the seam.
    assertClose(Distributions.logGamma(21), Distributions.logFactorial(20), 1e-14, "log 20!");
    assertClose(Distributions.logGamma(22), Distributions.logFactorial(21), 1e-14, "log 21!");
  }

  @Test
  void arityAndMean() {
    assertEquals(2, Distributions.arity("normal"));
    assertEquals(2, Distributions.arity("lognormal"));
    assertEquals(2, Distributions.arity("laplace"));
    assertEquals(1, Distributions.arity("poisson"));
    assertEquals(2, Distributions.arity("uniform"));
    assertThrows(IllegalArgumentException.class, () -> Distributions.arity("gamma"));
    assertEquals(1.5, Distributions.mean("normal", 1.5, 2));
    assertEquals(1.5, Distributions.mean("laplace", 1.5, 2));
    assertEquals(4.0, Distributions.mean("poisson", 4, 0));
    // scipy.stats.lognorm.mean(s=0.5, scale=numpy.exp(0.3)) = 1.5295904196633787 (computed offline)
    assertClose(1.5295904196633787, Distributions.mean("lognormal", 0.3, 0.5), 1e-14, "lognormal mean");
    assertEquals(2.0, Distributions.mean("uniform", 1, 3));
  }

  /** Central difference of nll in argument k (0 = a, 1 = b, 2 = x). */
  private static double centralDifference(String dist, double x, double a, double b, int k) {
    double[] v = {a, b, x};
    double h = 1e-5 * Math.max(1, Math.abs(v[k]));
    double[] up = v.clone();
    double[] dn = v.clone();
    up[k] += h;
    dn[k] -= h;
    return (Distributions.nll(dist, up[2], up[0], up[1]) - Distributions.nll(dist, dn[2], dn[0], dn[1])) / (2 * h);
  }

  private static void checkGradient(String dist, double x, double a, double b, boolean withX) {
    double[] g = new double[3];
    Distributions.nllGrad(dist, x, a, b, g);
    int args = Distributions.arity(dist);
    for (int k = 0; k < 3; k++) {
      if (k == 1 && args == 1) {
        assertEquals(0.0, g[1]);
        continue;
      }
      if (k == 2 && !withX) continue;
      double fd = centralDifference(dist, x, a, b, k);
      assertTrue(Math.abs(fd - g[k]) <= 1e-7 * Math.max(1, Math.abs(g[k])),
          dist + "(" + x + " | " + a + ", " + b + ") d/d" + "abx".charAt(k) + ": analytic " + g[k] + ", finite difference " + fd);
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    double[][] points = {{0.3, 0.0, 1.0}, {-2.5, 1.2, 0.7}, {10.0, 3.0, 2.5}, {0.05, -0.2, 0.3}, {100.0, -5.0, 30.0}};
    for (double[] pt : points) {
      checkGradient("normal", pt[0], pt[1], pt[2], true);
      checkGradient("laplace", pt[0], pt[1], pt[2], true);
      checkGradient("lognormal", Math.abs(pt[0]), pt[1], pt[2], true);
      checkGradient("loglaplace", Math.abs(pt[0]), pt[1], pt[2], true);
      checkGradient("uniform", pt[0], pt[0] - 1.5, pt[0] + 2.5, true);
    }
    for (double[] r : POISSON) checkGradient("poisson", r[0], r[1], 0, false);
    // Poisson's d/dx is that of the continuous extension lambda - x log(lambda) + log Γ(x + 1).
    for (double x : new double[] {0, 3, 17, 150}) {
      double lambda = 7.5;
      double[] g = new double[3];
      Distributions.nllGrad("poisson", x, lambda, 0, g);
      double h = 1e-5 * Math.max(1, x);
      double fd = ((-(x + h) * Math.log(lambda) + Distributions.logGamma(x + h + 1))
          - (-(x - h) * Math.log(lambda) + Distributions.logGamma(x - h + 1))) / (2 * h);
      assertTrue(Math.abs(fd - g[2]) <= 1e-7 * Math.max(1, Math.abs(g[2])), "poisson d/dx at " + x + ": " + g[2] + " vs " + fd);
    }
  }

  @Test
  void laplaceKinkUsesZeroSubgradient() {
    double[] g = new double[3];
    Distributions.nllGrad("laplace", 2, 2, 0.5, g);
    assertEquals(0.0, g[0]);
    assertEquals(2.0, g[1]); // 1/b - |x - mu|/b^2
    assertEquals(0.0, g[2]);
  }

  @Test
  void outsideTheSupportIsInfiniteAndInvalidArgumentsNaN() {
    assertEquals(Double.POSITIVE_INFINITY, Distributions.nll("lognormal", -2, 0, 1));
    assertEquals(Double.POSITIVE_INFINITY, Distributions.nll("lognormal", 0, 0, 1));
    assertEquals(Double.POSITIVE_INFINITY, Distributions.nll("poisson", 2.5, 1, 0));
    assertEquals(Double.POSITIVE_INFINITY, Distributions.nll("poisson", -1, 1, 0));
    assertEquals(Double.POSITIVE_INFINITY, Distributions.nll("uniform", 5, 0, 1));
    assertEquals(0.0, Distributions.nll("uniform", 1, 0, 1)); // bounds belong to the support
    assertTrue(Double.isNaN(Distributions.nll("normal", 0, 0, -0.1)));
    assertTrue(Double.isNaN(Distributions.nll("laplace", 0, 0, 0)));
    assertTrue(Double.isNaN(Distributions.nll("poisson", 0, 0, 0)));
    assertTrue(Double.isNaN(Distributions.nll("uniform", 0, 3, 1)));
    double[] g = new double[3];
    Distributions.nllGrad("uniform", 5, 0, 1, g);
    assertTrue(Double.isNaN(g[0]) && Double.isNaN(g[1]) && Double.isNaN(g[2]));
  }

  @Test
  void invalidMessages() {
    assertEquals("sigma of normal must be > 0, got -0.1", Distributions.invalid("normal", 1, 0, -0.1));
    assertEquals("sigma of lognormal must be > 0, got 0", Distributions.invalid("lognormal", 1, 0, 0));
    assertEquals("b of laplace must be > 0, got -3", Distributions.invalid("laplace", 1, 0, -3));
    assertEquals("mu of normal must be finite, got nan", Distributions.invalid("normal", 1, Double.NaN, 1));
    assertEquals("sigma of normal must be finite, got inf", Distributions.invalid("normal", 1, 0, Double.POSITIVE_INFINITY));
    assertEquals("normal needs a finite observation, got nan", Distributions.invalid("normal", Double.NaN, 0, 1));
    assertEquals("lognormal needs a positive observation, got -2", Distributions.invalid("lognormal", -2, 0, 1));
    assertEquals("lognormal needs a positive observation, got 0", Distributions.invalid("lognormal", 0, 0, 1));
    assertEquals("a poisson count must be a non-negative integer, got 2.5", Distributions.invalid("poisson", 2.5, 1, 0));
    assertEquals("a poisson count must be a non-negative integer, got -1", Distributions.invalid("poisson", -1, 1, 0));
    assertEquals("lambda of poisson must be > 0, got 0", Distributions.invalid("poisson", 1, 0, 0));
    assertEquals("uniform needs lo < hi, got 3 and 1", Distributions.invalid("uniform", 2, 3, 1));
    assertEquals("x = 5 is outside uniform(0, 1)", Distributions.invalid("uniform", 5, 0, 1));
    assertEquals("x = 1e-5 is outside uniform(0.5, 1)", Distributions.invalid("uniform", 1e-5, 0.5, 1));
    assertNull(Distributions.invalid("uniform", 0, 0, 1));
    assertNull(Distributions.invalid("poisson", 0, 0.1, 0));
  }
}
