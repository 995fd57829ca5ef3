package dev.odec.bench;

import dev.odec.codegen.BatchBackend;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.codegen.nd4j.Nd4jBackend;
import dev.odec.infer.DataSet;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.BatchRhs;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.sens.BacksolveAdjoint;
import dev.odec.sens.GradientModel;
import dev.odec.sens.GradientProblem;
import dev.odec.solve.BatchRk;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Neural ODE throughput (bench/neural.sh): the MLP 2 -> 64 -> 2 (tanh) of bench/models/mlp64.ode,
 * dopri5 at rtol 1e-6, atol 1e-8, t in [0, 1], a batch of B trajectories from seeded N(0, 1)
 * starts, solved by BatchRk on the JVM backend (row by row) and on ND4J; and one training step
 * (the loss 0.5 Σ |z(1) − target|² and its gradient by the backsolve adjoint) on the JVM, the batch
 * as B experiments. Writes the weights, starts and targets for the PyTorch reference, and a TSV:
 * case, backend, batch, median seconds, samples.
 *
 * <p>usage: NeuralBench OUT_DIR BATCHES(comma) MAX_SECONDS_PER_CASE
 */
public final class NeuralBench {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int[] batches = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
    double budget = Double.parseDouble(args[2]);
    Files.createDirectories(out);
    OdeSystem sys = Frontend.compile(Path.of("bench/models/mlp64.ode")).system();
    double[] p = Parameters.build(sys, Map.of(), 7);
    StringBuilder w = new StringBuilder();
    for (OdeSystem.ParamInfo info : sys.params()) {
      List<String> names = info.var().componentNames();
      for (int i = 0; i < names.size(); i++) {
        w.append(names.get(i)).append('=').append(p[info.var().offset() + i]).append('\n');
      }
    }
    Files.writeString(out.resolve("weights.txt"), w.toString());
    int maxB = Arrays.stream(batches).max().orElse(1);
    Random rnd = new Random(11);
    double[][] z0 = new double[maxB][];
    double[][] target = new double[maxB][];
    StringBuilder starts = new StringBuilder("z1,z2,target1,target2\n");
    for (int m = 0; m < maxB; m++) {
      z0[m] = new double[] {rnd.nextGaussian(), rnd.nextGaussian()};
      target[m] = new double[] {z0[m][1], -z0[m][0]};
      starts.append(z0[m][0]).append(',').append(z0[m][1]).append(',').append(target[m][0]).append(',')
          .append(target[m][1]).append('\n');
    }
    Files.writeString(out.resolve("starts.csv"), starts.toString());
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-6;
    o.atol = 1e-8;
    StringBuilder tsv = new StringBuilder("case\tbackend\tbatch\tmedian_s\tsamples\tsteps_mean\n");
    for (int b : batches) {
      double[][] y0 = Arrays.copyOf(z0, b);
      for (String backend : new String[] {"jvm", "nd4j"}) {
        BatchBackend bb = backend.equals("jvm") ? BatchBackend.rowByRow(new JvmBackend()) : new Nd4jBackend();
        BatchRhs rhs = new BatchRhs(bb.compileBatch(sys.rhs()), 2, List.of(p));
        BatchRk rk = new BatchRk(Method.DOPRI5, 2);
        double[] steps = new double[1];
        double[] ts = time(() -> {
          BatchRk.Result r = rk.solve(rhs, 0.0, y0, new double[] {1.0}, o);
          long s = 0;
          for (var sol : r.solutions()) s += sol.stats.steps;
          steps[0] = (double) s / b;
        }, budget);
        tsv.append(String.format(Locale.ROOT, "forward\t%s\t%d\t%.6g\t%d\t%.1f%n", backend, b, median(ts), ts.length,
            steps[0]));
        System.err.printf(Locale.ROOT, "forward %s B=%d: %.3f ms (%d samples)%n", backend, b, 1e3 * median(ts), ts.length);
      }
      if (b <= 1024) {
        GradientProblem pr = trainingProblem(sys, p, z0, target, b, out);
        double[] ts = time(() -> new BacksolveAdjoint().compute(pr), budget);
        tsv.append(String.format(Locale.ROOT, "train\tjvm\t%d\t%.6g\t%d\t-%n", b, median(ts), ts.length));
        System.err.printf(Locale.ROOT, "train jvm B=%d: %.3f ms (%d samples)%n", b, 1e3 * median(ts), ts.length);
      }
    }
    Files.writeString(out.resolve("odec.tsv"), tsv.toString());
  }

  /** B experiments: start z0[m] (a conditions row), one observation of z at t = 1 (the target). */
  static GradientProblem trainingProblem(OdeSystem sys, double[] p, double[][] z0, double[][] target, int b, Path out)
      throws Exception {
    StringBuilder data = new StringBuilder("experiment,time,zobs[1],zobs[2]\n");
    StringBuilder cond = new StringBuilder("experiment,za,zb\n");
    for (int m = 0; m < b; m++) {
      data.append('e').append(m).append(",1,").append(target[m][0]).append(',').append(target[m][1]).append('\n');
      cond.append('e').append(m).append(',').append(z0[m][0]).append(',').append(z0[m][1]).append('\n');
    }
    Path d = out.resolve("train_data_" + b + ".csv");
    Path c = out.resolve("train_cond_" + b + ".csv");
    Files.writeString(d, data.toString());
    Files.writeString(c, cond.toString());
    DataSet ds = DataSet.read(d, GradientProblem.observationColumns(sys), GradientProblem.rateColumns(sys));
    var conditions = dev.odec.infer.Conditions.read(c, List.of("za", "zb"));
    SolverOptions o = new SolverOptions();
    o.rtol = 1e-6;
    o.atol = 1e-8;
    return new GradientProblem(new GradientModel(sys, new JvmBackend()), ds, conditions, p, 0.0, 1.0, Method.DOPRI5, o);
  }

  /** One untimed run, then timed runs until the budget is spent (at least 3, at most 25). */
  static double[] time(Runnable r, double budget) {
    r.run();
    List<Double> ts = new ArrayList<>();
    long start = System.nanoTime();
    while (ts.size() < 3 || (ts.size() < 25 && (System.nanoTime() - start) / 1e9 < budget)) {
      long t = System.nanoTime();
      r.run();
      ts.add((System.nanoTime() - t) / 1e9);
    }
    return ts.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }
}
