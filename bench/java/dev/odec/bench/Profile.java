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
import java.nio.file.Path;
import java.util.Map;

/**
 * Solves one model with odec over and over for a while, for a sampling profiler (run.sh uses JDK
 * Flight Recorder) to see where a solve spends its time. Usage: Profile MODEL.ode METHOD RTOL ATOL
 * SECONDS.
 */
public final class Profile {
  public static void main(String[] args) {
    Frontend.Result fr = Frontend.compile(Path.of(args[0]));
    if (!fr.ok()) throw new IllegalStateException("cannot compile " + args[0]);
    OdeSystem sys = fr.system();
    double[] p = Parameters.build(sys, Map.of(), 0L);
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    double[] y0 = cm.initialState(p);
    OdeFunction f = cm.rhs(p);
    ExplicitRk rk = new ExplicitRk(Method.byName(args[1]), sys.stateSize());
    var o = Bench.options(Double.parseDouble(args[2]), Double.parseDouble(args[3]));
    double[] times = Bench.linspace(Bench.T0, Bench.T1, Bench.POINTS);
    long end = System.nanoTime() + (long) (Double.parseDouble(args[4]) * 1e9);
    long solves = 0;
    double sink = 0;
    while (System.nanoTime() < end) {
      Solution s = rk.solve(f, Bench.T0, y0, times, o);
      sink += s.states[Bench.POINTS - 1][0];
      solves++;
    }
    System.err.printf("profiled %d solves (%s)%n", solves, sink == 0.123 ? "" : "ok");
  }
}
