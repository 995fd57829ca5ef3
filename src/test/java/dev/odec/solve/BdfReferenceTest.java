package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Robertson and Van der Pol against the published reference values of the IVP test set. */
class BdfReferenceTest {
  /** Correct significant digits of x against the reference. */
  static double digits(double x, double ref) {
    return -Math.log10(Math.abs(x - ref) / Math.abs(ref));
  }

  @ParameterizedTest
  @CsvSource({
    "40, 1e-6, 5, 0.7158270687194, 0.28416374574583",
    "40, 1e-10, 8, 0.7158270687194, 0.28416374574583",
    "1e11, 1e-6, 5, 0.2083340149701255e-7, 0.9999999791665050",
    "1e11, 1e-10, 8, 0.2083340149701255e-7, 0.9999999791665050"
  })
  void robertsonMatchesTheReference(double tEnd, double rtol, double wanted, double ref1,
      double ref3) {
    BdfProblems.Stiff p = BdfProblems.robertson();
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    // y2 stays below 4e-5: its absolute tolerance is scaled down accordingly; y1 decays to 2e-8
    double a = rtol * 1e-4;
    o.atolPerState = new double[] {a * 1e-4, a * 1e-4, a};
    o.maxSteps = 1_000_000;
    Bdf bdf = new Bdf(3);
    Solution s = bdf.solve(p, p.jac, 0, new double[] {1, 0, 0}, new double[] {tEnd}, o);
    double[] y = s.states[0];
    double d1 = digits(y[0], ref1);
    double d3 = digits(y[2], ref3);
    System.out.printf("robertson t=%g rtol=%g: y1 %.2f digits, y3 %.2f digits, sum-1 %.1e; %s%n",
        tEnd, rtol, d1, d3, y[0] + y[1] + y[2] - 1, s.stats);
    assertTrue(d1 >= wanted, "y1 = " + y[0] + " has " + d1 + " digits");
    assertTrue(d3 >= wanted, "y3 = " + y[2] + " has " + d3 + " digits");
  }

  @ParameterizedTest
  @CsvSource({"1e-6, 1e-8, 5", "1e-6, 1e-10, 5", "1e-8, 1e-10, 7"})
  void vanDerPolMatchesTheReference(double rtol, double atol, double wanted) {
    BdfProblems.Stiff p = BdfProblems.vanDerPol(1e-6);
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    o.atol = atol;
    Bdf bdf = new Bdf(2);
    Solution s = bdf.solve(p, p.jac, 0, new double[] {2, 0}, new double[] {2}, o);
    double[] y = s.states[0];
    double d1 = digits(y[0], 0.1706167732170483e1);
    double d2 = digits(y[1], -0.8928097010247975);
    System.out.printf("van der Pol eps=1e-6 rtol=%g atol=%g: y1 %.2f digits, y2 %.2f digits; %s%n", rtol,
        atol, d1, d2, s.stats);
    assertTrue(s.stats.steps + s.stats.rejected < 5000, s.stats.toString());
    assertTrue(d1 >= wanted, "y1 = " + y[0] + " has " + d1 + " digits");
    assertTrue(d2 >= wanted, "y2 = " + y[1] + " has " + d2 + " digits");
  }
}
