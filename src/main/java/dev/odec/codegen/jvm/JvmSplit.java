package dev.odec.codegen.jvm;

/**
 * A generated function whose code is spread over several {@link JvmPart} classes, run in order
 * with this instance's scratch array. One virtual call per part and evaluation: a part holds
 * thousands of chunk calls, so the indirection costs nothing measurable.
 */
final class JvmSplit extends JvmCompiled {
  private final JvmPart[] parts;

  JvmSplit(JvmPart[] parts, Template template) {
    super(template);
    this.parts = parts;
  }

  @Override
  public void eval(double t, double[] y, double[] p, double[] out) {
    for (JvmPart part : parts) part.run(t, y, p, out, s, k, g);
  }
}
