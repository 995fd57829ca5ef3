package dev.odec.runtime;

import dev.odec.ad.Jacobian;
import dev.odec.codegen.Backend;
import dev.odec.codegen.CompiledFunction;
import dev.odec.ir.IrFunction;
import dev.odec.solve.OdeJacobian;

/** A symbolic Jacobian compiled by a backend, with the parameters fixed: an {@link OdeJacobian}. */
public final class CompiledJacobian implements OdeJacobian {
  private final int[] rowStart;
  private final int[] colIndex;
  private final CompiledFunction values;
  private final double[] p;

  /** The Jacobian of {@code f} with respect to its state vector y. */
  public CompiledJacobian(dev.odec.ir.Graph g, IrFunction f, Backend backend, double[] p) {
    this(Jacobian.of(g, f, 0), backend, f.name(), p);
  }

  private CompiledJacobian(Jacobian j, Backend backend, String name, double[] p) {
    this(j.rowStart(), j.colIndex(), backend.compile(j.asFunction(name + "_jacobian")), p);
  }

  /**
   * An already compiled Jacobian (pattern and values function) bound to {@code p}: several
   * parameter vectors (experiments) share one generated Jacobian.
   */
  public CompiledJacobian(int[] rowStart, int[] colIndex, CompiledFunction values, double[] p) {
    this.rowStart = rowStart;
    this.colIndex = colIndex;
    this.values = values;
    this.p = p;
  }

  /** This Jacobian's generated code bound to another parameter vector. */
  public CompiledJacobian withParameters(double[] p) {
    return new CompiledJacobian(rowStart, colIndex, values, p);
  }

  @Override
  public int[] rowStart() {
    return rowStart;
  }

  @Override
  public int[] colIndex() {
    return colIndex;
  }

  @Override
  public void eval(double t, double[] y, double[] out) {
    values.eval(t, y, p, out);
  }
}
