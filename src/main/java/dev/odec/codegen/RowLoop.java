package dev.odec.codegen;

import dev.odec.ir.IrFunction;

/**
 * A {@link BatchFunction} on the JVM: one {@link CompiledFunction} called row after row, so every
 * row is bit for bit what the compiled function computes for it alone (the reference the batched
 * backends are tested against).
 */
public final class RowLoop implements BatchFunction {
  private final CompiledFunction f;
  private final int ySize;
  private final int pSize;
  private final double[] yRow;
  private final double[] pRow;
  private final double[] outRow;

  public RowLoop(CompiledFunction f, IrFunction ir) {
    this.f = f;
    this.ySize = ir.ySize();
    this.pSize = ir.pSize();
    this.yRow = new double[ySize];
    this.pRow = new double[pSize];
    this.outRow = new double[f.outputSize()];
  }

  @Override
  public int outputSize() {
    return outRow.length;
  }

  @Override
  public void eval(int rows, double[] t, double[] y, double[] p, int pRows, double[] out) {
    int m = outRow.length;
    if (pRows == 1) System.arraycopy(p, 0, pRow, 0, pSize);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(y, r * ySize, yRow, 0, ySize);
      if (pRows != 1) System.arraycopy(p, r * pSize, pRow, 0, pSize);
      f.eval(t[r], yRow, pRow, outRow);
      System.arraycopy(outRow, 0, out, r * m, m);
    }
  }
}
