package dev.odec.codegen.interp;

import dev.odec.codegen.Backend;
import dev.odec.codegen.CompiledFunction;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import java.util.List;

/**
 * The reference backend: evaluates the schedule node by node with {@link Kernels}. Slow and
 * obviously correct; every other backend and transform is tested against it.
 */
public final class Interpreter implements Backend {
  @Override
  public String name() {
    return "interp";
  }

  @Override
  public CompiledFunction compile(IrFunction f) {
    return new Compiled(f);
  }

  private static final class Compiled implements CompiledFunction {
    private final IrFunction f;
    private final List<Node> schedule;
    private final double[][] values;
    private final int[] slot;
    private final double[][][] operands;

    Compiled(IrFunction f) {
      this.f = f;
      this.schedule = f.schedule();
      int maxId = 0;
      for (Node n : schedule) maxId = Math.max(maxId, n.id);
      this.slot = new int[maxId + 1];
      this.values = new double[schedule.size()][];
      this.operands = new double[schedule.size()][][];
      for (int i = 0; i < schedule.size(); i++) {
        Node n = schedule.get(i);
        slot[n.id] = i;
        values[i] = new double[n.size()];
        operands[i] = new double[n.arity()][];
        for (int a = 0; a < n.arity(); a++) operands[i][a] = values[slot[n.arg(a).id]];
      }
    }

    @Override
    public int outputSize() {
      return f.outputSize();
    }

    @Override
    public void eval(double t, double[] y, double[] p, double[] out) {
      for (int i = 0; i < schedule.size(); i++) {
        Node n = schedule.get(i);
        double[] v = values[i];
        switch (n.op) {
          case TIME -> v[0] = t;
          case INPUT -> System.arraycopy(n.intAt(0) == 0 ? y : p, n.intAt(1), v, 0, v.length);
          default -> Kernels.apply(n, operands[i], v);
        }
      }
      int k = 0;
      for (Node o : f.outputs()) {
        double[] v = values[slot[o.id]];
        System.arraycopy(v, 0, out, k, v.length);
        k += v.length;
      }
    }

    @Override
    public CompiledFunction copy() {
      return new Compiled(f);
    }
  }
}
