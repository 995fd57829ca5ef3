package dev.odec.solve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tolerance proportionality of the adaptive methods: with rtol = atol = tol for tol = 1e-4 ...
 * 1e-12 (bs3: 1e-4 ... 1e-10, below which its step counts explode), the global error at the end
 * should scale like tol. The least-squares slope of log(error) against log(tol) must lie in
 * [0.75, 1.25] and every error must be below 100 tol.
 */
class ToleranceProportionalityTest {
  private static final boolean VERBOSE = System.getenv("ODEC_VERBOSE") != null;

  static Problems.Problem[] problems() {
    Problems.Problem rotation = Problems.rotation(0.1, 3.0);
    rotation.tEnd = 10.0;
    // Phase errors of the neutrally stable oscillator grow linearly in time; keep it short.
    Problems.Problem oscillator = Problems.nonlinearOscillator(1.0);
    oscillator.tEnd = 3.0;
    Problems.Problem limitCycle = Problems.limitCycle();
    Problems.Problem manufactured = Problems.manufactured();
    return new Problems.Problem[] {rotation, oscillator, limitCycle, manufactured};
  }

  @ParameterizedTest
  @EnumSource(value = Method.class, names = {"BS3", "DOPRI5", "TSIT5", "DOP853"})
  void globalErrorIsProportionalToTolerance(Method m) {
    int finest = m == Method.BS3 ? 10 : 12;
    for (Problems.Problem p : problems()) {
      int count = finest - 4 + 1;
      double[] tols = new double[count];
      double[] errs = new double[count];
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < count; i++) {
        double tol = Math.pow(10, -(4 + i));
        SolverOptions o = new SolverOptions();
        o.rtol = tol;
        o.atol = tol;
        o.maxSteps = 10_000_000;
        Solution s = new ExplicitRk(m, p.dimension()).solve(p, p.t0, p.y0, new double[] {p.tEnd}, o);
        tols[i] = tol;
        errs[i] = Problems.maxError(s.states[0], p.exact(p.tEnd));
        line.append(String.format(" %.0e:%.2e(%d)", tol, errs[i], s.stats.steps));
        assertTrue(errs[i] < 100 * tol,
            m.text + " on " + p.name + ": error " + errs[i] + " at tol " + tol);
      }
      double slope = Problems.logLogSlope(tols, errs);
      if (VERBOSE) {
        System.out.printf("%-7s %-22s slope %.3f%s%n", m.text, p.name, slope, line);
      }
      assertTrue(slope >= 0.75 && slope <= 1.25,
          m.text + " on " + p.name + ": proportionality slope " + slope + line);
    }
  }
}
