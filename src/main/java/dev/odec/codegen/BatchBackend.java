package dev.odec.codegen;

import dev.odec.ir.IrFunction;

/** Turns IR functions into {@link BatchFunction}s: one function evaluated over many rows. */
public interface BatchBackend {
  String name();

  BatchFunction compileBatch(IrFunction f);

  /** The batch form of a one-row backend: its compiled function called row after row. */
  static BatchBackend rowByRow(Backend b) {
    return new BatchBackend() {
      @Override
      public String name() {
        return b.name();
      }

      @Override
      public BatchFunction compileBatch(IrFunction f) {
        return new RowLoop(b.compile(f), f);
      }
    };
  }
}
