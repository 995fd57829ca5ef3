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
import java.nio.file.Path;
import java.util.Map;

/**
 * Solves one stiff model with odec (bdf / rodas5 / auto, generated Jacobian, one reused integrator)
 * over and over for a while, for JDK Flight Recorder (bench/stiff.sh). Usage: StiffProfile MODEL.ode
 * METHOD T1 RTOL ATOL SECONDS.
 */
public final class StiffProfile {
  public static void main(String[] args) {
    Frontend.Result fr = Frontend.compile(Path.of(args[0]));
    if (!fr.ok()) throw new IllegalStateException("cannot compile " + args[0]);
    OdeSystem sys = fr.system();
    double[] p = Parameters.build(sys, Map.of(), 0L);
    CompiledModel cm = new CompiledModel(sys, new JvmBackend());
    double[] y0 = cm.initialState(p);
    OdeFunction f = cm.rhs(p);
    OdeJacobian jac = cm.jacobian(p);
    Integrator in = Integrator.of(args[1].equals("auto") ? null : Method.byName(args[1]), sys.stateSize(), jac);
    double[] times = {Double.parseDouble(args[2])};
    SolverOptions o = new SolverOptions();
    o.rtol = Double.parseDouble(args[3]);
    o.atol = Double.parseDouble(args[4]);
    o.maxSteps = 10_000_000;
    long end = System.nanoTime() + (long) (Double.parseDouble(args[5]) * 1e9);
    long solves = 0;
    double sink = 0;
    while (System.nanoTime() < end) {
      Solution s = in.solve(f, 0.0, y0, times, o, null);
      sink += s.states[0][0];
      solves++;
    }
    System.err.printf("profiled %d solves of %s with %s (%s)%n", solves, args[0], args[1], sink == 0.123 ? "" : "ok");
  }
}
