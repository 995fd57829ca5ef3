package dev.odec.codegen.jvm;

import dev.odec.codegen.CompiledFunction;
import java.lang.invoke.MethodHandle;

/**
 * The superclass of every class {@link JvmBackend} generates. It holds the per-instance scratch
 * array (allocated once, in the constructor, so that {@code eval} allocates nothing) and the
 * shared read-only tables (large constants, gather indices); the generated subclass supplies only
 * {@code eval}. {@link #copy} builds a new instance of the same generated class with its own
 * scratch array.
 */
abstract class JvmCompiled implements CompiledFunction {
  /** Scratch: tensors computed with loops, values live across chunk methods. */
  final double[] s;
  /** Constants addressed by index (large tensors, operands of loops); shared, never written. */
  final double[] k;
  /** Index tables of looped GATHERs; shared, never written. */
  final int[] g;

  private final Template template;

  JvmCompiled(Template template) {
    this.template = template;
    this.s = new double[template.scratchSize()];
    this.k = template.constants();
    this.g = template.gatherIndices();
  }

  @Override
  public final int outputSize() {
    return template.outputSize();
  }

  @Override
  public final CompiledFunction copy() {
    return template.newInstance();
  }

  /**
   * What every instance of one generated class shares: its constructor and tables.
   *
   * @param constructor the generated class's {@code (Template)} constructor, typed as returning
   *     {@link JvmCompiled}
   */
  record Template(
      MethodHandle constructor, int outputSize, int scratchSize, double[] constants, int[] gatherIndices) {
    JvmCompiled newInstance() {
      try {
        return (JvmCompiled) constructor.invokeExact(this);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("cannot instantiate generated class", e);
      }
    }
  }
}
