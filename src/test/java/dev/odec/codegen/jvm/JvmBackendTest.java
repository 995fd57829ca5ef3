package dev.odec.codegen.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.codegen.CompiledFunction;
import dev.odec.codegen.RandomGraphs;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.IrPrinter;
import dev.odec.ir.IrVerifier;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JvmBackendTest {
  private static final int HUGE_METHOD_LIMIT = 8000;

  private final Interpreter interp = new Interpreter();
  private final JvmBackend jvm = new JvmBackend();

  /** Compiles f both ways, checks every method size and bitwise agreement at a few random points. */
  private ClassGenerator.Result check(IrFunction f, long seed, int points) {
    IrVerifier.verify(f);
    ClassGenerator.Result r = JvmBackend.generate(f);
    for (byte[] cls : r.bytes() != null ? List.of(r.bytes()) : r.parts()) {
      for (Map.Entry<String, Integer> e : MethodSizes.of(cls).entrySet()) {
        if (e.getValue() >= HUGE_METHOD_LIMIT) {
          fail(f.name() + ": method " + e.getKey() + " has " + e.getValue() + " bytes of bytecode");
        }
        // the generator's running size count is an upper bound of what ASM writes
        if (e.getKey().startsWith("chunk")) {
          assertTrue(e.getValue() <= r.largestChunkEstimate(), e.getKey() + " larger than estimated");
        }
      }
    }
    CompiledFunction ref = interp.compile(f);
    CompiledFunction got = JvmBackend.define(r).newInstance();
    assertEquals(ref.outputSize(), got.outputSize());
    Random rnd = new Random(seed);
    for (int k = 0; k < points; k++) {
      double t = 4 * rnd.nextDouble() - 2;
      double[] y = RandomGraphs.vector(rnd, f.ySize());
      double[] p = RandomGraphs.vector(rnd, f.pSize());
      double[] want = new double[ref.outputSize()];
      double[] have = new double[got.outputSize()];
      ref.eval(t, y, p, want);
      got.eval(t, y, p, have);
      for (int i = 0; i < want.length; i++) {
        if (Double.doubleToLongBits(want[i]) != Double.doubleToLongBits(have[i])) {
          String ir = f.schedule().size() < 300 ? IrPrinter.print(f) : "(" + f.schedule().size() + " nodes)";
          fail(f.name() + ": out[" + i + "] interp " + want[i] + " jvm " + have[i] + " at point " + k + "\n" + ir);
        }
      }
    }
    return r;
  }

  @Test
  void randomSmallGraphsAgreeBitwise() {
    int nanSeen = 0;
    for (long seed = 0; seed < 300; seed++) {
      IrFunction f = RandomGraphs.function(seed, RandomGraphs.Config.small(6 + (int) (seed % 40)));
      check(f, seed, 3);
      nanSeen += producesNaN(f, seed) ? 1 : 0;
    }
    assertTrue(nanSeen > 0, "some graphs should produce NaN");
  }

  @Test
  void randomGraphsWithLargeTensorsAgreeBitwise() {
    int looped = 0;
    for (long seed = 1000; seed < 1200; seed++) {
      IrFunction f = RandomGraphs.function(seed, RandomGraphs.Config.mixed(5 + (int) (seed % 50)));
      ClassGenerator.Result r = check(f, seed, 3);
      if (r.scratchSize() > 16) looped++;
    }
    assertTrue(looped > 100, "loop paths exercised in " + looped + " graphs");
  }

  @Test
  void bigRandomGraphsAreSplitIntoChunksAndAgree() {
    int maxChunks = 0;
    for (long seed = 5000; seed < 5012; seed++) {
      RandomGraphs.Config cfg =
          seed % 2 == 0 ? RandomGraphs.Config.mixed(1500) : RandomGraphs.Config.small(2500);
      IrFunction f = RandomGraphs.function(seed, cfg);
      ClassGenerator.Result r = check(f, seed, 2);
      assertTrue(r.chunkCount() > 1, f.name() + " should need several chunks");
      maxChunks = Math.max(maxChunks, r.chunkCount());
    }
    System.out.println("big random graphs: up to " + maxChunks + " chunks");
  }

  @Test
  void hugeScalarGraphCompilesAndAgrees() {
    IrFunction f = RandomGraphs.function(77, RandomGraphs.Config.scalars(25_000));
    int nodes = f.schedule().size();
    ClassGenerator.Result r = JvmBackend.generate(f);
    JvmBackend.define(r).newInstance();
    int largest = Collections.max(MethodSizes.of(r.bytes()).values());
    System.out.printf("huge scalar graph: %d nodes, %d chunks, largest method %d bytes%n", nodes, r.chunkCount(), largest);
    assertTrue(nodes > 40_000, "nodes: " + nodes);
    check(f, 77, 2);
  }

  @Test
  void veryLargeGraphsCallChunksThroughDispatchers() {
    IrFunction f = RandomGraphs.function(78, RandomGraphs.Config.scalars(60_000));
    ClassGenerator.Result r = check(f, 78, 1);
    assertTrue(r.chunkCount() > ClassGenerator.MAX_CALLS, "chunks: " + r.chunkCount());
    assertTrue(MethodSizes.of(r.bytes()).keySet().stream().anyMatch(m -> m.startsWith("run")));
  }

  /**
   * A function with more constants than a class file's constant pool holds (36,000 distinct
   * doubles take 72,000 of its 65,535 entries) is split into parts, and still agrees bitwise.
   */
  @Test
  void functionsTooLargeForOneClassAreSplitIntoParts() {
    int n = 36_000;
    Graph g = new Graph();
    List<Node> outs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      outs.add(g.mul(g.input(0, i, Shape.SCALAR), g.constant(1 + i / (double) n)));
    }
    IrFunction f = new IrFunction("wide", outs, n, 0);
    ClassGenerator.Result r = check(f, 5, 2);
    assertNull(r.bytes());
    assertTrue(r.parts().size() >= 2, "parts: " + r.parts().size());
    // and the source rendering names every part
    String java = JvmBackend.javaSource(f);
    for (int i = 0; i < r.parts().size(); i++) assertTrue(java.contains("final class Fn_wide_part" + i + " extends JvmPart"));
  }

  /** The random graphs reach every code path: checked on the generated Java. */
  @Test
  void randomGraphsExerciseEveryCodePath() {
    Map<String, java.util.regex.Pattern> paths = new java.util.LinkedHashMap<>();
    paths.put("element-wise loop", java.util.regex.Pattern.compile("for \\(int i0 .*\\n\\s+s\\[\\d+ \\+ i0\\] = "));
    paths.put("gather through an index table", java.util.regex.Pattern.compile("\\[(\\d+ \\+ )?g\\["));
    paths.put("contiguous gather", java.util.regex.Pattern.compile("System.arraycopy\\((y|p|s|k), \\d+, s, "));
    paths.put("matmul as nested loops", java.util.regex.Pattern.compile("acc\\d+ \\+= "));
    paths.put("matmul with a small result, looped", java.util.regex.Pattern.compile("\\n\\s+v\\d+(_\\d+)? \\+= \\S+ \\* "));
    paths.put("unrolled matmul", java.util.regex.Pattern.compile("= 0.0 \\+ \\S+ \\* \\S+ \\+ "));
    paths.put("looped sum", java.util.regex.Pattern.compile("\\n\\s+v\\d+ \\+= \\w\\[[^*]*\\];"));
    paths.put("constants in k", java.util.regex.Pattern.compile("k\\["));
    paths.put("t stored for a loop", java.util.regex.Pattern.compile("s\\[\\d+\\] = t;"));
    paths.put("small value stored for a loop or a later chunk", java.util.regex.Pattern.compile("s\\[\\d+\\] = v\\d+(_\\d+)?;"));
    paths.put("select", java.util.regex.Pattern.compile("JvmRuntime.select\\("));
    paths.put("several chunks", java.util.regex.Pattern.compile("chunk1\\("));
    Map<String, Integer> hits = new java.util.LinkedHashMap<>();
    for (long seed = 1000; seed < 1200; seed++) {
      int steps = seed % 20 == 0 ? 800 : 5 + (int) (seed % 50);
      String src = JvmBackend.javaSource(RandomGraphs.function(seed, RandomGraphs.Config.mixed(steps)));
      for (Map.Entry<String, java.util.regex.Pattern> e : paths.entrySet()) {
        if (e.getValue().matcher(src).find()) hits.merge(e.getKey(), 1, Integer::sum);
      }
    }
    System.out.println("code paths in 200 random graphs: " + hits);
    for (String path : paths.keySet()) assertTrue(hits.getOrDefault(path, 0) > 0, "never generated: " + path);
  }

  /** dy/dt of a mass-action network: reaction j is a + b <-> c + d with rates p[2j], p[2j+1]. */
  static IrFunction massAction(int species, int reactions, long seed) {
    Random rnd = new Random(seed);
    Graph g = new Graph();
    List<List<Node>> plus = new ArrayList<>();
    List<List<Node>> minus = new ArrayList<>();
    for (int i = 0; i < species; i++) {
      plus.add(new ArrayList<>());
      minus.add(new ArrayList<>());
    }
    for (int j = 0; j < reactions; j++) {
      int a = rnd.nextInt(species);
      int b = rnd.nextInt(species);
      int c = rnd.nextInt(species);
      int d = rnd.nextInt(species);
      Node fwd = g.mul(g.mul(g.input(1, 2 * j, Shape.SCALAR), g.input(0, a, Shape.SCALAR)), g.input(0, b, Shape.SCALAR));
      Node rev = g.mul(g.mul(g.input(1, 2 * j + 1, Shape.SCALAR), g.input(0, c, Shape.SCALAR)), g.input(0, d, Shape.SCALAR));
      Node net = g.sub(fwd, rev);
      minus.get(a).add(net);
      minus.get(b).add(net);
      plus.get(c).add(net);
      plus.get(d).add(net);
    }
    List<Node> rates = new ArrayList<>();
    for (int i = 0; i < species; i++) {
      Node acc = g.constant(0.0);
      for (Node n : plus.get(i)) acc = g.add(acc, n);
      for (Node n : minus.get(i)) acc = g.sub(acc, n);
      rates.add(acc);
    }
    Node dydt = g.pack(rates, Shape.vector(species));
    return new IrFunction("massaction", List.of(dydt), species, 2 * reactions);
  }

  @Test
  void massActionNetworkCompilesToLinearCodeAndAgrees() {
    IrFunction f = massAction(1000, 2000, 3);
    int nodes = f.schedule().size();
    CompiledFunction c = jvm.compile(f);
    ClassGenerator.Result r = JvmBackend.generate(f);
    int largest = Collections.max(MethodSizes.of(r.bytes()).values());
    System.out.printf("mass action 2000 reactions: %d nodes, %d chunks, %d bytes of class, largest method %d bytes%n",
        nodes, r.chunkCount(), r.bytes().length, largest);
    // linear code: the class grows with the network, not with its square (compile time is a benchmark's matter)
    assertTrue(r.bytes().length < 200 * nodes, r.bytes().length + " bytes for " + nodes + " nodes");
    assertEquals(1000, c.outputSize());
    check(f, 3, 3);
  }

  @Test
  void evalAllocatesNothing() {
    IrFunction f = RandomGraphs.function(1042, RandomGraphs.Config.mixed(60));
    CompiledFunction c = jvm.compile(f);
    Random rnd = new Random(1);
    double[] y = RandomGraphs.vector(rnd, f.ySize());
    double[] p = RandomGraphs.vector(rnd, f.pSize());
    double[] out = new double[c.outputSize()];
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    // warm-up: the first calls link and initialise classes (which allocates), then the JIT compiles
    evals(c, 200_000, y, p, out);
    // One-off JVM events (a recompilation, a deoptimisation) can allocate a few bytes on this thread
    // now and then; an eval that allocated anything would show up in every window (>= 1.6 MB per
    // window for one 16-byte object per call). So: the best of three windows must be exactly zero.
    long best = Long.MAX_VALUE;
    for (int w = 0; w < 3 && best > 0; w++) {
      long before = mx.getThreadAllocatedBytes(tid);
      evals(c, 100_000, y, p, out);
      long after = mx.getThreadAllocatedBytes(tid);
      best = Math.min(best, after - before);
      System.out.println("bytes allocated over 100000 evals after warm-up: " + (after - before));
    }
    assertEquals(0, best, "eval allocated");
  }

  private static void evals(CompiledFunction c, int n, double[] y, double[] p, double[] out) {
    for (int i = 0; i < n; i++) c.eval(0.001 * i, y, p, out);
  }

  @Test
  void copiesHaveIndependentScratch() {
    IrFunction f = RandomGraphs.function(1077, RandomGraphs.Config.mixed(80));
    CompiledFunction a = jvm.compile(f);
    CompiledFunction b = a.copy();
    CompiledFunction ref = interp.compile(f);
    Random rnd = new Random(9);
    double[][] ys = {RandomGraphs.vector(rnd, f.ySize()), RandomGraphs.vector(rnd, f.ySize())};
    double[][] ps = {RandomGraphs.vector(rnd, f.pSize()), RandomGraphs.vector(rnd, f.pSize())};
    int n = a.outputSize();
    for (int round = 0; round < 3; round++) {
      double[] oa = new double[n];
      double[] ob = new double[n];
      a.eval(0.5, ys[0], ps[0], oa);
      b.eval(-0.5, ys[1], ps[1], ob);
      double[] wa = new double[n];
      double[] wb = new double[n];
      ref.eval(0.5, ys[0], ps[0], wa);
      ref.eval(-0.5, ys[1], ps[1], wb);
      for (int i = 0; i < n; i++) {
        assertEquals(Double.doubleToLongBits(wa[i]), Double.doubleToLongBits(oa[i]), "copy a, out " + i);
        assertEquals(Double.doubleToLongBits(wb[i]), Double.doubleToLongBits(ob[i]), "copy b, out " + i);
      }
    }
    assertEquals(n, b.outputSize());
    assertTrue(((JvmCompiled) a).s != ((JvmCompiled) b).s);
  }

  @Test
  void javaSourceShowsChunksLocalsAndOps() {
    Graph g = new Graph();
    Node x = g.input(0, 0, Shape.SCALAR);
    Node k = g.input(1, 0, Shape.SCALAR);
    Node e = g.unary(Op.EXP, g.mul(k, x));
    Node s = g.select(g.binary(Op.LT, x, g.constant(1.0)), e, g.unary(Op.SIN, x));
    Node v = g.input(0, 1, Shape.vector(20));
    Node big = g.mul(v, e); // 20 elements: a loop
    Node total = g.sum(big);
    IrFunction f = new IrFunction("demo", List.of(s, total, big), 21, 1);
    String src = JvmBackend.javaSource(f);
    System.out.println(src);
    for (String want : new String[] {
      "private static void chunk0(double t, double[] y, double[] p, double[] out, double[] s, double[] k, int[] g)",
      "chunk0(t, y, p, out, s, k, g);",
      "public void eval(double t, double[] y, double[] p, double[] out)",
      "Math.exp(", "Math.sin(", "JvmRuntime.select(", " < 1.0 ? 1.0 : 0.0)", "p[0] * y[0]",
      "for (int i0 = 0; i0 < 20; i0++) {", "System.arraycopy(",
    }) {
      assertTrue(src.contains(want), "missing: " + want + "\n" + src);
    }
    assertTrue(src.contains("double v" + e.id + " = Math.exp("), src);
    check(f, 5, 3);
  }

  private boolean producesNaN(IrFunction f, long seed) {
    CompiledFunction c = interp.compile(f);
    Random rnd = new Random(seed);
    double[] out = new double[c.outputSize()];
    c.eval(0.3, RandomGraphs.vector(rnd, f.ySize()), RandomGraphs.vector(rnd, f.pSize()), out);
    for (double v : out) if (Double.isNaN(v)) return true;
    return false;
  }
}
