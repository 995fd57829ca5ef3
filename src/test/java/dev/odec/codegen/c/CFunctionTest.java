package dev.odec.codegen.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.ad.Jacobian;
import dev.odec.codegen.CompiledFunction;
import dev.odec.codegen.RandomGraphs;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.IrPrinter;
import dev.odec.ir.Node;
import dev.odec.ir.OdeSystem;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import dev.odec.runtime.NativeToolchain;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.sens.GradientModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The C backend against the JVM's: random IR graphs (the JVM backend's property test, every op on
 * scalars, vectors and matrices, compiled with cc) and every example's functions (right-hand side,
 * initial state, derived quantities, sparse Jacobian, VJP, backsolve adjoint and forward-sensitivity
 * systems) agree to
 * 1e-13 relative; +, −, ×, ÷, sqrt and everything built from them only agree bit for bit.
 */
class CFunctionTest {
  private static final double RTOL = 1e-13;

  /** Whether two results agree: equal (bitwise for NaN-free exact ops), both NaN, or within RTOL relative. */
  static boolean agree(double want, double got) {
    if (Double.isNaN(want) || Double.isNaN(got)) return Double.isNaN(want) && Double.isNaN(got);
    if (want == got) return true;
    return Math.abs(want - got) <= RTOL * Math.max(Math.abs(want), Math.abs(got));
  }

  private record Outcome(int values, int bitwise) {}

  /** Evaluates every function with the reference and with C at random points; fails on the first disagreement. */
  private static Outcome compare(List<IrFunction> fns, List<CompiledFunction> refs, List<List<CHarness.Point>> pts,
      NativeToolchain tc) throws IOException, InterruptedException {
    List<double[][]> got = CHarness.evaluate(fns, pts, tc);
    int values = 0;
    int bitwise = 0;
    for (int k = 0; k < fns.size(); k++) {
      IrFunction f = fns.get(k);
      for (int q = 0; q < pts.get(k).size(); q++) {
        CHarness.Point pt = pts.get(k).get(q);
        double[] want = new double[f.outputSize()];
        refs.get(k).eval(pt.t(), pt.y(), pt.p(), want);
        double[] have = got.get(k)[q];
        for (int i = 0; i < want.length; i++) {
          values++;
          if (Double.doubleToLongBits(want[i]) == Double.doubleToLongBits(have[i])) bitwise++;
          if (!agree(want[i], have[i])) {
            String ir = f.schedule().size() < 200 ? IrPrinter.print(f) : "(" + f.schedule().size() + " nodes)";
            fail(f.name() + ": out[" + i + "] jvm " + want[i] + " c " + have[i] + " at point " + q + "\n" + ir);
          }
        }
      }
    }
    return new Outcome(values, bitwise);
  }

  private static List<CHarness.Point> randomPoints(IrFunction f, long seed, int count) {
    Random rnd = new Random(seed);
    List<CHarness.Point> pts = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      pts.add(new CHarness.Point(4 * rnd.nextDouble() - 2, RandomGraphs.vector(rnd, f.ySize()),
          RandomGraphs.vector(rnd, f.pSize())));
    }
    return pts;
  }

  @Test
  void randomGraphsAgreeWithTheInterpreter() throws Exception {
    List<IrFunction> fns = new ArrayList<>();
    // the JVM backend's seeds (fewer of them: a C compiler takes seconds for what ASM does in milliseconds)
    for (long seed = 0; seed < 150; seed++) fns.add(RandomGraphs.function(seed, RandomGraphs.Config.small(6 + (int) (seed % 40))));
    for (long seed = 1000; seed < 1080; seed++) fns.add(RandomGraphs.function(seed, RandomGraphs.Config.mixed(5 + (int) (seed % 50))));
    List<CompiledFunction> refs = new ArrayList<>();
    List<List<CHarness.Point>> pts = new ArrayList<>();
    Interpreter interp = new Interpreter();
    for (int k = 0; k < fns.size(); k++) {
      refs.add(interp.compile(fns.get(k)));
      pts.add(randomPoints(fns.get(k), k, 3));
    }
    Outcome o = compare(fns, refs, pts, CHarness.unoptimised());
    System.out.printf("random graphs: %d values, %d bit-identical%n", o.values(), o.bitwise());
    assertTrue(o.bitwise() > 0.95 * o.values(), "most values are bit-identical: " + o.bitwise() + " of " + o.values());
  }

  @Test
  void arithmeticIsBitIdentical() throws Exception {
    // only +, -, *, /, neg, sqrt, comparisons, select, sum, matmul, gather and pack: IEEE-exact in both
    List<IrFunction> fns = new ArrayList<>();
    for (long seed = 0; seed < 60; seed++) fns.add(exactOps(seed));
    List<CompiledFunction> refs = new ArrayList<>();
    List<List<CHarness.Point>> pts = new ArrayList<>();
    for (int k = 0; k < fns.size(); k++) {
      refs.add(new JvmBackend().compile(fns.get(k)));
      pts.add(randomPoints(fns.get(k), 100 + k, 4));
    }
    Outcome o = compare(fns, refs, pts, CHarness.cc());
    assertEquals(o.values(), o.bitwise(), "every value bit-identical");
  }

  /** A random graph of IEEE-exact ops over scalars and large and small tensors. */
  private static IrFunction exactOps(long seed) {
    Random rnd = new Random(seed);
    Graph g = new Graph();
    List<Node> pool = new ArrayList<>();
    int[] sizes = {1, 3, 20};
    for (int s : sizes) {
      pool.add(s == 1 ? g.input(0, rnd.nextInt(10), Shape.SCALAR) : g.input(0, rnd.nextInt(10), Shape.vector(s)));
      pool.add(s == 1 ? g.input(1, rnd.nextInt(10), Shape.SCALAR) : g.input(1, rnd.nextInt(10), Shape.vector(s)));
    }
    Op[] ops = {Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.LT, Op.GE, Op.EQ};
    for (int step = 0; step < 40; step++) {
      Node a = pool.get(rnd.nextInt(pool.size()));
      Node b = sameShape(pool, a, rnd);
      Node n = switch (rnd.nextInt(7)) {
        case 0 -> g.neg(a);
        case 1 -> g.unary(Op.SQRT, g.add(g.mul(a, a), g.constant(0.5)));
        case 2 -> g.select(g.binary(Op.GT, a, b), a, b);
        case 3 -> g.sum(a);
        case 4 -> a.size() == 20 ? g.matmul(g.gather(a, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
            18, 19}, Shape.matrix(4, 5)), g.gather(a, new int[] {0, 1, 2, 3, 4}, Shape.vector(5))) : g.add(a, b);
        default -> g.binary(ops[rnd.nextInt(ops.length)], a, b);
      };
      pool.add(n);
    }
    List<Node> outs = new ArrayList<>();
    for (int i = 0; i < 6; i++) outs.add(pool.get(pool.size() - 1 - rnd.nextInt(20)));
    return new IrFunction("exact" + seed, outs, 40, 40);
  }

  private static Node sameShape(List<Node> pool, Node a, Random rnd) {
    for (int tries = 0; tries < 50; tries++) {
      Node b = pool.get(rnd.nextInt(pool.size()));
      if (b.shape.equals(a.shape) || b.shape.isScalar()) return b;
    }
    return a;
  }

  @Test
  void everyExampleAgreesWithTheJvm() throws Exception {
    List<IrFunction> fns = new ArrayList<>();
    List<CompiledFunction> refs = new ArrayList<>();
    List<List<CHarness.Point>> pts = new ArrayList<>();
    JvmBackend jvm = new JvmBackend();
    List<Path> models;
    try (Stream<Path> s = Files.walk(Path.of("examples"))) {
      models = s.filter(p -> p.toString().endsWith(".ode")).sorted().toList();
    }
    Map<String, Integer> seen = new java.util.TreeMap<>();
    for (Path model : models) {
      Frontend.Result r = Frontend.compile(model);
      assertTrue(r.ok(), model + " compiles");
      OdeSystem sys = r.system();
      GradientModel gm = new GradientModel(sys, new Interpreter());
      CProgram.Derivatives d = gm.forC();
      List<IrFunction> own = new ArrayList<>(List.of(sys.rhs(), sys.initial(), sys.derived(),
          Jacobian.of(sys.graph().fork(), sys.rhs(), 0).asFunction("jacobian"), d.vjp(), d.adjoint()));
      if (d.sensitivity() != null) own.add(d.sensitivity());
      double[] p = Parameters.build(sys, Map.of(), 1);
      for (IrFunction f : own) {
        if (f.outputSize() == 0) continue;
        fns.add(f);
        refs.add(jvm.compile(f));
        // near the nominal parameters, states and cotangents of order one
        Random rnd = new Random(fns.size());
        List<CHarness.Point> list = new ArrayList<>();
        for (int q = 0; q < 3; q++) {
          double[] y = new double[f.ySize()];
          for (int i = 0; i < y.length; i++) y[i] = 0.2 + rnd.nextDouble();
          double[] pp = p.clone();
          for (int i = 0; i < pp.length; i++) pp[i] *= 1 + 0.1 * (rnd.nextDouble() - 0.5);
          list.add(new CHarness.Point(rnd.nextDouble(), y, pp));
        }
        pts.add(list);
        seen.merge(f.name(), 1, Integer::sum);
      }
    }
    Outcome o = compare(fns, refs, pts, CHarness.cc());
    System.out.printf("examples: %d functions %s, %d values, %d bit-identical%n", fns.size(), seen, o.values(), o.bitwise());
    assertEquals(models.size(), seen.get("rhs"), "every example's right-hand side");
  }
}
