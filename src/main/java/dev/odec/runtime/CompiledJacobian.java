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

  /** Why a stiff solver's Jacobian too large to build can be done without. */
  public static final String WITHOUT_JACOBIAN = "an explicit solver (--solver tsit5 or dop853) needs no Jacobian";

  /**
   * The Jacobian of {@code f} with respect to its state vector y; refused (before anything is
   * built) when it would be larger than {@link MemoryBudget#jacobianEntries()}.
   */
  public CompiledJacobian(dev.odec.ir.Graph g, IrFunction f, Backend backend, double[] p) {
    MemoryBudget.checkJacobian(f, "the stiff solver's Jacobian of '" + f.name() + "'", WITHOUT_JACOBIAN);
    Jacobian j = Jacobian.of(g, f, 0);
    this.rowStart = j.rowStart();
    this.colIndex = j.colIndex();
    this.values = backend.compile(j.asFunction(f.name() + "_jacobian"));
    this.p = p;
  }

  private CompiledJacobian(int[] rowStart, int[] colIndex, CompiledFunction values, double[] p) {
    this.rowStart = rowStart;
    this.colIndex = colIndex;
    this.values = values;
    this.p = p;
  }

  /**
   * The same compiled Jacobian with the parameters fixed at {@code p} (not copied): generating
   * and compiling it again for every solve of a fit would cost more than the solve.
   */
  public CompiledJacobian bind(double[] p) {
    return new CompiledJacobian(rowStart, colIndex, values, p);
  }

  /** The same Jacobian with its own scratch space (for another thread), bound to {@code p}. */
  public CompiledJacobian copy(double[] p) {
    return new CompiledJacobian(rowStart, colIndex, values.copy(), p);
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
