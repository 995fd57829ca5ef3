package dev.odec.codegen.jvm;

import dev.odec.codegen.Backend;
import dev.odec.codegen.CompiledFunction;
import dev.odec.ir.IrFunction;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JVM bytecode backend: compiles an {@link IrFunction} {@code out = F(t, y, p)} into one
 * hidden class of straight-line bytecode (several {@link JvmPart}s when the function has more
 * constants than one class file holds) (generated with ASM), which HotSpot then JIT-compiles
 * like hand-written Java. Results are bit-identical to the reference
 * {@link dev.odec.codegen.interp.Interpreter}: the same operation order, and the same library
 * methods for every kernel that is not a single JVM instruction.
 *
 * <p>Design, driven by what the JIT accepts and by the solvers' needs:
 * <ul>
 *   <li><b>Method size.</b> HotSpot does not compile methods over 8000 bytes of bytecode
 *       (HugeMethodLimit) and would interpret them forever. The schedule is therefore split into
 *       private static "chunk" methods of about 4500 bytes (never more than about 6000: each
 *       work item is small and emitted whole); {@code eval} calls them in order (through
 *       dispatcher methods when there are more than 400). Values crossing a chunk boundary go
 *       through the scratch array, because locals do not survive a call. Bounding the method size
 *       also bounds the local-variable slots a chunk uses (every local is stored by at least one
 *       instruction, so a chunk uses a few thousand slots at most, far below the 65535 limit).
 *   <li><b>No allocation.</b> Temporaries are locals or regions of one {@code double[]} scratch
 *       array allocated in the constructor; {@code eval} allocates nothing, so solvers can call
 *       it millions of times without garbage. {@link CompiledFunction#copy} gives an instance with
 *       its own scratch (an instance must not be shared between threads).
 *   <li><b>Scalarised small tensors, loops for large ones.</b> Nodes of at most 16 elements are
 *       unrolled into scalar code kept in locals (which the JIT register-allocates); larger
 *       tensors live in scratch regions and are computed by emitted loops (element-wise loops,
 *       nested loops for MATMUL, index tables for GATHER, copies for PACK). Inputs are read
 *       directly from {@code y}/{@code p}.
 * </ul>
 * {@code out} must not alias {@code y} or {@code p}: outputs are written as soon as they are
 * computed. {@link #javaSource} shows the generated code as Java.
 */
public final class JvmBackend implements Backend {
  @Override
  public String name() {
    return "jvm";
  }

  @Override
  public CompiledFunction compile(IrFunction f) {
    return define(ClassGenerator.generate(f, false)).newInstance();
  }

  /**
   * A Java rendering of the class {@link #compile} generates for {@code f}: the same chunk
   * methods, locals ({@code v12} is node %12, {@code v12_3} its element 3), scratch indices and
   * loops; element kernels are shown as the Java expressions the bytecode computes.
   */
  public static String javaSource(IrFunction f) {
    return ClassGenerator.generate(f, true).javaSource();
  }

  /** The generated class file and plan for {@code f} (for tests and tools in this package). */
  static ClassGenerator.Result generate(IrFunction f) {
    return ClassGenerator.generate(f, false);
  }

  /** Defines the generated class (or parts) as hidden classes of this package. */
  static JvmCompiled.Template define(ClassGenerator.Result r) {
    try {
      MethodType templateCtor = MethodType.methodType(void.class, JvmCompiled.Template.class);
      MethodHandle ctor;
      if (r.bytes() != null) {
        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(r.bytes(), true);
        ctor = lookup.findConstructor(lookup.lookupClass(), templateCtor);
      } else {
        JvmPart[] parts = new JvmPart[r.parts().size()];
        for (int i = 0; i < parts.length; i++) {
          MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(r.parts().get(i), true);
          parts[i] = (JvmPart) lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class)).invoke();
        }
        ctor = MethodHandles.insertArguments(MethodHandles.lookup().findConstructor(JvmSplit.class,
            MethodType.methodType(void.class, JvmPart[].class, JvmCompiled.Template.class)), 0, (Object) parts);
      }
      ctor = ctor.asType(MethodType.methodType(JvmCompiled.class, JvmCompiled.Template.class));
      return new JvmCompiled.Template(ctor, r.outputSize(), r.scratchSize(), r.constants(), r.gatherIndices());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot define generated class " + r.className(), e);
    }
  }
}
