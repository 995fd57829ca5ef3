package dev.odec.codegen;

/**
 * An executable {@link dev.odec.ir.IrFunction}: {@code out = F(t, y, p)}. Implementations keep
 * preallocated scratch space, so {@link #eval} allocates nothing, and one instance must not be
 * used by two threads at once ({@link #copy} gives an independent one).
 */
public interface CompiledFunction {
  /** The length of {@code out}. */
  int outputSize();

  void eval(double t, double[] y, double[] p, double[] out);

  /** An instance with its own scratch space, for use on another thread. */
  CompiledFunction copy();
}
