package dev.odec.runtime;

import dev.odec.codegen.CompiledFunction;
import dev.odec.solve.OdeFunction;

/** A compiled function f(t, y, p) with p bound: the right-hand side a solver sees. */
public final class BoundFunction implements OdeFunction {
  private final CompiledFunction f;
  private final int n;
  private final double[] p;

  /** @param p the parameter vector, not copied (later changes to it are seen) */
  public BoundFunction(CompiledFunction f, int n, double[] p) {
    this.f = f;
    this.n = n;
    this.p = p;
  }

  @Override
  public int dimension() {
    return n;
  }

  @Override
  public void eval(double t, double[] y, double[] dydt) {
    f.eval(t, y, p, dydt);
  }
}
