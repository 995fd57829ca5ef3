package dev.odec.infer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.infer.Conditions;
import dev.odec.infer.DataSet;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.sens.GradientModel;
import dev.odec.sens.GradientProblem;
import dev.odec.solve.Integrator;
import dev.odec.solve.Method;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery from synthetic data: each test solves a model tightly at known parameters, adds seeded
 * noise of the model's own noise distribution, fits, and checks that the fitted objective is not
 * above the objective at the true parameters and that every true value lies within 3 standard
 * errors of its estimate; then checks the standard errors against an independent
 * finite-difference Hessian of the objective's values (5 %), and a profile's 95 % interval
 * against the true value.
 */
class FitRecoveryTest {
  @TempDir Path dir;

  private static OdeSystem compile(String path) {
    Frontend.Result r = Frontend.compile(Path.of(path));
    assertTrue(r.ok(), () -> r.diagnostics().sorted().toString());
    return r.system();
  }

  /** The states at the given times, solved with DOP853 at rtol 1e-12. */
  private static double[][] solve(OdeSystem sys, double[] p, double[] times) {
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-12;
    o.atol = 1e-12;
    o.maxSteps = 10_000_000;
    Solution s = Integrator.of(Method.DOP853, sys.stateSize(), null).solve(cm.rhs(p), 0, cm.initialState(p), times, o, null);
    return s.states;
  }

  private static SolverOptions options() {
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-9;
    o.atol = 1e-10;
    o.maxSteps = 1_000_000;
    return o;
  }

  private FitProblem problem(String model, Path data, Path cond) {
    OdeSystem sys = compile(model);
    DataSet ds = DataSet.read(data, GradientProblem.observationColumns(sys), GradientProblem.rateColumns(sys));
    Conditions c = cond == null ? null : Conditions.read(cond, sys.pVars().stream().map(OdeSystem.Var::name).toList());
    double[] p = Parameters.build(sys, Map.of(), 1);
    boolean[] held = new boolean[p.length];
    for (int i = 0; i < p.length; i++) held[i] = i >= sys.params().size();
    return new FitProblem(new GradientModel(sys, new JvmBackend()), ds, c, 0, ds.maxTime(), null, options(), "forward",
        false, new ParameterSpace(sys, p, held));
  }

  private static Fit.Settings settings(String optimizer, int threads) {
    return new Fit.Settings(optimizer, 4, 3, threads, new StopRules(500, 1e-10, 1e-12, 1e-12, Long.MAX_VALUE, () -> false),
        100, 0, 0.05, true, null);
  }

  private static Fit.Result fit(FitProblem fp, String optimizer, int starts, int threads) {
    double[] nominal = fp.space.toTheta(fp.space.base());
    double[] widths = new double[nominal.length];
    Arrays.fill(widths, 2);
    double[][] points = Starts.of(nominal, fp.space.lower(), fp.space.upper(), widths, starts, 3);
    return Fit.run(fp, points, settings(optimizer, threads), null);
  }

  /** The fitted objective ≤ that at the truth, and every true value within 3 SE of its estimate. */
  private static void assertRecovered(FitProblem fp, Fit.Result r, double[] truthP) {
    assertTrue(r.best() >= 0, "every start failed");
    double[] truth = fp.space.toTheta(truthP);
    double atTruth = fp.objective().evaluate(truth, null);
    assertTrue(r.objective() <= atTruth + 1e-9 * Math.abs(atTruth), r.objective() + " > " + atTruth + " at the truth");
    Uncertainty u = r.uncertainty();
    for (int j = 0; j < truth.length; j++) {
      String name = fp.space.components().get(j).name();
      assertTrue(Math.abs(r.theta()[j] - truth[j]) <= 3 * u.se[j],
          name + ": estimate " + r.theta()[j] + ", truth " + truth[j] + ", SE " + u.se[j]);
    }
  }

  /** SEs against the inverse of a Hessian from second differences of the objective's values. */
  private static void assertSeMatchFiniteDifferences(FitProblem fp, Fit.Result r) {
    Objective f = fp.objective();
    double[] x = r.theta();
    int n = x.length;
    double[][] h = new double[n][n];
    double f0 = f.evaluate(x, null);
    double step = 1e-3;
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double v;
        if (i == j) {
          v = (value(f, x, i, step, j, 0) - 2 * f0 + value(f, x, i, -step, j, 0)) / (step * step);
        } else {
          v = (value(f, x, i, step, j, step) - value(f, x, i, step, j, -step) - value(f, x, i, -step, j, step)
              + value(f, x, i, -step, j, -step)) / (4 * step * step);
        }
        h[i][j] = v;
        h[j][i] = v;
      }
    }
    Uncertainty fd = Uncertainty.of(fp.space, x, h);
    for (int j = 0; j < n; j++) {
      assertEquals(fd.se[j], r.uncertainty().se[j], 0.05 * fd.se[j], fp.space.components().get(j).name());
    }
  }

  private static double value(Objective f, double[] x, int i, double hi, int j, double hj) {
    double[] y = x.clone();
    y[i] += hi;
    y[j] += hj;
    return f.evaluate(y, null);
  }

  @Test
  void lotkaVolterraWithEstimatedNoise() throws IOException {
    OdeSystem sys = compile("examples/fit/lotka_volterra.ode");
    double[] truth = {1.5, 1.0, 3.0, 1.0, 0.2};
    double[] times = new double[30];
    for (int i = 0; i < times.length; i++) times[i] = 0.5 * (i + 1);
    double[][] x = solve(sys, truth, times);
    Random rng = new Random(11);
    StringBuilder csv = new StringBuilder("time,prey_obs,pred_obs\n");
    for (int i = 0; i < times.length; i++) {
      csv.append(times[i]).append(',').append(x[i][0] + 0.2 * rng.nextGaussian()).append(',')
          .append(x[i][1] + 0.2 * rng.nextGaussian()).append('\n');
    }
    Path data = dir.resolve("lv.csv");
    Files.writeString(data, csv);
    FitProblem fp = problem("examples/fit/lotka_volterra.ode", data, null);
    Fit.Result r = fit(fp, "ls", 4, 2);
    assertRecovered(fp, r, truth);
    assertSeMatchFiniteDifferences(fp, r);
    // the profile of alpha: its 95 % interval brackets the true value
    Profile.Result pr = Profile.of(fp, settings("ls", 1), r.theta(), r.objective(), 0, 0.3 * r.uncertainty().se[0],
        settings("ls", 1).stop());
    assertTrue(pr.lower() < Math.log(1.5) && Math.log(1.5) < pr.upper(), pr.lower() + " " + pr.upper());
    for (Profile.Point pt : pr.points()) assertTrue(pt.objective() >= r.objective() - 1e-6, "profile below the optimum");
  }

  @Test
  void reactionNetworkWithThreeExperimentsAndLognormalNoise() throws IOException {
    OdeSystem sys = compile("examples/fit/enzyme.ode");
    double[] base = Parameters.build(sys, Map.of(), 1);
    double[] truthParams = {2e-3, 0.05, 0.08, 0.1};
    double[][] conds = {{10, 500}, {40, 500}, {10, 150}};
    String[] ids = {"low", "high_enzyme", "low_substrate"};
    double[] times = new double[24];
    for (int i = 0; i < times.length; i++) times[i] = 5 * (i + 1);
    Random rng = new Random(5);
    StringBuilder csv = new StringBuilder("experiment,time,product,substrate\n");
    StringBuilder cond = new StringBuilder("experiment,E0,S0\n");
    for (int e = 0; e < 3; e++) {
      double[] p = base.clone();
      System.arraycopy(truthParams, 0, p, 0, 4);
      p = Parameters.forExperiment(sys, p, Map.of("E0", conds[e][0], "S0", conds[e][1]), null);
      double[][] x = solve(sys, p, times);
      cond.append(ids[e]).append(',').append(conds[e][0]).append(',').append(conds[e][1]).append('\n');
      for (int i = 0; i < times.length; i++) {
        csv.append(ids[e]).append(',').append(times[i]).append(',').append(x[i][3] * Math.exp(0.1 * rng.nextGaussian()))
            .append(',').append(x[i][1] * Math.exp(0.1 * rng.nextGaussian())).append('\n');
      }
    }
    Path data = dir.resolve("enzyme.csv");
    Path condFile = dir.resolve("cond.csv");
    Files.writeString(data, csv);
    Files.writeString(condFile, cond);
    FitProblem fp = problem("examples/fit/enzyme.ode", data, condFile);
    double[] truth = base.clone();
    System.arraycopy(truthParams, 0, truth, 0, 4);
    Fit.Result r = fit(fp, "ls", 4, 2);
    assertRecovered(fp, r, truth);
  }

  /** Event times of an inhomogeneous Poisson process, by thinning (Lewis and Shedler, 1979). */
  @Test
  void poissonRateModel() throws IOException {
    OdeSystem sys = compile("src/test/resources/fit/decay_rate.ode");
    double lam = 20;
    double k = 0.4;
    double t1 = 10;
    Random rng = new Random(9);
    double max = lam + 0.5;
    StringBuilder csv = new StringBuilder("time,events\n");
    double t = 0;
    while (true) {
      t += -Math.log(1 - rng.nextDouble()) / max;
      if (t > t1) break;
      double intensity = lam * Math.exp(-k * t) + 0.5;
      if (rng.nextDouble() * max < intensity) csv.append(t).append(",1\n");
    }
    csv.append(t1).append(",0\n");
    Path data = dir.resolve("events.csv");
    Files.writeString(data, csv);
    FitProblem fp = problem("src/test/resources/fit/decay_rate.ode", data, null);
    assertEquals("the model has rate 'events'", fp.leastSquaresObstacle());
    Fit.Result r = fit(fp, "lbfgs", 3, 2);
    double[] truth = Parameters.build(sys, Map.of("lam", lam, "k", k), 1);
    assertRecovered(fp, r, truth);
    assertSeMatchFiniteDifferences(fp, r);
  }

  /**
   * The same seed gives the same start points and the same optima, bit for bit, with 1 and 2
   * threads: every thread's copy of the model runs the same generated code (see
   * {@code GradientModel.copy}), and a start depends on nothing but its start point.
   */
  @Test
  void seedGivesTheSameResultWhateverTheThreadCount() {
    FitProblem fp1 = problem("examples/fit/lotka_volterra.ode", Path.of("examples/fit/lv_data.csv"), null);
    FitProblem fp2 = problem("examples/fit/lotka_volterra.ode", Path.of("examples/fit/lv_data.csv"), null);
    Fit.Result a = fit(fp1, "ls", 4, 1);
    Fit.Result b = fit(fp2, "ls", 4, 2);
    assertEquals(a.best(), b.best());
    for (int i = 0; i < 4; i++) {
      MultiStart.StartResult x = a.starts().get(i);
      MultiStart.StartResult y = b.starts().get(i);
      assertTrue(Arrays.equals(x.start(), y.start()), "start points are bit-identical");
      assertEquals(x.result().objective(), y.result().objective(), 0.0);
      assertArrayEquals(x.result().theta(), y.result().theta());
    }
  }
}
