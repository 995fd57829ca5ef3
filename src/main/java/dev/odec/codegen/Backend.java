package dev.odec.codegen;

import dev.odec.ir.IrFunction;

/** Turns IR functions into executable ones. */
public interface Backend {
  String name();

  CompiledFunction compile(IrFunction f);
}
