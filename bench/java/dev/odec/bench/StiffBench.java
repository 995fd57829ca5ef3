package dev.odec.bench;

import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.solve.Integrator;
import dev.odec.solve.Method;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.OdeJacobian;
import dev.odec.solve.Solution;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * odec's stiff solvers on one problem in one JVM: bdf, rodas5 and auto through
 * {@link Integrator#of} with the generated sparse Jacobian ({@link CompiledModel#jacobian}), each
 * integrator created once and reused for every solve, at each tolerance. A solve goes from 0 to T1
 * and returns y(T1) only.
 *
 * <p>Timing as {@link Bench}: warm-up of {@code --warmup-ms} per case, then {@code --samples}
 * samples of {@code reps} solves (a sample lasts about {@code --sample-ms}), the samples of the
 * cases of one tolerance interleaved; median and min of time per solve. Writes OUTDIR/ID.odec.tsv
 * (one line per case, with the solver's counters) and OUTDIR/ID.odec.METHOD.RTOL.state (y(T1), one
 * value a line) for the error, computed by bench/stiff/report.py.
 *
 * <p>Usage: StiffBench MODEL.ode ID OUTDIR T1 [--tols RTOL:ATOL,...] [--methods bdf,rodas5,auto]
 * [--warmup-ms MS] [--samples N] [--sample-ms MS] [--once] (--once: one solve per case, no timing
 * loop; for references).
 */
public final class StiffBench {
  record Case(String method, Integrator in, SolverOptions o, double[] perSolve) {}

  public static void main(String[] args) throws IOException {
    Path model = Path.of(args[0]);
    String id = args[1];
    Path outDir = Path.of(args[2]);
    double t1 = Double.parseDouble(args[3]);
    List<double[]> tols = new ArrayList<>();
    String methods = "bdf,rodas5,auto";
    long warmupMs = 1000;
    int samples = 9;
    long sampleMs = 50;
    boolean once = false;
    for (int i = 4; i < args.length; i++) {
      switch (args[i]) {
        case "--tols" -> {
          for (String pair : args[++i].split(",")) {
            String[] ra = pair.split(":");
            tols.add(new double[] {Double.parseDouble(ra[0]), Double.parseDouble(ra[1])});
          }
        }
        case "--methods" -> methods = args[++i];
        case "--warmup-ms" -> warmupMs = Long.parseLong(args[++i]);
        case "--samples" -> samples = Integer.parseInt(args[++i]);
        case "--sample-ms" -> sampleMs = Long.parseLong(args[++i]);
        case "--once" -> once = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Files.createDirectories(outDir);
    long c0 = System.nanoTime();
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
    long c1 = System.nanoTime();
    OdeJacobian jac = cm.jacobian(p);
    long c2 = System.nanoTime();
    int n = sys.stateSize();
    log("%s: n=%d, front end + rhs compile %.2f s, Jacobian (%d non-zeros) generate + compile %.2f s", id, n,
        (c1 - c0) / 1e9, jac.colIndex().length, (c2 - c1) / 1e9);
    Files.writeString(outDir.resolve(id + ".names"), String.join("\n", sys.stateComponentNames()) + "\n");
    double[] times = {t1};

    StringBuilder tsv = new StringBuilder();
    for (double[] tol : tols) {
      List<Case> cases = new ArrayList<>();
      for (String m : methods.split(",")) {
        Method method = m.equals("auto") ? null : Method.byName(m);
        SolverOptions o = new SolverOptions();
        o.rtol = tol[0];
        o.atol = tol[1];
        o.maxSteps = 10_000_000;
        cases.add(new Case(m, Integrator.of(method, n, jac), o, new double[samples]));
      }
      Solution[] last = new Solution[cases.size()];
      int[] reps = new int[cases.size()];
      for (int c = 0; c < cases.size(); c++) {
        Case k = cases.get(c);
        if (once) {
          long t = System.nanoTime();
          last[c] = k.in.solve(f, 0.0, y0, times, k.o, null);
          Arrays.fill(k.perSolve, (System.nanoTime() - t) / 1e9);
          reps[c] = 1;
          continue;
        }
        long end = System.nanoTime() + warmupMs * 1_000_000L;
        int count = 0;
        while (count < 3 || System.nanoTime() < end) {
          last[c] = k.in.solve(f, 0.0, y0, times, k.o, null);
          count++;
        }
        long t = System.nanoTime();
        for (int i = 0; i < 2; i++) last[c] = k.in.solve(f, 0.0, y0, times, k.o, null);
        double one = (System.nanoTime() - t) / 2.0;
        reps[c] = (int) Math.max(1, Math.ceil(sampleMs * 1e6 / one));
      }
      if (!once) {
        for (int s = 0; s < samples; s++) {
          for (int c = 0; c < cases.size(); c++) {
            Case k = cases.get(c);
            long t = System.nanoTime();
            for (int r = 0; r < reps[c]; r++) last[c] = k.in.solve(f, 0.0, y0, times, k.o, null);
            k.perSolve[s] = (System.nanoTime() - t) / 1e9 / reps[c];
          }
        }
      }
      for (int c = 0; c < cases.size(); c++) {
        Case k = cases.get(c);
        double[] sorted = k.perSolve.clone();
        Arrays.sort(sorted);
        Stats st = last[c].stats;
        tsv.append(String.format(Locale.ROOT, "%s\t%d\t%.0e\t%.0e\todec\t%s\t%.6e\t%.6e\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d%n",
            id, n, tol[0], tol[1], k.method, median(sorted), sorted[0], once ? 1 : samples, reps[c], st.nfe,
            st.jacobians, st.lu, st.steps, st.rejected, st.switches));
        StringBuilder state = new StringBuilder();
        for (double v : last[c].states[0]) state.append(String.format(Locale.ROOT, "%.17g%n", v));
        Files.writeString(outDir.resolve(String.format(Locale.ROOT, "%s.odec.%s.%.0e.state", id, k.method, tol[0])),
            state.toString());
        log("%s rtol %.0e odec %-6s %10.3f ms  nfe %6d  jac %5d  lu %5d  steps %6d  rej %4d", id, tol[0], k.method,
            median(sorted) * 1e3, st.nfe, st.jacobians, st.lu, st.steps, st.rejected);
      }
    }
    Files.writeString(outDir.resolve(id + ".odec.tsv"), tsv.toString());
  }

  static double median(double[] sorted) {
    int m = sorted.length;
    return m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
  }

  static void log(String fmt, Object... args) {
    System.err.println(String.format(Locale.ROOT, fmt, args));
  }
}
