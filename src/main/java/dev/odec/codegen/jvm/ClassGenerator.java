package dev.odec.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.odec.codegen.Scalarization;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Translates one {@link IrFunction} into the bytes of a class extending {@link JvmCompiled}, and
 * optionally a Java rendering of the same code (written by the same walk, so the two have the
 * same chunks, locals and loops).
 *
 * <p>Plan. Every scheduled node gets a storage class:
 * <ul>
 *   <li>leaves cost nothing: a scalar CONST element is a literal, an INPUT element is read from
 *       {@code y}/{@code p} where it is used, TIME is the parameter {@code t};
 *   <li>"small" computed nodes (at most {@link #UNROLL} elements; every SUM; MATMUL with a small
 *       result) are unrolled into scalar code, one local per element;
 *   <li>larger computed nodes ("array" nodes) live in a region of the scratch array {@code s} and
 *       are computed by emitted loops (MATMUL as nested loops, GATHER through an index table
 *       {@code g} or one {@code System.arraycopy} when contiguous, PACK by copies).
 * </ul>
 * A value that a loop indexes dynamically must be in an array: large constants are in {@code k},
 * small computed operands of loops are also stored to {@code s} when computed.
 *
 * <p>Chunks. The work items (a node's definition, one part of a large PACK, one output copy) are
 * emitted in schedule order into private static methods {@code chunkN(t, y, p, out, s, k, g)}; a
 * chunk is closed once its bytecode (counted while emitting) plus the stores it still owes reaches
 * {@link #CHUNK_TARGET}. Since every item is small, no method gets near HotSpot's 8000-byte
 * HugeMethodLimit, and the number of locals of a chunk is bounded by its size. Locals do not
 * survive a call, so at the end of a chunk every small value used by a later item is stored to
 * {@code s}; later chunks read it from there. Outputs are written to {@code out} as soon as they
 * are computed ({@code out} must therefore not alias {@code y} or {@code p}).
 *
 * <p>Bit-exactness. Element kernels are a single instruction where {@link dev.odec.ir.Scalar} uses
 * one (DADD, DSUB, DMUL, DDIV, DNEG), a call of the method Scalar calls otherwise, and branch-free
 * integer arithmetic on DCMPL/DCMPG for comparisons and logic (exactly 1.0 or 0.0, NaN compares
 * false). Sums and products accumulate from 0.0 in index order as {@link Kernels} does.
 */
final class ClassGenerator {
  /** Nodes with at most this many elements are unrolled into scalar code. */
  static final int UNROLL = Scalarization.UNROLL;
  /** A chunk is closed once its bytecode plus pending spills reaches this many bytes. */
  static final int CHUNK_TARGET = 4500;
  /** At most this many calls in one dispatching method (13 bytes each). */
  static final int MAX_CALLS = 400;
  /**
   * A class is closed once its constant pool may hold this many entries (the JVM's limit is
   * 65535; one more chunk adds at most about 3000: 1500 three-byte LDCs of distinct wide values).
   */
  static final int POOL_SPLIT = 56_000;
  /** Upper bound of the bytecode that stores one element of a local into {@code s}. */
  private static final int SPILL_BYTES = 10;
  /** Parts and outputs of at least this many elements with an array home are copied with arraycopy. */
  private static final int COPY_MIN = 5;

  static final String BASE = "dev/odec/codegen/jvm/JvmCompiled";
  static final String PART_BASE = "dev/odec/codegen/jvm/JvmPart";
  static final String TEMPLATE_DESC = "(Ldev/odec/codegen/jvm/JvmCompiled$Template;)V";
  static final String CHUNK_DESC = "(D[D[D[D[D[D[I)V";
  private static final String SCALAR = "dev/odec/ir/Scalar";
  private static final String MATH = "java/lang/Math";

  // Parameter slots of a chunk method; the array slots also name where an array home lives.
  private static final int T = 0;
  private static final int Y = 2;
  private static final int P = 3;
  private static final int OUT = 4;
  private static final int S = 5;
  private static final int K = 6;
  private static final int G = 7;
  private static final int FIRST_LOCAL = 8;
  private static final int NONE = -1;

  /**
   * The generated class and what its instances need. A function too large for one class file
   * has {@code bytes == null} and its code in {@code parts}: classes extending {@link JvmPart},
   * to be run in order by a {@link JvmSplit}.
   */
  record Result(
      byte[] bytes,
      List<byte[]> parts,
      String className,
      String javaSource,
      int outputSize,
      int scratchSize,
      double[] constants,
      int[] gatherIndices,
      int chunkCount,
      int largestChunkEstimate) {}

  private enum ItemKind { DEF, PACK_PART, OUTPUT }

  private record Item(ItemKind kind, int pos, int aux, int dst) {}

  private final IrFunction f;
  private final List<Node> sched;
  private final int[] posOf;
  private final String internalName;
  private final String simpleName;

  // plan, per schedule position
  private final boolean[] array;
  private final boolean[] needsArray;
  private final int[] homeArr;
  private final int[] home;
  private final int[] lastUse;
  private final List<Item> items = new ArrayList<>();
  private int scratchSize;
  private double[] constants = new double[16];
  private int constantCount;
  private int[] gathers = new int[16];
  private int gatherCount;

  // emission state
  private ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
  private final StringBuilder src;
  private SizingVisitor mv;
  /** The chunks of the class being written. */
  private List<String> chunkNames = new ArrayList<>();
  private int chunkTotal;
  /** Split mode: every class is a part; the finished parts (bytes, and their Java rendering). */
  private final boolean split;
  private final List<byte[]> parts = new ArrayList<>();
  private final StringBuilder partSources = new StringBuilder();
  private String className;
  /** What the current class's constant pool may hold: LDC values and method references seen. */
  private final java.util.Set<Object> poolKeys = new java.util.HashSet<>();
  private int poolEstimate;
  private int chunk = -1;
  private int nextSlot;
  private final List<Object> frameTypes = new ArrayList<>();
  private final int[][] slots;
  private final int[] localChunk;
  private final boolean[] reserved;
  private final List<Integer> defined = new ArrayList<>();
  private int reserve;
  private int loopCounter;
  private int indent;
  private int largestChunk;
  private int currentItem;

  private ClassGenerator(IrFunction f, boolean withSource, boolean split) {
    this.f = f;
    this.split = split;
    this.sched = f.schedule();
    int maxId = 0;
    for (Node n : sched) maxId = Math.max(maxId, n.id);
    this.posOf = new int[maxId + 1];
    for (int i = 0; i < sched.size(); i++) posOf[sched.get(i).id] = i;
    String ident = f.name().replaceAll("[^A-Za-z0-9_]", "_");
    this.simpleName = "Fn_" + ident;
    this.internalName = "dev/odec/codegen/jvm/" + simpleName;
    int n = sched.size();
    array = new boolean[n];
    needsArray = new boolean[n];
    homeArr = new int[n];
    home = new int[n];
    lastUse = new int[n];
    slots = new int[n][];
    localChunk = new int[n];
    reserved = new boolean[n];
    Arrays.fill(homeArr, NONE);
    Arrays.fill(localChunk, -1);
    Arrays.fill(lastUse, -1);
    src = withSource ? new StringBuilder() : null;
  }

  static Result generate(IrFunction f, boolean withSource) {
    try {
      ClassGenerator g = new ClassGenerator(f, withSource, false);
      g.plan();
      return g.emitClass();
    } catch (NeedsSplit e) {
      // too much for one class file: generate again, as parts from the start
      ClassGenerator g = new ClassGenerator(f, withSource, true);
      g.plan();
      return g.emitParts();
    }
  }

  /** Thrown by a single-class generation whose constant pool would overflow. */
  private static final class NeedsSplit extends RuntimeException {
    NeedsSplit() {
      super(null, null, false, false);
    }
  }

  // ---- plan ----------------------------------------------------------------------------------

  private Node node(int pos) {
    return sched.get(pos);
  }

  private int pos(Node n) {
    return posOf[n.id];
  }

  private static boolean computed(Node n) {
    return n.op.kind != Op.Kind.LEAF;
  }

  private static boolean unrolledMatmul(Node n) {
    return Scalarization.unrolledMatmul(n);
  }

  private void plan() {
    int n = sched.size();
    for (int i = 0; i < n; i++) array[i] = Scalarization.large(node(i));
    // operands a loop indexes with its counter must be addressable in an array
    boolean[] indexed = Scalarization.indexedByLoops(sched, posOf, array);
    System.arraycopy(indexed, 0, needsArray, 0, n);
    for (int i = 0; i < n; i++) {
      Node nd = node(i);
      switch (nd.op) {
        case INPUT -> {
          homeArr[i] = nd.intAt(0) == 0 ? Y : P;
          home[i] = nd.intAt(1);
        }
        case CONST -> {
          if (nd.size() > UNROLL || needsArray[i]) {
            homeArr[i] = K;
            home[i] = addConstants(nd);
          }
        }
        case TIME -> {
          if (needsArray[i]) {
            homeArr[i] = S;
            home[i] = allocScratch(1);
          }
        }
        default -> {
          if (array[i] || needsArray[i]) {
            homeArr[i] = S;
            home[i] = allocScratch(nd.size());
          }
        }
      }
    }
    Map<Integer, List<Integer>> outputOffsets = new HashMap<>();
    int off = 0;
    for (Node o : f.outputs()) {
      outputOffsets.computeIfAbsent(o.id, x -> new ArrayList<>()).add(off);
      off += o.size();
    }
    for (int i = 0; i < n; i++) {
      Node nd = node(i);
      if (nd.op == Op.PACK && array[i]) {
        int dst = home[i];
        for (int a = 0; a < nd.arity(); a++) {
          addItem(new Item(ItemKind.PACK_PART, i, a, dst), nd.arg(a));
          dst += nd.arg(a).size();
        }
      } else if (computed(nd) || homeArr[i] == S) {
        addItem(new Item(ItemKind.DEF, i, 0, 0), nd.args().toArray(new Node[0]));
      }
      for (int o : outputOffsets.getOrDefault(nd.id, List.of())) {
        addItem(new Item(ItemKind.OUTPUT, i, 0, o), nd);
      }
    }
  }

  private void addItem(Item item, Node... reads) {
    for (Node r : reads) lastUse[pos(r)] = items.size();
    items.add(item);
  }

  private int allocScratch(int size) {
    int at = scratchSize;
    scratchSize += size;
    return at;
  }

  private int addConstants(Node c) {
    int size = c.size();
    if (constantCount + size > constants.length) {
      constants = Arrays.copyOf(constants, Math.max(2 * constants.length, constantCount + size));
    }
    for (int i = 0; i < size; i++) constants[constantCount + i] = c.valueAt(i);
    int at = constantCount;
    constantCount += size;
    return at;
  }

  private int addGather(Node gather) {
    int size = gather.intCount();
    if (gatherCount + size > gathers.length) {
      gathers = Arrays.copyOf(gathers, Math.max(2 * gathers.length, gatherCount + size));
    }
    for (int i = 0; i < size; i++) gathers[gatherCount + i] = gather.intAt(i);
    int at = gatherCount;
    gatherCount += size;
    return at;
  }

  // ---- class ---------------------------------------------------------------------------------

  private Result emitClass() {
    className = internalName;
    cw.visit(V17, ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC, internalName, null, BASE, null);
    MethodVisitor init = cw.visitMethod(0, "<init>", TEMPLATE_DESC, null, null);
    init.visitCode();
    init.visitVarInsn(ALOAD, 0);
    init.visitVarInsn(ALOAD, 1);
    init.visitMethodInsn(INVOKESPECIAL, BASE, "<init>", TEMPLATE_DESC, false);
    init.visitInsn(RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();

    StringBuilder chunkSource = src;
    emitChunks();
    String source = null;
    if (src != null) {
      StringBuilder head = new StringBuilder(header(""));
      head.append("final class ").append(simpleName).append(" extends JvmCompiled {\n");
      emitDispatch(head);
      head.append(chunkSource);
      head.append("}\n");
      source = head.toString();
    } else {
      emitDispatch(null);
    }
    cw.visitEnd();
    return result(cw.toByteArray(), List.of(), source);
  }

  private Result result(byte[] bytes, List<byte[]> partBytes, String source) {
    return new Result(bytes, partBytes, internalName.replace('/', '.'), source, f.outputSize(), scratchSize,
        Arrays.copyOf(constants, constantCount), Arrays.copyOf(gathers, gatherCount), chunkTotal, largestChunk);
  }

  /** The comment heading the Java rendering; {@code note} is added to its first line. */
  private String header(String note) {
    return "// odec jvm backend: function " + f.name() + ", " + sched.size() + " scheduled nodes in " + chunkTotal
        + " chunks" + note + "\n// s: scratch (" + scratchSize + " doubles, one array per instance); k: constants ("
        + constantCount + " doubles); g: gather indices (" + gatherCount + " ints)\n";
  }

  /**
   * Split mode: the chunks go into part classes, each closed when its constant pool fills up;
   * each part's {@code run} calls its chunks in order, and {@link JvmSplit} runs the parts.
   */
  private Result emitParts() {
    beginPart();
    emitChunks();
    endPart();
    String source = src == null ? null
        : header(", too many constants for one class file: " + parts.size() + " parts run in order by JvmSplit")
            + partSources;
    return result(null, List.copyOf(parts), source);
  }

  private void beginPart() {
    className = internalName + "_part" + parts.size();
    cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(V17, ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC, className, null, PART_BASE, null);
    MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(ALOAD, 0);
    init.visitMethodInsn(INVOKESPECIAL, PART_BASE, "<init>", "()V", false);
    init.visitInsn(RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    chunkNames = new ArrayList<>();
    poolKeys.clear();
    poolEstimate = 0;
    if (src != null) src.setLength(0);
  }

  private void endPart() {
    StringBuilder text = src == null ? null : new StringBuilder();
    if (text != null) text.append("\nfinal class ").append(className.substring(className.lastIndexOf('/') + 1))
        .append(" extends JvmPart {\n");
    emitDispatch(text);
    if (text != null) {
      partSources.append(text).append(src).append("}\n");
    }
    cw.visitEnd();
    parts.add(cw.toByteArray());
  }

  /** After a chunk: in split mode, starts a new part when this one's constant pool is full. */
  private void afterChunk() {
    // each chunk adds its name, and its call adds a method reference and a name-and-type
    int estimate = poolEstimate + 3 * chunkNames.size() + 200;
    if (estimate < POOL_SPLIT) return;
    if (!split) throw new NeedsSplit();
    endPart();
    beginPart();
  }

  /** Counts the constant-pool entries an instruction may add to the current class. */
  private void pool(Object key, int slots) {
    if (poolKeys.add(key)) poolEstimate += slots;
  }

  /** {@code eval} calls the chunks in order, through a tree of dispatchers when there are many. */
  private void emitDispatch(StringBuilder text) {
    List<String> callees = chunkNames;
    int level = 0;
    while (callees.size() > MAX_CALLS) {
      List<String> groups = new ArrayList<>();
      for (int from = 0; from < callees.size(); from += MAX_CALLS) {
        String name = "run" + level + "_" + groups.size();
        List<String> part = callees.subList(from, Math.min(callees.size(), from + MAX_CALLS));
        MethodVisitor m = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, name, CHUNK_DESC, null, null);
        m.visitCode();
        if (text != null) text.append("\n  private static void ").append(name).append(CHUNK_PARAMS).append(" {\n");
        for (String c : part) {
          call(m, c, 0);
          if (text != null) text.append("    ").append(c).append(CHUNK_ARGS).append(";\n");
        }
        m.visitInsn(RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        if (text != null) text.append("  }\n");
        groups.add(name);
      }
      callees = groups;
      level++;
    }
    if (split) {
      // a part: run(t, y, p, out, s, k, g) with this in slot 0, so the arguments are at base 1
      MethodVisitor r = cw.visitMethod(ACC_PUBLIC, "run", CHUNK_DESC, null, null);
      r.visitCode();
      if (text != null) {
        text.append("  @Override\n  void run").append(CHUNK_PARAMS).append(" {\n");
        for (String c : callees) text.append("    ").append(c).append(CHUNK_ARGS).append(";\n");
        text.append("  }\n");
      }
      for (String c : callees) call(r, c, 1);
      r.visitInsn(RETURN);
      r.visitMaxs(0, 0);
      r.visitEnd();
      return;
    }
    MethodVisitor m = cw.visitMethod(ACC_PUBLIC, "eval", "(D[D[D[D)V", null, null);
    m.visitCode();
    // eval's locals: this 0, t 1-2, y 3, p 4, out 5; then s 6, k 7, g 8
    m.visitVarInsn(ALOAD, 0);
    m.visitFieldInsn(GETFIELD, BASE, "s", "[D");
    m.visitVarInsn(ASTORE, 6);
    m.visitVarInsn(ALOAD, 0);
    m.visitFieldInsn(GETFIELD, BASE, "k", "[D");
    m.visitVarInsn(ASTORE, 7);
    m.visitVarInsn(ALOAD, 0);
    m.visitFieldInsn(GETFIELD, BASE, "g", "[I");
    m.visitVarInsn(ASTORE, 8);
    if (text != null) {
      StringBuilder e = new StringBuilder();
      e.append("  @Override\n  public void eval(double t, double[] y, double[] p, double[] out) {\n");
      e.append("    double[] s = this.s;\n    double[] k = this.k;\n    int[] g = this.g;\n");
      for (String c : callees) e.append("    ").append(c).append(CHUNK_ARGS).append(";\n");
      e.append("  }\n");
      text.insert(text.indexOf("\n", text.indexOf("extends JvmCompiled")) + 1, e);
    }
    for (String c : callees) call(m, c, 1);
    m.visitInsn(RETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
  }

  private static final String CHUNK_PARAMS =
      "(double t, double[] y, double[] p, double[] out, double[] s, double[] k, int[] g)";
  private static final String CHUNK_ARGS = "(t, y, p, out, s, k, g)";

  /** Calls a chunk-signature method; {@code base} is the slot of t (0 in a static method, 1 in eval). */
  private void call(MethodVisitor m, String name, int base) {
    m.visitVarInsn(DLOAD, base);
    for (int i = 2; i <= 7; i++) m.visitVarInsn(ALOAD, base + i);
    m.visitMethodInsn(INVOKESTATIC, className, name, CHUNK_DESC, false);
  }

  // ---- chunks --------------------------------------------------------------------------------

  private void emitChunks() {
    int[] head = new int[items.size()];
    Arrays.fill(head, -1);
    int[] next = new int[sched.size()];
    for (int i = 0; i < sched.size(); i++) {
      if (lastUse[i] >= 0) {
        next[i] = head[lastUse[i]];
        head[lastUse[i]] = i;
      }
    }
    for (int j = 0; j < items.size(); j++) {
      if (mv == null) beginChunk();
      currentItem = j;
      emitItem(items.get(j));
      for (int q = head[j]; q >= 0; q = next[q]) {
        if (reserved[q]) {
          reserve -= node(q).size() * SPILL_BYTES;
          reserved[q] = false;
        }
      }
      if (mv.size + reserve >= CHUNK_TARGET) {
        endChunk();
        afterChunk();
      }
    }
    if (mv != null) endChunk();
  }

  private void beginChunk() {
    chunk++;
    chunkTotal++;
    String name = "chunk" + chunk;
    chunkNames.add(name);
    mv = new SizingVisitor(cw.visitMethod(ACC_PRIVATE | ACC_STATIC, name, CHUNK_DESC, null, null), this);
    mv.visitCode();
    nextSlot = FIRST_LOCAL;
    frameTypes.clear();
    frameTypes.addAll(List.of(DOUBLE, "[D", "[D", "[D", "[D", "[D", "[I"));
    defined.clear();
    reserve = 0;
    loopCounter = 0;
    indent = 2;
    if (src != null) src.append("\n  private static void ").append(name).append(CHUNK_PARAMS).append(" {\n");
  }

  private void endChunk() {
    for (int q : defined) {
      if (!reserved[q]) continue;
      reserved[q] = false;
      homeArr[q] = S;
      home[q] = allocScratch(node(q).size());
      for (int i = 0; i < slots[q].length; i++) {
        mv.visitVarInsn(ALOAD, S);
        pushInt(home[q] + i);
        mv.visitVarInsn(DLOAD, slots[q][i]);
        mv.visitInsn(DASTORE);
        if (src != null) line("s[" + (home[q] + i) + "] = " + localName(node(q), i) + ";");
      }
    }
    mv.visitInsn(RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    largestChunk = Math.max(largestChunk, mv.size);
    if (src != null) src.append("  }\n");
    mv = null;
  }

  private void emitItem(Item it) {
    switch (it.kind()) {
      case DEF -> emitDef(it.pos());
      case PACK_PART -> {
        Node part = node(it.pos()).arg(it.aux());
        copyTo(S, it.dst(), part);
      }
      case OUTPUT -> copyTo(OUT, it.dst(), node(it.pos()));
    }
  }

  /** Writes all elements of {@code n} to {@code arr[dst ..]}: one arraycopy when possible. */
  private void copyTo(int arr, int dst, Node n) {
    int p = pos(n);
    if (n.size() >= COPY_MIN && homeArr[p] != NONE) {
      mv.visitVarInsn(ALOAD, homeArr[p]);
      pushInt(home[p]);
      mv.visitVarInsn(ALOAD, arr);
      pushInt(dst);
      pushInt(n.size());
      mv.visitMethodInsn(INVOKESTATIC, "java/lang/System", "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V", false);
      if (src != null) line("System.arraycopy(" + arrName(homeArr[p]) + ", " + home[p] + ", " + arrName(arr) + ", " + dst + ", " + n.size() + ");");
      return;
    }
    for (int i = 0; i < n.size(); i++) {
      mv.visitVarInsn(ALOAD, arr);
      pushInt(dst + i);
      Operand v = elem(n, i);
      v.load();
      mv.visitInsn(DASTORE);
      if (src != null) line(arrName(arr) + "[" + (dst + i) + "] = " + v.java() + ";");
    }
  }

  private void emitDef(int p) {
    Node nd = node(p);
    switch (nd.op.kind) {
      case LEAF -> {
        // only TIME with an array home has code: s[h] = t
        mv.visitVarInsn(ALOAD, S);
        pushInt(home[p]);
        mv.visitVarInsn(DLOAD, T);
        mv.visitInsn(DASTORE);
        if (src != null) line("s[" + home[p] + "] = t;");
      }
      case UNARY, BINARY, TERNARY -> {
        if (array[p]) elementwiseLoop(p);
        else elementwiseSmall(p);
      }
      case TENSOR -> {
        switch (nd.op) {
          case SUM -> sum(p);
          case GATHER -> gather(p);
          case PACK -> packSmall(p);
          case MATMUL -> matmul(p);
          default -> throw new IllegalStateException(nd.op.toString());
        }
      }
    }
  }

  private void elementwiseSmall(int p) {
    Node nd = node(p);
    beginSmall(p);
    Operand[] ops = new Operand[nd.arity()];
    for (int i = 0; i < nd.size(); i++) {
      for (int a = 0; a < ops.length; a++) {
        Node arg = nd.arg(a);
        ops[a] = elem(arg, arg.shape.isScalar() ? 0 : i);
      }
      String e = element(nd.op, ops);
      storeElement(p, i, e);
    }
    endSmall(p);
  }

  private void elementwiseLoop(int p) {
    Node nd = node(p);
    Loop l = loopBegin(nd.size());
    mv.visitVarInsn(ALOAD, S);
    String dst = index(home[p], new Loop[] {l}, new int[] {1});
    Operand[] ops = new Operand[nd.arity()];
    for (int a = 0; a < ops.length; a++) {
      Node arg = nd.arg(a);
      ops[a] = arg.shape.isScalar() ? elem(arg, 0) : dyn(arg, 0, new Loop[] {l}, new int[] {1});
    }
    String e = element(nd.op, ops);
    mv.visitInsn(DASTORE);
    if (src != null) line("s[" + dst + "] = " + e + ";");
    loopEnd(l);
  }

  private void sum(int p) {
    Node nd = node(p);
    Node x = nd.arg(0);
    beginSmall(p);
    if (x.size() <= UNROLL) {
      mv.visitInsn(DCONST_0);
      StringBuilder e = new StringBuilder("0.0");
      for (int i = 0; i < x.size(); i++) {
        Operand v = elem(x, i);
        v.load();
        mv.visitInsn(DADD);
        if (src != null) e.append(" + ").append(v.java());
      }
      storeElement(p, 0, e.toString());
    } else {
      mv.visitInsn(DCONST_0);
      storeElement(p, 0, "0.0");
      int acc = slots[p][0];
      String name = localName(nd, 0);
      Loop l = loopBegin(x.size());
      mv.visitVarInsn(DLOAD, acc);
      Operand v = dyn(x, 0, new Loop[] {l}, new int[] {1});
      v.load();
      mv.visitInsn(DADD);
      mv.visitVarInsn(DSTORE, acc);
      if (src != null) line(name + " += " + v.java() + ";");
      loopEnd(l);
    }
    endSmall(p);
  }

  private void gather(int p) {
    Node nd = node(p);
    Node x = nd.arg(0);
    if (!array[p]) {
      beginSmall(p);
      for (int i = 0; i < nd.size(); i++) {
        Operand v = elem(x, nd.intAt(i));
        v.load();
        storeElement(p, i, src == null ? null : v.java());
      }
      endSmall(p);
      return;
    }
    int xp = pos(x);
    boolean contiguous = true;
    for (int i = 1; i < nd.intCount() && contiguous; i++) contiguous = nd.intAt(i) == nd.intAt(0) + i;
    if (contiguous) {
      mv.visitVarInsn(ALOAD, homeArr[xp]);
      pushInt(home[xp] + nd.intAt(0));
      mv.visitVarInsn(ALOAD, S);
      pushInt(home[p]);
      pushInt(nd.size());
      mv.visitMethodInsn(INVOKESTATIC, "java/lang/System", "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V", false);
      if (src != null) line("System.arraycopy(" + arrName(homeArr[xp]) + ", " + (home[xp] + nd.intAt(0)) + ", s, " + home[p]
          + ", " + nd.size() + ");");
      return;
    }
    int table = addGather(nd);
    Loop l = loopBegin(nd.size());
    Loop[] ls = {l};
    int[] one = {1};
    mv.visitVarInsn(ALOAD, S);
    String dst = index(home[p], ls, one);
    mv.visitVarInsn(ALOAD, homeArr[xp]);
    mv.visitVarInsn(ALOAD, G);
    String gi = index(table, ls, one);
    mv.visitInsn(IALOAD);
    String from = "g[" + gi + "]";
    if (home[xp] != 0) {
      pushInt(home[xp]);
      mv.visitInsn(IADD);
      from = home[xp] + " + " + from;
    }
    mv.visitInsn(DALOAD);
    mv.visitInsn(DASTORE);
    if (src != null) line("s[" + dst + "] = " + arrName(homeArr[xp]) + "[" + from + "];");
    loopEnd(l);
  }

  private void packSmall(int p) {
    Node nd = node(p);
    beginSmall(p);
    int k = 0;
    for (Node part : nd.args()) {
      for (int j = 0; j < part.size(); j++) {
        Operand v = elem(part, j);
        v.load();
        storeElement(p, k++, src == null ? null : v.java());
      }
    }
    endSmall(p);
  }

  private void matmul(int p) {
    Node nd = node(p);
    Node a = nd.arg(0);
    Node b = nd.arg(1);
    Kernels.MatmulDims d = Kernels.MatmulDims.of(a.shape, b.shape);
    int m = d.m();
    int k = d.k();
    int n = d.n();
    if (unrolledMatmul(nd)) {
      beginSmall(p);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          mv.visitInsn(DCONST_0);
          StringBuilder e = new StringBuilder("0.0");
          for (int l = 0; l < k; l++) {
            Operand x = elem(a, i * k + l);
            Operand y = elem(b, l * n + j);
            x.load();
            y.load();
            mv.visitInsn(DMUL);
            mv.visitInsn(DADD);
            if (src != null) e.append(" + ").append(x.java()).append(" * ").append(y.java());
          }
          storeElement(p, i * n + j, e.toString());
        }
      }
      endSmall(p);
    } else if (!array[p]) {
      // small result, long dot products: one accumulation loop per element
      beginSmall(p);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int e = i * n + j;
          mv.visitInsn(DCONST_0);
          storeElement(p, e, "0.0");
          int acc = slots[p][e];
          Loop l = loopBegin(k);
          mv.visitVarInsn(DLOAD, acc);
          Operand x = dyn(a, i * k, new Loop[] {l}, new int[] {1});
          Operand y = dyn(b, j, new Loop[] {l}, new int[] {n});
          x.load();
          y.load();
          mv.visitInsn(DMUL);
          mv.visitInsn(DADD);
          mv.visitVarInsn(DSTORE, acc);
          if (src != null) line(localName(nd, e) + " += " + x.java() + " * " + y.java() + ";");
          loopEnd(l);
        }
      }
      endSmall(p);
    } else {
      int acc = allocDouble();
      String accName = "acc" + nd.id;
      mv.visitInsn(DCONST_0);
      mv.visitVarInsn(DSTORE, acc);
      if (src != null) line("double " + accName + " = 0.0;");
      Loop li = m > 1 ? loopBegin(m) : null;
      Loop lj = n > 1 ? loopBegin(n) : null;
      mv.visitInsn(DCONST_0);
      mv.visitVarInsn(DSTORE, acc);
      if (src != null) line(accName + " = 0.0;");
      Loop ll = loopBegin(k);
      mv.visitVarInsn(DLOAD, acc);
      Operand x = dyn(a, 0, new Loop[] {li, ll}, new int[] {k, 1});
      Operand y = dyn(b, 0, new Loop[] {ll, lj}, new int[] {n, 1});
      x.load();
      y.load();
      mv.visitInsn(DMUL);
      mv.visitInsn(DADD);
      mv.visitVarInsn(DSTORE, acc);
      if (src != null) line(accName + " += " + x.java() + " * " + y.java() + ";");
      loopEnd(ll);
      mv.visitVarInsn(ALOAD, S);
      String dst = index(home[p], new Loop[] {li, lj}, new int[] {n, 1});
      mv.visitVarInsn(DLOAD, acc);
      mv.visitInsn(DASTORE);
      if (src != null) line("s[" + dst + "] = " + accName + ";");
      if (lj != null) loopEnd(lj);
      if (li != null) loopEnd(li);
    }
  }

  // ---- small values --------------------------------------------------------------------------

  private void beginSmall(int p) {
    slots[p] = new int[node(p).size()];
    localChunk[p] = chunk;
  }

  /** Stores the value on the stack as element i of small node p, in a fresh local. */
  private void storeElement(int p, int i, String javaExpr) {
    int slot = allocDouble();
    slots[p][i] = slot;
    mv.visitVarInsn(DSTORE, slot);
    if (src != null) line("double " + localName(node(p), i) + " = " + javaExpr + ";");
  }

  private void endSmall(int p) {
    defined.add(p);
    Node nd = node(p);
    if (needsArray[p]) {
      for (int i = 0; i < nd.size(); i++) {
        mv.visitVarInsn(ALOAD, S);
        pushInt(home[p] + i);
        mv.visitVarInsn(DLOAD, slots[p][i]);
        mv.visitInsn(DASTORE);
        if (src != null) line("s[" + (home[p] + i) + "] = " + localName(nd, i) + ";");
      }
    } else if (lastUse[p] > currentItem) {
      reserved[p] = true;
      reserve += nd.size() * SPILL_BYTES;
    }
  }

  private static String localName(Node n, int i) {
    return n.size() == 1 ? "v" + n.id : "v" + n.id + "_" + i;
  }

  private int allocDouble() {
    int s = nextSlot;
    nextSlot += 2;
    frameTypes.add(DOUBLE);
    return s;
  }

  private int allocInt() {
    int s = nextSlot;
    nextSlot += 1;
    frameTypes.add(INTEGER);
    return s;
  }

  // ---- operands ------------------------------------------------------------------------------

  /** Something that pushes one double, with its Java rendering. */
  private interface Operand {
    void load();

    String java();
  }

  /** Element i (static index) of node n, wherever it lives now. */
  private Operand elem(Node n, int i) {
    int p = pos(n);
    switch (n.op) {
      case CONST -> {
        double v = n.valueAt(i);
        return new Operand() {
          public void load() {
            pushDouble(v);
          }

          public String java() {
            return literal(v);
          }
        };
      }
      case TIME -> {
        return new Operand() {
          public void load() {
            mv.visitVarInsn(DLOAD, T);
          }

          public String java() {
            return "t";
          }
        };
      }
      default -> {
        if (slots[p] != null && localChunk[p] == chunk) {
          int slot = slots[p][i];
          String name = localName(n, i);
          return new Operand() {
            public void load() {
              mv.visitVarInsn(DLOAD, slot);
            }

            public String java() {
              return name;
            }
          };
        }
        if (homeArr[p] == NONE) {
          throw new IllegalStateException("no home for %" + n.id + " in chunk " + chunk);
        }
        int arr = homeArr[p];
        int at = home[p] + i;
        return new Operand() {
          public void load() {
            mv.visitVarInsn(ALOAD, arr);
            pushInt(at);
            mv.visitInsn(DALOAD);
          }

          public String java() {
            return arrName(arr) + "[" + at + "]";
          }
        };
      }
    }
  }

  /** Element {@code base + sum(stride * counter)} of node n (which has an array home). */
  private Operand dyn(Node n, int base, Loop[] loops, int[] strides) {
    int p = pos(n);
    if (homeArr[p] == NONE) throw new IllegalStateException("%" + n.id + " is not in an array");
    int arr = homeArr[p];
    int b = home[p] + base;
    return new Operand() {
      String text;

      public void load() {
        mv.visitVarInsn(ALOAD, arr);
        text = index(b, loops, strides);
        mv.visitInsn(DALOAD);
      }

      public String java() {
        return arrName(arr) + "[" + text + "]";
      }
    };
  }

  /** Pushes the int {@code base + sum(stride * counter)}; null loops are skipped. Returns its Java. */
  private String index(int base, Loop[] loops, int[] strides) {
    StringBuilder t = new StringBuilder();
    boolean pushed = false;
    if (base != 0) {
      pushInt(base);
      t.append(base);
      pushed = true;
    }
    for (int i = 0; i < loops.length; i++) {
      Loop l = loops[i];
      if (l == null) continue;
      mv.visitVarInsn(ILOAD, l.slot);
      if (strides[i] != 1) {
        pushInt(strides[i]);
        mv.visitInsn(IMUL);
      }
      if (pushed) mv.visitInsn(IADD);
      if (t.length() > 0) t.append(" + ");
      t.append(strides[i] != 1 ? strides[i] + " * " + l.name : l.name);
      pushed = true;
    }
    if (!pushed) {
      pushInt(0);
      t.append('0');
    }
    return t.toString();
  }

  // ---- element kernels -----------------------------------------------------------------------

  /** Pushes op applied to the operands; returns the Java expression (null without source). */
  private String element(Op op, Operand[] a) {
    switch (op) {
      case NEG -> {
        a[0].load();
        mv.visitInsn(DNEG);
      }
      case NOT -> {
        a[0].load();
        mv.visitInsn(DCONST_0);
        mv.visitInsn(DCMPL);
        isZero();
      }
      case ADD, SUB, MUL, DIV -> {
        a[0].load();
        a[1].load();
        mv.visitInsn(op == Op.ADD ? DADD : op == Op.SUB ? DSUB : op == Op.MUL ? DMUL : DDIV);
      }
      case LT, LE, GT, GE, EQ, NE -> {
        a[0].load();
        a[1].load();
        compare(op);
      }
      case AND, OR -> {
        a[0].load();
        mv.visitInsn(DCONST_0);
        mv.visitInsn(DCMPL);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IAND);
        a[1].load();
        mv.visitInsn(DCONST_0);
        mv.visitInsn(DCMPL);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IAND);
        mv.visitInsn(op == Op.AND ? IAND : IOR);
        mv.visitInsn(I2D);
      }
      case SELECT -> {
        for (Operand o : a) o.load();
        mv.visitMethodInsn(INVOKESTATIC, "dev/odec/codegen/jvm/JvmRuntime", "select", "(DDD)D", false);
      }
      default -> {
        String[] m = method(op);
        for (Operand o : a) o.load();
        mv.visitMethodInsn(INVOKESTATIC, m[0], m[1], a.length == 1 ? "(D)D" : "(DD)D", false);
      }
    }
    return src == null ? null : java(op, a);
  }

  /** The Java expression for what {@link #element} computes. */
  private static String java(Op op, Operand[] a) {
    String x = a[0].java();
    String y = a.length > 1 ? a[1].java() : null;
    String infix = dev.odec.codegen.Operators.infix(op, x, y);
    if (infix != null) return infix;
    return switch (op) {
      case SELECT -> "JvmRuntime.select(" + x + ", " + y + ", " + a[2].java() + ")";
      default -> {
        String[] m = method(op);
        String call = (m[0].equals(MATH) ? "Math." : "Scalar.") + m[1] + "(" + x;
        yield call + (y == null ? ")" : ", " + y + ")");
      }
    };
  }

  /** The static method {@link dev.odec.ir.Scalar} evaluates op with: {owner, name}. */
  private static String[] method(Op op) {
    return switch (op) {
      case EXP -> new String[] {MATH, "exp"};
      case LOG -> new String[] {MATH, "log"};
      case LOG10 -> new String[] {MATH, "log10"};
      case SQRT -> new String[] {MATH, "sqrt"};
      case ABS -> new String[] {MATH, "abs"};
      case SIGN -> new String[] {MATH, "signum"};
      case SIN -> new String[] {MATH, "sin"};
      case COS -> new String[] {MATH, "cos"};
      case TAN -> new String[] {MATH, "tan"};
      case ASIN -> new String[] {MATH, "asin"};
      case ACOS -> new String[] {MATH, "acos"};
      case ATAN -> new String[] {MATH, "atan"};
      case SINH -> new String[] {MATH, "sinh"};
      case COSH -> new String[] {MATH, "cosh"};
      case TANH -> new String[] {MATH, "tanh"};
      case SIGMOID -> new String[] {SCALAR, "sigmoid"};
      case SOFTPLUS -> new String[] {SCALAR, "softplus"};
      case RELU -> new String[] {SCALAR, "relu"};
      case ERF -> new String[] {SCALAR, "erf"};
      case FLOOR -> new String[] {MATH, "floor"};
      case CEIL -> new String[] {MATH, "ceil"};
      case POW -> new String[] {SCALAR, "pow"};
      case ATAN2 -> new String[] {MATH, "atan2"};
      case MIN -> new String[] {MATH, "min"};
      case MAX -> new String[] {MATH, "max"};
      default -> throw new IllegalArgumentException("no scalar method for " + op);
    };
  }

  /**
   * Turns two doubles on the stack into the comparison's 1.0/0.0 without branches. DCMPG gives
   * -1/0/1 with NaN as 1, DCMPL with NaN as -1, so every comparison with a NaN is false.
   */
  private void compare(Op op) {
    switch (op) {
      case LT -> { // r == -1  <=>  r >>> 31
        mv.visitInsn(DCMPG);
        mv.visitIntInsn(BIPUSH, 31);
        mv.visitInsn(IUSHR);
      }
      case LE -> { // r <= 0  <=>  (r - 1) >>> 31
        mv.visitInsn(DCMPG);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(ISUB);
        mv.visitIntInsn(BIPUSH, 31);
        mv.visitInsn(IUSHR);
      }
      case GT -> { // r == 1  <=>  (-r) >>> 31
        mv.visitInsn(DCMPL);
        mv.visitInsn(INEG);
        mv.visitIntInsn(BIPUSH, 31);
        mv.visitInsn(IUSHR);
      }
      case GE -> { // r >= 0  <=>  (r >>> 31) ^ 1
        mv.visitInsn(DCMPL);
        mv.visitIntInsn(BIPUSH, 31);
        mv.visitInsn(IUSHR);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IXOR);
      }
      case EQ -> {
        mv.visitInsn(DCMPL);
        isZero();
        return;
      }
      case NE -> { // r != 0  <=>  r & 1
        mv.visitInsn(DCMPL);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IAND);
      }
      default -> throw new IllegalArgumentException(op.toString());
    }
    mv.visitInsn(I2D);
  }

  /** int r in {-1, 0, 1} on the stack -> 1.0 if r == 0 else 0.0. */
  private void isZero() {
    mv.visitInsn(ICONST_1);
    mv.visitInsn(IAND);
    mv.visitInsn(ICONST_1);
    mv.visitInsn(IXOR);
    mv.visitInsn(I2D);
  }

  // ---- loops ---------------------------------------------------------------------------------

  private static final class Loop {
    final int slot;
    final String name;
    final Label head = new Label();
    final Label end = new Label();
    /** The locals at the head, which are also the locals at the exit. */
    Object[] frame;

    Loop(int slot, String name) {
      this.slot = slot;
      this.name = name;
    }
  }

  /** {@code for (int i = 0; i < count; i++) {}}: the counter's local is assigned before the head. */
  private Loop loopBegin(int count) {
    Loop l = new Loop(allocInt(), "i" + loopCounter++);
    mv.visitInsn(ICONST_0);
    mv.visitVarInsn(ISTORE, l.slot);
    mv.visitLabel(l.head);
    l.frame = frameTypes.toArray();
    frame(l.frame);
    mv.visitVarInsn(ILOAD, l.slot);
    pushInt(count);
    mv.visitJumpInsn(IF_ICMPGE, l.end);
    if (src != null) line("for (int " + l.name + " = 0; " + l.name + " < " + count + "; " + l.name + "++) {");
    indent++;
    return l;
  }

  private void loopEnd(Loop l) {
    mv.visitIincInsn(l.slot, 1);
    mv.visitJumpInsn(GOTO, l.head);
    mv.visitLabel(l.end);
    frame(l.frame);
    // locals first assigned inside the body are unassigned on the exit path: drop them
    List<Object> after = new ArrayList<>(Arrays.asList(l.frame));
    for (int i = l.frame.length; i < frameTypes.size(); i++) {
      after.add(TOP);
      if (frameTypes.get(i) == DOUBLE) after.add(TOP);
    }
    frameTypes.clear();
    frameTypes.addAll(after);
    indent--;
    if (src != null) line("}");
  }

  /** A full frame with the given locals; the stack is empty at loop edges. */
  private void frame(Object[] locals) {
    mv.visitFrame(F_FULL, locals.length, locals, 0, new Object[0]);
  }

  // ---- instructions --------------------------------------------------------------------------

  private void pushInt(int v) {
    if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
    else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
    else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
    else mv.visitLdcInsn(v);
  }

  private void pushDouble(double v) {
    long bits = Double.doubleToRawLongBits(v);
    if (bits == 0L) mv.visitInsn(DCONST_0);
    else if (bits == Double.doubleToRawLongBits(1.0)) mv.visitInsn(DCONST_1);
    else mv.visitLdcInsn(v);
  }

  private static String literal(double v) {
    if (Double.isNaN(v)) return "Double.NaN";
    if (v == Double.POSITIVE_INFINITY) return "Double.POSITIVE_INFINITY";
    if (v == Double.NEGATIVE_INFINITY) return "Double.NEGATIVE_INFINITY";
    return Double.toString(v);
  }

  private static String arrName(int slot) {
    return switch (slot) {
      case Y -> "y";
      case P -> "p";
      case OUT -> "out";
      case S -> "s";
      case K -> "k";
      case G -> "g";
      default -> throw new IllegalArgumentException("slot " + slot);
    };
  }

  private void line(String s) {
    if (src == null) return;
    for (int i = 0; i < indent; i++) src.append("  ");
    src.append(s).append('\n');
  }

  /**
   * Forwards to the method writer and counts an upper bound of the bytecode emitted so far (each
   * instruction at its longest encoding), so chunks can be closed before they grow too large.
   */
  private static final class SizingVisitor extends MethodVisitor {
    int size;
    private final ClassGenerator owner;

    SizingVisitor(MethodVisitor next, ClassGenerator owner) {
      super(ASM9, next);
      this.owner = owner;
    }

    @Override
    public void visitInsn(int opcode) {
      size += 1;
      super.visitInsn(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      size += opcode == SIPUSH ? 3 : 2;
      super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
      size += var <= 3 ? 1 : var <= 255 ? 2 : 4;
      super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      size += 3;
      super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      size += 3;
      this.owner.pool(owner + "." + name, 5); // Fieldref, NameAndType, Class and two UTF-8 strings at most
      super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
      size += opcode == INVOKEINTERFACE ? 5 : 3;
      this.owner.pool(owner + "." + name + descriptor, 6); // Methodref, NameAndType, Class, three UTF-8 strings
      super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      size += 5;
      super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
      size += 3;
      owner.pool(value, value instanceof Double || value instanceof Long ? 2 : 1);
      super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
      size += var <= 255 ? 3 : 6;
      super.visitIincInsn(var, increment);
    }
  }
}
