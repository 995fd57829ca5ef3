package dev.odec.codegen.nd4j;

import dev.odec.codegen.BatchBackend;
import dev.odec.codegen.BatchFunction;
import dev.odec.ir.IrFunction;

/**
 * The batched ND4J backend ({@code --backend nd4j}): IR functions over arrays [batch, n] (see
 * {@link Nd4jFunction}). ND4J and its native library load on the first evaluation, never when
 * this class is merely referenced, so runs on the JVM backend do not pay for them.
 */
public final class Nd4jBackend implements BatchBackend {
  @Override
  public String name() {
    return "nd4j";
  }

  @Override
  public BatchFunction compileBatch(IrFunction f) {
    return new Nd4jFunction(f);
  }
}
