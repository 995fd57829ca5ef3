package dev.odec.codegen.jvm;

/**
 * One class of a function too large for a single class file (more constants than a class's
 * constant pool holds: a 400 × 400 dense Jacobian, a model of 100,000 states). Each part runs a
 * consecutive range of the function's chunks; a {@link JvmSplit} calls the parts in order. Parts
 * keep nothing between calls (values crossing chunks go through the scratch array), so one
 * instance of each serves every copy of the function.
 */
abstract class JvmPart {
  /** Runs this part's chunks: the same arguments every chunk method takes. */
  abstract void run(double t, double[] y, double[] p, double[] out, double[] s, double[] k, int[] g);
}
