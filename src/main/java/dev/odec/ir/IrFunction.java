package dev.odec.ir;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A function to compile: {@code out = F(t, y, p)} where {@code y} (input 0) and {@code p}
 * (input 1) are flat vectors and {@code out} is the row-major concatenation of the outputs.
 *
 * @param name a readable name ("rhs", "initial", ...), also used for generated class names
 * @param outputs the output nodes, all of one {@link Graph}
 * @param ySize the length of the y input vector
 * @param pSize the length of the p input vector
 */
public record IrFunction(String name, List<Node> outputs, int ySize, int pSize) {
  public IrFunction {
    outputs = List.copyOf(outputs);
  }

  /** The total length of {@code out}. */
  public int outputSize() {
    int s = 0;
    for (Node n : outputs) s += n.size();
    return s;
  }

  /** The nodes the outputs depend on, each once, arguments before users (ascending id). */
  public List<Node> schedule() {
    BitSet seen = new BitSet();
    List<Node> order = new ArrayList<>();
    ArrayList<Node> stack = new ArrayList<>();
    for (Node out : outputs) {
      if (seen.get(out.id)) continue;
      seen.set(out.id);
      stack.add(out);
      while (!stack.isEmpty()) {
        Node n = stack.remove(stack.size() - 1);
        order.add(n);
        for (Node a : n.args()) {
          if (!seen.get(a.id)) {
            seen.set(a.id);
            stack.add(a);
          }
        }
      }
    }
    order.sort((x, y) -> Integer.compare(x.id, y.id));
    return order;
  }
}
