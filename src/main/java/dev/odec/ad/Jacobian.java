package dev.odec.ad;

import dev.odec.ir.Graph;
import dev.odec.ir.InfixPrinter;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The sparse symbolic Jacobian {@code J[i][j] = ∂out_i/∂x_j} of a function's flattened outputs
 * with respect to one input vector {@code x} (y or p), as scalar expression nodes.
 *
 * <p>The outputs are first scalarised ({@link Scalarize}); then each scalar output gets its own
 * reverse sweep with cotangent 1 over its own sub-DAG, so a sparse model costs about the size of
 * its graph rather than rows × graph size. Entries whose derivative is identically the constant 0
 * are left out: the pattern is the structural dependency pattern (what each output reads through
 * an op with a non-zero derivative rule).
 */
public final class Jacobian {
  /** One structurally non-zero entry: {@code value = ∂out_row/∂x_col}, a scalar node. */
  public record Entry(int row, int col, Node value) {}

  private final IrFunction f;
  private final int arg;
  private final int rows;
  private final int cols;
  private final List<Entry> entries;
  private final int[] rowStart;
  private final int[] colIndex;

  private Jacobian(IrFunction f, int arg, int rows, int cols, List<Entry> entries) {
    this.f = f;
    this.arg = arg;
    this.rows = rows;
    this.cols = cols;
    this.entries = List.copyOf(entries);
    this.rowStart = new int[rows + 1];
    this.colIndex = new int[entries.size()];
    for (int k = 0; k < entries.size(); k++) {
      rowStart[entries.get(k).row() + 1]++;
      colIndex[k] = entries.get(k).col();
    }
    for (int r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
  }

  /**
   * The sparse Jacobian of f's flattened outputs with respect to input vector arg (0 = y, 1 = p):
   * only structurally non-zero entries, row-major order.
   */
  public static Jacobian of(Graph g, IrFunction f, int arg) {
    if (arg != 0 && arg != 1) throw new IllegalArgumentException("arg must be 0 (y) or 1 (p): " + arg);
    int cols = arg == 0 ? f.ySize() : f.pSize();
    Scalarize s = new Scalarize(g);
    List<Node> scalars = new ArrayList<>(f.outputSize());
    for (Node o : f.outputs()) for (Node e : s.of(o)) scalars.add(e);
    List<Node> one = List.of(g.constant(1.0));
    List<Entry> entries = new ArrayList<>();
    for (int row = 0; row < scalars.size(); row++) {
      Map<Node, Node> adj =
          Reverse.run(g, List.of(scalars.get(row)), one, n -> n.op == Op.INPUT && n.intAt(0) == arg);
      TreeMap<Integer, Node> byCol = new TreeMap<>();
      for (Map.Entry<Node, Node> e : adj.entrySet()) {
        Node in = e.getKey();
        for (int k = 0; k < in.size(); k++) {
          int col = in.intAt(1) + k;
          if (col >= cols) throw new IllegalArgumentException("input slice outside its vector in " + f.name());
          Node v = in.size() == 1 ? e.getValue() : g.element(e.getValue(), k);
          byCol.merge(col, v, g::add);
        }
      }
      for (Map.Entry<Integer, Node> e : byCol.entrySet()) {
        if (!e.getValue().isConstValue(0.0)) entries.add(new Entry(row, e.getKey(), e.getValue()));
      }
    }
    return new Jacobian(f, arg, scalars.size(), cols, entries);
  }

  /** The number of rows: f's flattened output length. */
  public int rows() {
    return rows;
  }

  /** The number of columns: the length of the differentiated input vector. */
  public int cols() {
    return cols;
  }

  /** The structurally non-zero entries, row-major (by row, then column). */
  public List<Entry> entries() {
    return entries;
  }

  /** The dense sparsity pattern: {@code pattern()[i][j]} when entry (i, j) is present. */
  public boolean[][] pattern() {
    boolean[][] p = new boolean[rows][cols];
    for (Entry e : entries) p[e.row()][e.col()] = true;
    return p;
  }

  /** CSR row starts: row i's entries are {@code entries()[rowStart[i] .. rowStart[i+1])}. */
  public int[] rowStart() {
    return rowStart.clone();
  }

  /** CSR column indices, one per entry, in {@link #entries()} order. */
  public int[] colIndex() {
    return colIndex.clone();
  }

  /**
   * A function whose outputs are the entries' values in order (same ySize/pSize as f): compiled,
   * it fills the CSR values array.
   */
  public IrFunction asFunction(String name) {
    List<Node> outs = new ArrayList<>(entries.size());
    for (Entry e : entries) outs.add(e.value());
    return new IrFunction(name, outs, f.ySize(), f.pSize());
  }

  /**
   * One entry a line, {@code d(ROW)/d(COL) = EXPR}, e.g. {@code d(prey)/d(pred) = -beta * prey}.
   * Scalar inputs of the differentiated vector are printed with colNames; other inputs as
   * {@code y[k]} / {@code p[k]} (1-based), see {@link #print(List, List, Function)}.
   */
  public String print(List<String> rowNames, List<String> colNames) {
    return print(rowNames, colNames, n -> n.op == Op.INPUT && n.intAt(0) == arg && n.shape.isScalar()
        && n.intAt(1) < colNames.size() ? colNames.get(n.intAt(1)) : null);
  }

  /** As {@link #print(List, List)}, naming inputs with inputName (null: the default name). */
  public String print(List<String> rowNames, List<String> colNames, Function<Node, String> inputName) {
    StringBuilder sb = new StringBuilder();
    for (Entry e : entries) {
      sb.append("d(").append(name(rowNames, e.row())).append(")/d(").append(name(colNames, e.col()))
          .append(") = ").append(InfixPrinter.print(e.value(), inputName)).append('\n');
    }
    return sb.toString();
  }

  private static String name(List<String> names, int i) {
    return names != null && i < names.size() ? names.get(i) : String.valueOf(i + 1);
  }
}
