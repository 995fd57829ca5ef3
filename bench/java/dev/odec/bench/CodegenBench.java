package dev.odec.bench;

import dev.odec.codegen.c.CProgram;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.sens.GradientModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The time to generate a model's C or CUDA program from its checked model, as {@code odec compile
 * --emit c|cuda} does after the front end: the derivative graphs (the sparse Jacobian, the VJP and
 * the backsolve adjoint system, built symbolically) and the emitted source. Warm-up runs, then the
 * median and min over timed runs. Prints one line: model, states, reactions-worth of graph,
 * source bytes, ms.
 *
 * <p>Usage: CodegenBench MODEL.ode c|cuda [RUNS]
 */
public final class CodegenBench {
  public static void main(String[] args) {
    Frontend.Result r = Frontend.compile(Path.of(args[0]));
    if (!r.ok()) throw new IllegalStateException(args[0] + " does not compile");
    OdeSystem sys = r.system();
    CProgram.Target target = args[1].equals("cuda") ? CProgram.Target.CUDA : CProgram.Target.C;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 9;
    double[] nominal = Parameters.build(sys, Map.of(), 1);
    int bytes = 0;
    for (int i = 0; i < 3; i++) bytes = generate(sys, target, nominal).length();
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      bytes = generate(sys, target, nominal).length();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "model=%s target=%s states=%d graph_nodes=%d source_bytes=%d median_ms=%.1f min_ms=%.1f%n",
        sys.name(), args[1], sys.stateSize(), sys.graph().size(), bytes, ms[runs / 2], ms[0]);
  }

  /** What odec compile --emit does after the front end: the derivatives, then the program. */
  static String generate(OdeSystem sys, CProgram.Target target, double[] nominal) {
    GradientModel gm = new GradientModel(sys, new Interpreter());
    return CProgram.generate(sys, new CProgram.Config(target, null, nominal, gm.forC()));
  }
}
