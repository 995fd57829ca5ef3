package dev.odec.ad;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.codegen.CompiledFunction;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.IrPrinter;
import dev.odec.ir.IrVerifier;
import dev.odec.ir.Node;
import dev.odec.ir.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Shared machinery of the differentiation tests: evaluation, copies of graphs, the dot-product test. */
final class AdTesting {
  private AdTesting() {}

  static final Interpreter INTERP = new Interpreter();

  /** A point (t, y, p). */
  record Point(double t, double[] y, double[] p) {
    Point shifted(double eps, Direction v) {
      double[] y2 = y.clone();
      double[] p2 = p.clone();
      if (v.y != null) for (int i = 0; i < y2.length; i++) y2[i] += eps * v.y[i];
      if (v.p != null) for (int i = 0; i < p2.length; i++) p2[i] += eps * v.p[i];
      return new Point(t + eps * v.t, y2, p2);
    }
  }

  /** A direction (null = zero for y and p). */
  record Direction(double[] y, double[] p, double t) {}

  static double[] eval(IrFunction f, Point x) {
    CompiledFunction c = INTERP.compile(f);
    double[] out = new double[c.outputSize()];
    c.eval(x.t, x.y, x.p, out);
    return out;
  }

  static double[] uniform(Random rnd, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * rnd.nextDouble();
    return v;
  }

  static Node vectorConst(Graph g, double[] v) {
    return g.constant(Shape.vector(v.length), v);
  }

  /** f rebuilt node by node in a fresh graph (the same function; Graph's rules may simplify). */
  static Copy copy(IrFunction f) {
    Graph g = new Graph();
    Map<Node, Node> map = new HashMap<>();
    for (Node n : f.schedule()) {
      List<Node> args = new ArrayList<>();
      for (Node a : n.args()) args.add(map.get(a));
      map.put(n, g.rebuild(n, args));
    }
    List<Node> outs = new ArrayList<>();
    for (Node o : f.outputs()) outs.add(map.get(o));
    return new Copy(g, new IrFunction(f.name(), outs, f.ySize(), f.pSize()));
  }

  record Copy(Graph g, IrFunction f) {}

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  static double absDot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
    return s;
  }

  /** The results of one dot-product check, for tests that want to count what was compared. */
  record Outcome(int directions, int finiteDifferences) {}

  /**
   * The dot-product test at x: with random cotangents u (constants), ⟨v, Jᵀu⟩ from Vjp equals
   * ⟨Jv, u⟩ from Jvp to 1e-12 relative, for v along y, p, t and all together; and both agree with
   * a central finite difference of ⟨u, f(x + εv)⟩ to 1e-6 relative. With {@code gateFd} the finite
   * difference is compared only where two step sizes agree (the function is smooth there); else
   * always. Points where a value is not finite are skipped.
   */
  static Outcome check(Graph g, IrFunction f, Point x, Random rnd, boolean gateFd) {
    IrVerifier.verify(f);
    double[] fx = eval(f, x);
    double[] uFlat = uniform(rnd, fx.length, -1, 1);
    List<Node> cots = new ArrayList<>();
    int k = 0;
    for (Node o : f.outputs()) {
      double[] part = new double[o.size()];
      System.arraycopy(uFlat, k, part, 0, part.length);
      k += part.length;
      cots.add(o.shape.isScalar() ? g.constant(part[0]) : g.constant(o.shape, part));
    }
    int ys = f.ySize();
    int ps = f.pSize();
    Vjp.Result r = Vjp.of(g, f.outputs(), cots, ys, ps);
    assertTrue(r.dy().shape.equals(Shape.vector(ys)), "dy shape " + r.dy().shape);
    assertTrue(r.dt().shape.isScalar(), "dt shape");
    if (ps > 0) assertTrue(r.dp().shape.equals(Shape.vector(ps)), "dp shape");
    List<Node> vjpOuts = new ArrayList<>(List.of(r.dy()));
    if (ps > 0) vjpOuts.add(r.dp());
    vjpOuts.add(r.dt());
    IrFunction vjpF = new IrFunction("vjp", vjpOuts, ys, ps);
    IrVerifier.verify(vjpF);
    double[] vj = eval(vjpF, x);
    double[] gy = java.util.Arrays.copyOfRange(vj, 0, ys);
    double[] gp = java.util.Arrays.copyOfRange(vj, ys, ys + ps);
    double gt = vj[ys + ps];
    int fds = 0;
    int dirs = 0;
    for (int mask = 1; mask <= 7; mask++) {
      if (mask != 1 && mask != 2 && mask != 4 && mask != 7) continue;
      double[] vy = (mask & 1) != 0 ? uniform(rnd, ys, -1, 1) : null;
      double[] vp = (mask & 2) != 0 && ps > 0 ? uniform(rnd, ps, -1, 1) : null;
      double vt = (mask & 4) != 0 ? 2 * rnd.nextDouble() - 1 : 0.0;
      Direction v = new Direction(vy, vp, vt);
      List<Node> tangents = Jvp.of(g, f.outputs(), vy == null ? null : vectorConst(g, vy),
          vp == null ? null : vectorConst(g, vp), (mask & 4) != 0 ? g.constant(vt) : null, ys, ps);
      for (int i = 0; i < tangents.size(); i++) {
        assertTrue(tangents.get(i).shape.equals(f.outputs().get(i).shape), "tangent shape");
      }
      IrFunction jvpF = new IrFunction("jvp", tangents, ys, ps);
      IrVerifier.verify(jvpF);
      double[] jv = eval(jvpF, x);
      double lhs = (vy == null ? 0 : dot(vy, gy)) + (vp == null ? 0 : dot(vp, gp)) + vt * gt;
      double rhs = dot(jv, uFlat);
      if (!Double.isFinite(lhs) || !Double.isFinite(rhs)) continue;
      dirs++;
      double scale = (vy == null ? 0 : absDot(vy, gy)) + (vp == null ? 0 : absDot(vp, gp)) + Math.abs(vt * gt);
      scale = Math.max(scale, absDot(jv, uFlat));
      if (Math.abs(lhs - rhs) > 1e-12 * scale + 1e-300) {
        fail(f.name() + " mask " + mask + ": <v, J^T u> = " + lhs + " but <Jv, u> = " + rhs + "\n" + dump(f));
      }
      double fd = centralDifference(f, x, v, uFlat, 1e-6);
      if (!Double.isFinite(fd)) continue;
      double fxScale = absDot(fx, uFlat);
      if (gateFd) {
        double fd2 = centralDifference(f, x, v, uFlat, 5e-7);
        if (Math.abs(fd - fd2) > 1e-8 * (scale + fxScale) + 1e-12) continue;
      }
      fds++;
      if (Math.abs(fd - lhs) > 1e-6 * (scale + Math.abs(fd)) + 1e-9 * fxScale + 1e-12) {
        fail(f.name() + " mask " + mask + ": <v, J^T u> = " + lhs + " but finite difference " + fd + "\n" + dump(f));
      }
    }
    return new Outcome(dirs, fds);
  }

  static double centralDifference(IrFunction f, Point x, Direction v, double[] u, double eps) {
    double plus = dot(u, eval(f, x.shifted(eps, v)));
    double minus = dot(u, eval(f, x.shifted(-eps, v)));
    return (plus - minus) / (2 * eps);
  }

  static String dump(IrFunction f) {
    return f.schedule().size() < 200 ? IrPrinter.print(f) : "(" + f.schedule().size() + " nodes)";
  }
}
