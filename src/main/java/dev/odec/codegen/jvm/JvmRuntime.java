package dev.odec.codegen.jvm;

/**
 * Helpers called by generated code where one JVM instruction does not express an op and no
 * library method does either. Tiny, so HotSpot always inlines them.
 */
final class JvmRuntime {
  private JvmRuntime() {}

  /** {@code SELECT}: {@code c != 0 ? a : b} (a NaN condition selects {@code a}, as in Kernels). */
  static double select(double c, double a, double b) {
    return c != 0.0 ? a : b;
  }
}
