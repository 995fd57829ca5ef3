package dev.odec.bench;

import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.solve.ExplicitRk;
import dev.odec.solve.Method;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hipparchus.ode.ODEIntegrator;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;

/**
 * One benchmark problem in one JVM: odec (dopri5, tsit5, dop853 through ExplicitRk, one instance
 * reused across solves as {@code odec run --repeat} does) against Hipparchus (DormandPrince54,
 * DormandPrince853, hand-written right-hand side) at each tolerance, plus the cost of one
 * evaluation of the compiled right-hand side and the bytes a solve allocates.
 *
 * <p>Timing: each case is warmed up for {@code --warmup-ms}, then timed in {@code --samples}
 * samples of {@code reps} solves each (reps chosen so that a sample lasts about
 * {@code --sample-ms}); the samples of all cases of one tolerance are interleaved, so drift in
 * machine load hits every tool alike. Reported: median and min over samples of time per solve.
 *
 * <p>Usage: Bench MODEL.ode ID OUTDIR [--tols RTOL:ATOL,...] [--warmup-ms MS] [--samples N]
 * [--sample-ms MS]
 */
public final class Bench {
  static final double T0 = 0.0;
  static final double T1 = 10.0;
  static final int POINTS = 101;
  static final double REF_RTOL = 1e-13;
  static final double REF_ATOL = 1e-15;

  static long warmupMs = 1500;
  static int samples = 15;
  static long sampleMs = 25;

  /** What one solve gives back, for counting and for the error. */
  record Outcome(double[][] states, long nfe, long steps, long rejected) {}

  interface Solver {
    Outcome solve();
  }

  static final class Case {
    final String tool;
    final String method;
    final Solver solver;
    int reps;
    final double[] perSolve;
    Outcome last;

    Case(String tool, String method, Solver solver) {
      this.tool = tool;
      this.method = method;
      this.solver = solver;
      this.perSolve = new double[samples];
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: Bench MODEL.ode ID OUTDIR [--tols RTOL:ATOL,...] [--warmup-ms MS] "
          + "[--samples N] [--sample-ms MS]");
      System.exit(2);
    }
    Path model = Path.of(args[0]);
    String id = args[1];
    Path outDir = Path.of(args[2]);
    List<double[]> tols = List.of(new double[] {1e-6, 1e-8}, new double[] {1e-10, 1e-12});
    for (int i = 3; i < args.length; i += 2) {
      switch (args[i]) {
        case "--tols" -> {
          List<double[]> t = new ArrayList<>();
          for (String pair : args[i + 1].split(",")) {
            String[] ra = pair.split(":");
            t.add(new double[] {Double.parseDouble(ra[0]), Double.parseDouble(ra[1])});
          }
          tols = t;
        }
        case "--warmup-ms" -> warmupMs = Long.parseLong(args[i + 1]);
        case "--samples" -> samples = Integer.parseInt(args[i + 1]);
        case "--sample-ms" -> sampleMs = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Files.createDirectories(outDir);

    Frontend.Result fr = Frontend.compile(model);
    if (!fr.ok()) {
      System.err.println("cannot compile " + model + ": " + fr.ioError() + " " + fr.diagnostics().sorted());
      System.exit(1);
    }
    OdeSystem sys = fr.system();
    double[] p = Parameters.build(sys, Map.of(), 0L);
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    double[] y0 = cm.initialState(p);
    OdeFunction f = cm.rhs(p);
    int n = sys.stateSize();
    HandRhs hand = HandRhs.of(sys, p);
    double[] times = linspace(T0, T1, POINTS);

    // The reference: odec dop853 at rtol 1e-13, atol 1e-15.
    SolverOptions refOpt = options(REF_RTOL, REF_ATOL);
    Solution ref = new ExplicitRk(Method.DOP853, n).solve(f, T0, y0, times, refOpt);
    writeReference(outDir.resolve(id + ".ref.json"), id, sys, p, y0, times, ref);
    log("%s: n=%d, reference: odec dop853 rtol %.0e atol %.0e, %d steps", id, n, REF_RTOL, REF_ATOL,
        ref.stats.steps);

    StringBuilder tsv = new StringBuilder();
    tsv.append("problem\tn\trtol\tatol\ttool\tmethod\tmedian_s\tmin_s\tsamples\treps\tnfe\tsteps\t"
        + "rejected\tmax_err\tbytes_per_solve\n");
    for (double[] tol : tols) {
      double rtol = tol[0];
      double atol = tol[1];
      List<Case> cases = new ArrayList<>();
      for (Method m : new Method[] {Method.DOPRI5, Method.TSIT5, Method.DOP853}) {
        ExplicitRk rk = new ExplicitRk(m, n);
        SolverOptions o = options(rtol, atol);
        cases.add(new Case("odec", m.text, () -> {
          Solution s = rk.solve(f, T0, y0, times, o);
          return new Outcome(s.states, s.stats.nfe, s.stats.steps, s.stats.rejected);
        }));
      }
      OrdinaryDifferentialEquation ode = hand.hipparchus();
      cases.add(hipparchusCase("DormandPrince54",
          new DormandPrince54Integrator(0.0, Math.abs(T1 - T0), atol, rtol), ode, y0, times));
      cases.add(hipparchusCase("DormandPrince853",
          new DormandPrince853Integrator(0.0, Math.abs(T1 - T0), atol, rtol), ode, y0, times));
      measure(cases);
      for (Case c : cases) {
        double bytes = allocatedPerSolve(c);
        double err = maxError(c.last.states, ref.states);
        double[] sorted = c.perSolve.clone();
        Arrays.sort(sorted);
        tsv.append(String.format(Locale.ROOT, "%s\t%d\t%.0e\t%.0e\t%s\t%s\t%.6e\t%.6e\t%d\t%d\t%d\t%d\t%d\t%.3e\t%.0f%n",
            id, n, rtol, atol, c.tool, c.method, median(sorted), sorted[0], samples, c.reps,
            c.last.nfe, c.last.steps, c.last.rejected, err, bytes));
        log("%s rtol %.0e %-5s %-16s %10.2f us  nfe %6d  err %.2e  %8.0f B/solve", id, rtol, c.tool,
            c.method, median(sorted) * 1e6, c.last.nfe, err, bytes);
      }
    }
    Files.writeString(outDir.resolve(id + ".java.tsv"), tsv.toString());

    // One right-hand-side evaluation: the compiled function as the solver calls it, and the
    // hand-written Java loop, at the reference state at t = 5.
    double[] yMid = ref.states[POINTS / 2].clone();
    double[] dOdec = new double[n];
    double[] dHand = new double[n];
    f.eval(5.0, yMid, dOdec);
    hand.eval(5.0, yMid, dHand);
    double rhsDiff = 0;
    for (int i = 0; i < n; i++) rhsDiff = Math.max(rhsDiff, Math.abs(dOdec[i] - dHand[i]));
    double[] rhs = rhsTiming(f, hand, yMid);
    Files.writeString(outDir.resolve(id + ".rhs.tsv"), String.format(Locale.ROOT,
        "problem\tn\todec_rhs_ns_median\todec_rhs_ns_min\thand_rhs_ns_median\thand_rhs_ns_min\tmax_abs_diff%n"
            + "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3e%n",
        id, n, rhs[0], rhs[1], rhs[2], rhs[3], rhsDiff));
    log("%s rhs: odec %.1f ns/eval, hand-written %.1f ns/eval, max |diff| %.1e", id, rhs[0], rhs[2], rhsDiff);
  }

  static Case hipparchusCase(String name, ODEIntegrator integrator, OrdinaryDifferentialEquation ode,
      double[] y0, double[] times) {
    Collector collector = new Collector(times);
    integrator.addStepHandler(collector);
    return new Case("hipparchus", name, () -> {
      integrator.integrate(ode, new ODEState(T0, y0.clone()), times[times.length - 1]);
      if (collector.next != times.length) throw new IllegalStateException("missing outputs");
      return new Outcome(collector.states, integrator.getEvaluations(), collector.steps, -1);
    });
  }

  /** Fills the output points from each step's dense output (output points never shorten a step). */
  static final class Collector implements ODEStepHandler {
    final double[] times;
    double[][] states;
    int next;
    long steps;

    Collector(double[] times) {
      this.times = times;
    }

    @Override
    public void init(ODEStateAndDerivative s0, double t) {
      states = new double[times.length][];
      next = 0;
      steps = 0;
      while (next < times.length && times[next] == s0.getTime()) {
        states[next++] = s0.getPrimaryState();
      }
    }

    @Override
    public void handleStep(ODEStateInterpolator in) {
      steps++;
      double tEnd = in.getCurrentState().getTime();
      while (next < times.length && times[next] <= tEnd) {
        states[next] = times[next] == tEnd ? in.getCurrentState().getPrimaryState()
            : in.getInterpolatedState(times[next]).getPrimaryState();
        next++;
      }
    }
  }

  /** Warm-up, calibration of reps, then interleaved samples. */
  static void measure(List<Case> cases) {
    for (Case c : cases) {
      long end = System.nanoTime() + warmupMs * 1_000_000L;
      int count = 0;
      while (count < 5 || System.nanoTime() < end) {
        c.last = c.solver.solve();
        count++;
      }
      long t = System.nanoTime();
      for (int i = 0; i < 3; i++) c.last = c.solver.solve();
      double one = (System.nanoTime() - t) / 3.0;
      c.reps = (int) Math.max(1, Math.ceil(sampleMs * 1e6 / one));
    }
    for (int s = 0; s < samples; s++) {
      for (Case c : cases) {
        long t = System.nanoTime();
        Outcome o = null;
        for (int r = 0; r < c.reps; r++) o = c.solver.solve();
        c.perSolve[s] = (System.nanoTime() - t) / 1e9 / c.reps;
        c.last = o;
      }
    }
  }

  /** Bytes allocated by this thread per solve, after warm-up (averaged over reps solves). */
  static double allocatedPerSolve(Case c) {
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int reps = Math.max(c.reps, 10);
    Outcome o = null;
    long before = bean.getThreadAllocatedBytes(tid);
    for (int r = 0; r < reps; r++) o = c.solver.solve();
    long after = bean.getThreadAllocatedBytes(tid);
    c.last = o;
    return (after - before) / (double) reps;
  }

  /** ns per evaluation: {odec median, odec min, hand median, hand min}, interleaved samples. */
  static double[] rhsTiming(OdeFunction f, HandRhs hand, double[] y) {
    int n = y.length;
    double[] yo = y.clone();
    double[] yh = y.clone();
    double[] d = new double[n];
    double base = y[0];
    double sink = 0;
    // warm-up and calibration
    long end = System.nanoTime() + warmupMs * 1_000_000L;
    long calls = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 1000; i++) {
        f.eval(5.0, yo, d);
        yo[0] = base + 1e-300 * d[n - 1];
        hand.eval(5.0, yh, d);
        yh[0] = base + 1e-300 * d[n - 1];
      }
      calls += 1000;
    }
    long perSample = Math.max(1000, (long) (calls / (double) warmupMs * sampleMs / 2));
    double[] od = new double[samples];
    double[] hd = new double[samples];
    for (int s = 0; s < samples; s++) {
      long t = System.nanoTime();
      for (long i = 0; i < perSample; i++) {
        f.eval(5.0, yo, d);
        yo[0] = base + 1e-300 * d[n - 1];
      }
      od[s] = (System.nanoTime() - t) / (double) perSample;
      sink += d[n - 1];
      t = System.nanoTime();
      for (long i = 0; i < perSample; i++) {
        hand.eval(5.0, yh, d);
        yh[0] = base + 1e-300 * d[n - 1];
      }
      hd[s] = (System.nanoTime() - t) / (double) perSample;
      sink += d[n - 1];
    }
    if (sink == 42.4242) System.out.println("sink");
    Arrays.sort(od);
    Arrays.sort(hd);
    return new double[] {median(od), od[0], median(hd), hd[0]};
  }

  static SolverOptions options(double rtol, double atol) {
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    o.atol = atol;
    o.maxSteps = 10_000_000;
    return o;
  }

  static double maxError(double[][] a, double[][] ref) {
    double e = 0;
    for (int i = 0; i < ref.length; i++) {
      for (int j = 0; j < ref[i].length; j++) e = Math.max(e, Math.abs(a[i][j] - ref[i][j]));
    }
    return e;
  }

  static double median(double[] sorted) {
    int m = sorted.length;
    return m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
  }

  /** Same points as {@code odec run}'s default output: a + (b - a) i / (n - 1), last = b. */
  static double[] linspace(double a, double b, int m) {
    double[] t = new double[m];
    for (int i = 0; i < m; i++) t[i] = a + (b - a) * i / (m - 1);
    t[m - 1] = b;
    return t;
  }

  static void writeReference(Path path, String id, OdeSystem sys, double[] p, double[] y0,
      double[] times, Solution ref) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"problem\": \"").append(id).append("\", \"model\": \"").append(sys.name())
        .append("\", \"n\": ").append(y0.length).append(",\n \"reference\": \"odec dop853 rtol ")
        .append(REF_RTOL).append(" atol ").append(REF_ATOL).append("\", \"ref_nfe\": ")
        .append(ref.stats.nfe).append(",\n \"params\": {");
    String sep = "";
    for (OdeSystem.Var v : sys.pVars()) {
      if (v.shape().size() != 1) continue;
      sb.append(sep).append('"').append(v.name()).append("\": ").append(p[v.offset()]);
      sep = ", ";
    }
    sb.append("},\n \"y0\": ");
    array(sb, y0);
    sb.append(",\n \"times\": ");
    array(sb, times);
    sb.append(",\n \"ref\": [");
    for (int i = 0; i < ref.states.length; i++) {
      if (i > 0) sb.append(",\n  ");
      array(sb, ref.states[i]);
    }
    sb.append("]}\n");
    Files.writeString(path, sb.toString());
  }

  static void array(StringBuilder sb, double[] a) {
    sb.append('[');
    for (int i = 0; i < a.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(a[i]);
    }
    sb.append(']');
  }

  static void log(String fmt, Object... args) {
    System.err.println(String.format(Locale.ROOT, fmt, args));
  }
}
