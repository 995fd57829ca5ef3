package dev.odec.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.sema.Models;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriorsTest {
  static final String MODEL = """
      param k = 1.5 in [0.01, 10] scale log ~ lognormal(0, 1)
      param sigma = 0.2 ~ normal(0.1, 0.5)
      param w: real[3] = [0.1, -0.2, 0.3] ~ laplace([0, 1, -1], 0.5)
      param u = 0.4 ~ uniform(0, 1)
      param c = 2.0
      const mu0 = 1
      param m ~ normal(mu0, 2)
      state x = 1
      d(x)/dt = -k*x + c*u*m*sum(w)
      observe x_obs ~ normal(x, sigma)
      """;

  private static OdeSystem system() {
    return Models.compile(MODEL);
  }

  private static int offset(OdeSystem sys, String name) {
    for (OdeSystem.Var v : sys.pVars()) if (v.name().equals(name)) return v.offset();
    throw new AssertionError("no p variable " + name);
  }

  /** k = 2, sigma = 0.3, w = [0.2, 0.5, -1.5], u = 0.25, c = 7, m = 0.7, mu0 = 1. */
  private static double[] point(OdeSystem sys) {
    double[] p = new double[sys.paramSize()];
    p[offset(sys, "k")] = 2.0;
    p[offset(sys, "sigma")] = 0.3;
    p[offset(sys, "w")] = 0.2;
    p[offset(sys, "w") + 1] = 0.5;
    p[offset(sys, "w") + 2] = -1.5;
    p[offset(sys, "u")] = 0.25;
    p[offset(sys, "c")] = 7;
    p[offset(sys, "m")] = 0.7;
    p[offset(sys, "mu0")] = 1;
    return p;
  }

  @Test
  void valueMatchesScipy() {
    OdeSystem sys = system();
    // -(scipy.stats.lognorm.logpdf(2.0, s=1, scale=exp(0)) + norm.logpdf(0.3, 0.1, 0.5)
    //   + laplace.logpdf([0.2, 0.5, -1.5], [0, 1, -1], 0.5).sum() + uniform.logpdf(0.25, 0, 1)
    //   + norm.logpdf(0.7, 1, 2)), computed offline with scipy 1.17.1
    double expected = 6.181439287133063;
    double got = Priors.nll(sys, point(sys), null);
    assertEquals(expected, got, 1e-12 * expected);
  }

  @Test
  void gradientMatchesFiniteDifferencesAndAccumulates() {
    OdeSystem sys = system();
    double[] p = point(sys);
    double[] grad = new double[p.length];
    grad[offset(sys, "c")] = 5; // adds, does not overwrite
    double v = Priors.nll(sys, p, grad);
    assertEquals(v, Priors.nll(sys, p, null));
    for (int i = 0; i < p.length; i++) {
      double h = 1e-6 * Math.max(1, Math.abs(p[i]));
      double[] up = p.clone();
      double[] dn = p.clone();
      up[i] += h;
      dn[i] -= h;
      double fd = (Priors.nll(sys, up, null) - Priors.nll(sys, dn, null)) / (2 * h);
      double want = i == offset(sys, "c") ? 5 + fd : fd;
      assertTrue(Math.abs(want - grad[i]) <= 1e-7 * Math.max(1, Math.abs(grad[i])),
          "component " + i + ": analytic " + grad[i] + ", finite difference " + want);
    }
    // c (no prior) and the const mu0 get nothing from the priors.
    assertEquals(5.0, grad[offset(sys, "c")]);
    assertEquals(0.0, grad[offset(sys, "mu0")]);
  }

  @Test
  void outsideTheSupportIsInfinite() {
    OdeSystem sys = system();
    double[] p = point(sys);
    p[offset(sys, "u")] = 1.5;
    double[] grad = new double[p.length];
    assertEquals(Double.POSITIVE_INFINITY, Priors.nll(sys, p, grad));
    assertEquals(0.0, grad[offset(sys, "u")]);
    p = point(sys);
    p[offset(sys, "k")] = -1;
    assertEquals(Double.POSITIVE_INFINITY, Priors.nll(sys, p, null));
  }

  @Test
  void noPriorsNoTerms() {
    OdeSystem sys = Models.compile("param k = 1\nstate x = 1\nd(x)/dt = -k*x\n");
    double[] grad = new double[sys.paramSize()];
    assertEquals(0.0, Priors.nll(sys, new double[sys.paramSize()], grad));
    assertEquals(0.0, grad[0]);
  }

  /** The system with param {@code name}'s prior replaced. */
  private static OdeSystem withPrior(OdeSystem s, String name, String dist, List<double[]> args) {
    List<OdeSystem.ParamInfo> ps = new ArrayList<>();
    for (OdeSystem.ParamInfo p : s.params()) {
      ps.add(p.var().name().equals(name) ? new OdeSystem.ParamInfo(p.var(), p.lo(), p.hi(), p.scale(), dist, args) : p);
    }
    return new OdeSystem(s.name(), s.graph(), s.states(), ps, s.consts(), s.rhs(), s.initial(), s.derived(),
        s.derivedNames(), s.defaults(), s.defaultOrder(), s.observables(), s.rates(), s.flows(), s.structuralConsts(),
        s.species(), s.hybrid());
  }

  @Test
  void invalidPriorArgumentsNameTheParam() {
    OdeSystem sys = system();
    double[] p = point(sys);
    InputError e = assertThrows(InputError.class,
        () -> Priors.nll(withPrior(sys, "sigma", "normal", List.of(new double[] {0}, new double[] {-1})), p, null));
    assertEquals("test.ode:2:7: error: the prior of param 'sigma': sigma of normal must be > 0, got -1", e.getMessage());
    e = assertThrows(InputError.class,
        () -> Priors.nll(withPrior(sys, "u", "uniform", List.of(new double[] {3}, new double[] {1})), p, null));
    assertEquals("test.ode:4:7: error: the prior of param 'u': uniform needs lo < hi, got 3 and 1", e.getMessage());
    e = assertThrows(InputError.class,
        () -> Priors.nll(withPrior(sys, "w", "laplace", List.of(new double[] {0, 0, 0}, new double[] {1, 0, 1})), p, null));
    assertEquals("test.ode:3:7: error: the prior of param 'w': b of laplace must be > 0, got 0", e.getMessage());
    e = assertThrows(InputError.class,
        () -> Priors.nll(withPrior(sys, "m", "normal", List.of(new double[] {Double.NaN}, new double[] {1})), p, null));
    assertEquals("test.ode:7:7: error: the prior of param 'm' has an argument that is not a constant; a prior's arguments must be numbers "
        + "or expressions of consts", e.getMessage());
  }

  @Test
  void poissonPriorOnACount() {
    OdeSystem sys = withPrior(system(), "c", "poisson", List.<double[]>of(new double[] {4}));
    double[] p = point(sys);
    double base = Priors.nll(system(), p, null);
    // -scipy.stats.poisson.logpmf(7, 4) = 2.821100833226181 (computed offline)
    assertEquals(base + 2.821100833226181, Priors.nll(sys, p, null), 1e-12 * base);
    p[offset(sys, "c")] = 6.5;
    assertEquals(Double.POSITIVE_INFINITY, Priors.nll(sys, p, null));
  }
}
