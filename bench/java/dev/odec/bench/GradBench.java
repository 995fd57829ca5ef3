package dev.odec.bench;

import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.infer.DataSet;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.sens.GradientMethod;
import dev.odec.sens.GradientMethods;
import dev.odec.sens.GradientModel;
import dev.odec.sens.GradientProblem;
import dev.odec.sens.GradientResult;
import dev.odec.solve.ExplicitRk;
import dev.odec.solve.Method;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Gradient benchmarks: the cost of {@code odec grad}'s methods relative to the objective alone.
 *
 * <pre>
 * GradBench gen MODEL.ode OUT.csv --t1 T --points M --sigma S --noise-seed N [--pseed S] [--set k=v,...]
 *     solves MODEL (dop853, rtol 1e-12, atol 1e-14) at t = 0, T/(M-1), ..., T and writes
 *     state + N(0, S²) noise (java.util.Random(noise-seed).nextGaussian) for each data column;
 *     data column j observes state component j.
 * GradBench run MODEL.ode DATA.csv ID OUTDIR [--solver dopri5] [--tols R:A,...] [--set k=v,...]
 *     [--pseed S] [--perturb EPS] [--methods adjoint,checkpoint,forward,discrete]
 *     [--warmup-ms MS] [--samples N] [--sample-ms MS]
 *     times GradientProblem.objective() and each method's compute() built as `odec grad`
 *     builds them (JVM backend), warm-up then interleaved samples (as Bench does); writes
 *     ID.grad.tsv (timings, nfe) and ID.gradients.tsv (the gradient values).
 * </pre>
 *
 * The parameters are Parameters.build(sys, --set, --pseed); with --perturb EPS every param
 * component then gets + EPS·N(0, 1) (java.util.Random(pseed + 1000)), so the gradient is not
 * taken at the parameters that generated the data.
 */
public final class GradBench {
  static long warmupMs = 1000;
  static int samples = 15;
  static long sampleMs = 25;

  static final class Case {
    final String name;
    final Supplier<GradientResult> run;
    int reps;
    double firstS;
    double[] perCall;
    GradientResult last;

    Case(String name, Supplier<GradientResult> run) {
      this.name = name;
      this.run = run;
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) usage();
    if (args[0].equals("gen")) gen(args);
    else if (args[0].equals("run")) run(args);
    else usage();
  }

  static void usage() {
    System.err.println("usage: GradBench gen MODEL OUT.csv ... | GradBench run MODEL DATA ID OUTDIR ...");
    System.exit(2);
  }

  static Map<String, String> options(String[] args, int from) {
    Map<String, String> o = new HashMap<>();
    for (int i = from; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("bad option " + args[i]);
      o.put(args[i].substring(2), args[i + 1]);
    }
    return o;
  }

  static Map<String, Double> sets(String s) {
    Map<String, Double> m = new HashMap<>();
    if (s == null || s.isEmpty()) return m;
    for (String kv : s.split(",")) {
      String[] a = kv.split("=");
      m.put(a[0].trim(), Double.parseDouble(a[1]));
    }
    return m;
  }

  static OdeSystem compile(Path model) {
    Frontend.Result fr = Frontend.compile(model);
    if (!fr.ok()) {
      System.err.println("cannot compile " + model + ": " + fr.ioError() + " " + fr.diagnostics().sorted());
      System.exit(1);
    }
    return fr.system();
  }

  static SolverOptions solverOptions(double rtol, double atol) {
    SolverOptions o = new SolverOptions();
    o.rtol = rtol;
    o.atol = atol;
    o.maxSteps = 10_000_000;
    return o;
  }

  static void gen(String[] args) throws IOException {
    OdeSystem sys = compile(Path.of(args[1]));
    Path out = Path.of(args[2]);
    Map<String, String> o = options(args, 3);
    double t1 = Double.parseDouble(o.getOrDefault("t1", "10"));
    int points = Integer.parseInt(o.getOrDefault("points", "101"));
    double sigma = Double.parseDouble(o.getOrDefault("sigma", "0.1"));
    long noiseSeed = Long.parseLong(o.getOrDefault("noise-seed", "1"));
    long pseed = Long.parseLong(o.getOrDefault("pseed", "1"));
    double[] p = Parameters.build(sys, sets(o.get("set")), pseed);
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    double[] y0 = cm.initialState(p);
    double[] times = new double[points];
    for (int i = 0; i < points; i++) times[i] = t1 * i / (points - 1);
    times[points - 1] = t1;
    Solution sol = new ExplicitRk(Method.DOP853, sys.stateSize()).solve(cm.rhs(p), 0.0, y0, times,
        solverOptions(1e-12, 1e-14));
    List<String> cols = GradientProblem.observationColumns(sys);
    if (cols.size() != sys.stateSize()) {
      throw new IllegalStateException("gen expects one data column per state component");
    }
    Random rng = new Random(noiseSeed);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "# %s: states at %d times in [0, %s] + normal noise sigma %s (noise seed %d, param seed %d%s); bench/java/dev/odec/bench/GradBench.java gen%n",
        sys.name(), points, t1, sigma, noiseSeed, pseed, o.containsKey("set") ? ", " + o.get("set") : ""));
    sb.append("time,").append(String.join(",", cols)).append('\n');
    for (int k = 0; k < points; k++) {
      sb.append(repr(times[k]));
      for (int j = 0; j < cols.size(); j++) sb.append(',').append(repr(sol.states[k][j] + sigma * rng.nextGaussian()));
      sb.append('\n');
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, sb.toString());
  }

  static String repr(double v) {
    return String.format(Locale.ROOT, "%.17g", v);
  }

  static void run(String[] args) throws IOException {
    Path modelPath = Path.of(args[1]);
    Path dataPath = Path.of(args[2]);
    String id = args[3];
    Path outDir = Path.of(args[4]);
    Map<String, String> o = options(args, 5);
    Method solver = Method.valueOf(o.getOrDefault("solver", "dopri5").toUpperCase(Locale.ROOT));
    List<double[]> tols = new ArrayList<>();
    for (String pair : o.getOrDefault("tols", "1e-6:1e-8").split(",")) {
      String[] ra = pair.split(":");
      tols.add(new double[] {Double.parseDouble(ra[0]), Double.parseDouble(ra[1])});
    }
    List<String> methods = List.of(o.getOrDefault("methods", "adjoint,checkpoint,forward,discrete").split(","));
    long pseed = Long.parseLong(o.getOrDefault("pseed", "1"));
    double perturb = Double.parseDouble(o.getOrDefault("perturb", "0"));
    warmupMs = Long.parseLong(o.getOrDefault("warmup-ms", "" + warmupMs));
    samples = Integer.parseInt(o.getOrDefault("samples", "" + samples));
    sampleMs = Long.parseLong(o.getOrDefault("sample-ms", "" + sampleMs));
    Files.createDirectories(outDir);

    OdeSystem sys = compile(modelPath);
    DataSet ds = DataSet.read(dataPath, GradientProblem.observationColumns(sys), GradientProblem.rateColumns(sys));
    double[] p = Parameters.build(sys, sets(o.get("set")), pseed);
    int k = 0;
    List<String> names = new ArrayList<>();
    for (OdeSystem.ParamInfo info : sys.params()) {
      k += info.var().shape().size();
      List<String> comps = info.var().componentNames();
      for (int i = 0; i < comps.size(); i++) names.add(comps.get(i));
    }
    if (perturb > 0) {
      Random rng = new Random(pseed + 1000);
      for (int i = 0; i < k; i++) p[i] += perturb * rng.nextGaussian();
    }
    long t = System.nanoTime();
    GradientModel gm = new GradientModel(sys, new JvmBackend());
    double buildS = (System.nanoTime() - t) / 1e9;
    int observations = 0;
    for (String e : ds.experiments()) observations += ds.observations(e).size();
    log("%s: K=%d params, n=%d, %d observations at %d times, GradientModel built in %.2f s", id, k,
        sys.stateSize(), observations, ds.times(ds.experiments().get(0)).length, buildS);

    // Reference gradient: checkpointed adjoint with dop853 at rtol 1e-12, atol 1e-14.
    GradientProblem refPr = new GradientProblem(gm, ds, null, p, 0.0, ds.maxTime(), Method.DOP853,
        solverOptions(1e-12, 1e-14));
    double[] ref = new dev.odec.sens.CheckpointedAdjoint().compute(refPr).gradient;
    double refMax = 0;
    for (int i = 0; i < k; i++) refMax = Math.max(refMax, Math.abs(ref[i]));

    StringBuilder tsv = new StringBuilder();
    tsv.append("problem\tK\tn\tobservations\tsolver\trtol\tatol\tcase\tmedian_s\tmin_s\tsamples\treps\tfirst_s\t"
        + "nfe_forward\tnfe_backward\tratio_median\tratio_min\tgrad_err\tobjective\tbuild_s\n");
    StringBuilder grads = new StringBuilder();
    grads.append("problem\trtol\tatol\tcase\tobjective");
    for (int i = 0; i < Math.min(k, 20); i++) grads.append('\t').append(names.get(i));
    grads.append('\n');
    grads.append(id).append("\treference\t-\tcheckpoint dop853 1e-12/1e-14\t-");
    for (int i = 0; i < Math.min(k, 20); i++) grads.append('\t').append(repr(ref[i]));
    grads.append('\n');

    for (double[] tol : tols) {
      GradientProblem pr = new GradientProblem(gm, ds, null, p, 0.0, ds.maxTime(), solver,
          solverOptions(tol[0], tol[1]));
      List<Case> cases = new ArrayList<>();
      cases.add(new Case("objective", () -> {
        GradientResult r = new GradientResult(0);
        r.objective = pr.objective();
        return r;
      }));
      // The plain solve alone (what `odec run` does), without the likelihood terms: a fresh
      // ExplicitRk per call as objective() makes, outputs at the data times after t0.
      CompiledModel cm = new CompiledModel(sys, new JvmBackend());
      dev.odec.solve.OdeFunction rhs = cm.rhs(p);
      double[] y0 = cm.initialState(p);
      double[] outT = Arrays.stream(ds.times(ds.experiments().get(0))).filter(x -> x > 0).toArray();
      SolverOptions so = solverOptions(tol[0], tol[1]);
      cases.add(new Case("solve", () -> {
        Solution sol = new ExplicitRk(solver, sys.stateSize()).solve(rhs, 0.0, y0, outT, so);
        GradientResult r = new GradientResult(0);
        r.objective = Double.NaN;
        r.nfeForward = sol.stats.nfe;
        return r;
      }));
      for (String m : methods) {
        GradientMethod gmeth = GradientMethods.byName(m, k, false);
        cases.add(new Case(m, () -> gmeth.compute(pr)));
      }
      measure(cases);
      Case obj = cases.get(0);
      double objMed = median(obj.perCall);
      double objMin = min(obj.perCall);
      long nfeObj = -1;
      for (Case c : cases) if (c.name.equals("adjoint") || c.name.equals("checkpoint")) nfeObj = c.last.nfeForward;
      for (Case c : cases) {
        double med = median(c.perCall);
        double mn = min(c.perCall);
        boolean isObj = c == obj || c.name.equals("solve");
        double err = Double.NaN;
        if (!isObj) {
          err = 0;
          for (int i = 0; i < k; i++) err = Math.max(err, Math.abs(c.last.gradient[i] - ref[i]));
          err /= refMax;
        }
        tsv.append(String.format(Locale.ROOT, "%s\t%d\t%d\t%d\t%s\t%.0e\t%.0e\t%s\t%.6e\t%.6e\t%d\t%d\t%.4e\t%d\t%d\t%.4f\t%.4f\t%.3e\t%.10g\t%.3f%n",
            id, k, sys.stateSize(), observations, solver.text, tol[0], tol[1], c.name, med, mn, c.perCall.length, c.reps,
            c.firstS, c == obj ? nfeObj : c.last.nfeForward, isObj ? 0 : c.last.nfeBackward, med / objMed, mn / objMin,
            err, c.last.objective, buildS));
        log("%s rtol %.0e %-10s %10.1f us (min %10.1f)  x%6.2f  nfe %6d + %6d  err %.1e  first %.3f s", id, tol[0],
            c.name, med * 1e6, mn * 1e6, med / objMed, c == obj ? nfeObj : c.last.nfeForward,
            isObj ? 0 : c.last.nfeBackward, err, c.firstS);
        if (!isObj) {
          grads.append(String.format(Locale.ROOT, "%s\t%.0e\t%.0e\t%s\t%s", id, tol[0], tol[1], c.name, repr(c.last.objective)));
          for (int i = 0; i < Math.min(k, 20); i++) grads.append('\t').append(repr(c.last.gradient[i]));
          grads.append('\n');
        }
      }
    }
    Files.writeString(outDir.resolve(id + ".grad.tsv"), tsv.toString());
    Files.writeString(outDir.resolve(id + ".gradients.tsv"), grads.toString());
  }

  /** First call (timed alone: includes lazy code generation), warm-up, calibration, interleaved samples. */
  static void measure(List<Case> cases) {
    for (Case c : cases) {
      long t = System.nanoTime();
      c.last = c.run.get();
      c.firstS = (System.nanoTime() - t) / 1e9;
      long end = System.nanoTime() + warmupMs * 1_000_000L;
      int count = 0;
      boolean slow = c.firstS > 0.5;
      while (count < (slow ? 1 : 3) || (!slow && System.nanoTime() < end)) {
        c.last = c.run.get();
        count++;
      }
      t = System.nanoTime();
      for (int i = 0; i < 2; i++) c.last = c.run.get();
      double one = (System.nanoTime() - t) / 2.0;
      c.reps = (int) Math.max(1, Math.ceil(sampleMs * 1e6 / one));
      // a case that takes over half a second a call gets 5 samples, not `samples`
      c.perCall = new double[one > 5e8 ? Math.min(5, samples) : samples];
    }
    for (int s = 0; s < samples; s++) {
      for (Case c : cases) {
        if (s >= c.perCall.length) continue;
        long t = System.nanoTime();
        GradientResult r = null;
        for (int i = 0; i < c.reps; i++) r = c.run.get();
        c.perCall[s] = (System.nanoTime() - t) / 1e9 / c.reps;
        c.last = r;
      }
    }
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    int m = s.length;
    return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
  }

  static double min(double[] a) {
    return Arrays.stream(a).min().orElse(Double.NaN);
  }

  static void log(String fmt, Object... args) {
    System.err.println(String.format(Locale.ROOT, fmt, args));
  }
}
