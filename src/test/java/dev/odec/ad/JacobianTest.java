package dev.odec.ad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.codegen.CompiledFunction;
import dev.odec.codegen.RandomGraphs;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.IrVerifier;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sparse Jacobian: its pattern equals the true dependency pattern, its entries equal finite
 * differences and forward-mode columns, it scales to a large mass-action network, and its
 * function compiles.
 */
class JacobianTest {
  /** A mass-action network by hand: per-reaction flux k_r · Π reactants, dy_i = Σ_r ν_ir flux_r. */
  record Network(Graph g, IrFunction f, boolean[][] expectedY, boolean[][] expectedP) {}

  static Network network(int species, int reactions, long seed, boolean chain) {
    Random rnd = new Random(seed);
    Graph g = new Graph();
    Node[] y = new Node[species];
    for (int i = 0; i < species; i++) y[i] = g.input(0, i, Shape.SCALAR);
    Node[] dy = new Node[species];
    boolean[][] ey = new boolean[species][species];
    boolean[][] ep = new boolean[species][reactions];
    for (int r = 0; r < reactions; r++) {
      List<Integer> reactants = new ArrayList<>();
      List<Integer> products = new ArrayList<>();
      boolean dimer = false;
      if (chain) {
        reactants.add(r);
        products.add(r + 1);
      } else {
        int kind = rnd.nextInt(5);
        int a = rnd.nextInt(species);
        reactants.add(a);
        if (kind == 1 || kind == 4) reactants.add(other(rnd, species, reactants, products));
        dimer = kind == 2;
        if (kind != 3) products.add(other(rnd, species, reactants, products));
        if (kind == 4) products.add(other(rnd, species, reactants, products));
      }
      Node flux = g.input(1, r, Shape.SCALAR);
      for (int s : reactants) flux = g.mul(flux, dimer ? g.binary(Op.POW, y[s], g.constant(2.0)) : y[s]);
      double nu = dimer ? 2.0 : 1.0;
      for (int s : reactants) {
        dy[s] = dy[s] == null ? g.mul(g.constant(-nu), flux) : g.sub(dy[s], g.mul(g.constant(nu), flux));
        mark(ey, ep, s, reactants, r);
      }
      for (int s : products) {
        dy[s] = dy[s] == null ? flux : g.add(dy[s], flux);
        mark(ey, ep, s, reactants, r);
      }
    }
    for (int i = 0; i < species; i++) if (dy[i] == null) dy[i] = g.constant(0.0);
    Node out = g.pack(List.of(dy), Shape.vector(species));
    return new Network(g, new IrFunction("network", List.of(out), species, reactions), ey, ep);
  }

  private static void mark(boolean[][] ey, boolean[][] ep, int s, List<Integer> reactants, int r) {
    for (int j : reactants) ey[s][j] = true;
    ep[s][r] = true;
  }

  private static int other(Random rnd, int n, List<Integer> a, List<Integer> b) {
    while (true) {
      int s = rnd.nextInt(n);
      if (!a.contains(s) && !b.contains(s)) return s;
    }
  }

  @Test
  void chainHasABidiagonalJacobian() {
    int n = 60;
    Network net = network(n, n - 1, 1, true);
    Jacobian j = Jacobian.of(net.g(), net.f(), 0);
    assertEquals(n, j.rows());
    assertEquals(n, j.cols());
    boolean[][] pat = j.pattern();
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        boolean want = (c == r && r < n - 1) || c == r - 1;
        assertEquals(want, pat[r][c], "(" + r + ", " + c + ")");
      }
    }
    assertArrayEquals(net.expectedY(), pat);
    assertEquals(2 * n - 2, j.entries().size());
    // CSR agrees with the entries; entries are row-major
    int[] rs = j.rowStart();
    int[] ci = j.colIndex();
    assertEquals(n + 1, rs.length);
    for (int r = 0; r < n; r++) {
      for (int k = rs[r]; k < rs[r + 1]; k++) {
        assertEquals(r, j.entries().get(k).row());
        assertEquals(ci[k], j.entries().get(k).col());
        if (k > rs[r]) assertTrue(ci[k] > ci[k - 1]);
      }
    }
    checkAgainstFiniteDifferences(net, j, 0, n, new Random(2));
  }

  @Test
  void largeMassActionNetworkIsLinearSparseAndCorrect() {
    Network net = network(1000, 2000, 3, false);
    int before = net.g().size();
    Jacobian jy = Jacobian.of(net.g(), net.f(), 0);
    Jacobian jp = Jacobian.of(net.g(), net.f(), 1);
    // the work is linear in the network: a guard against quadratic blow-up counts the nodes the
    // derivatives add, not the seconds they take
    int added = net.g().size() - before;
    assertTrue(added < 20 * before, "the Jacobians added " + added + " nodes to a graph of " + before);
    assertArrayEquals(net.expectedY(), jy.pattern());
    assertArrayEquals(net.expectedP(), jp.pattern());
    assertTrue(jy.entries().size() < 20_000, "entries: " + jy.entries().size());
    Random rnd = new Random(4);
    checkAgainstFiniteDifferences(net, jy, 0, 40, rnd);
    checkAgainstFiniteDifferences(net, jp, 1, 40, rnd);
  }

  /** Entries (compiled through asFunction) against central differences on `columns` random columns. */
  private static void checkAgainstFiniteDifferences(Network net, Jacobian j, int arg, int columns, Random rnd) {
    IrFunction f = net.f();
    IrFunction jf = j.asFunction("jac");
    IrVerifier.verify(jf);
    AdTesting.Point x = new AdTesting.Point(0.3, AdTesting.uniform(rnd, f.ySize(), 0.5, 1.5),
        AdTesting.uniform(rnd, f.pSize(), 0.5, 1.5));
    CompiledFunction cf = new JvmBackend().compile(jf);
    double[] values = new double[cf.outputSize()];
    cf.eval(x.t(), x.y(), x.p(), values);
    double[][] dense = new double[j.rows()][j.cols()];
    for (int k = 0; k < values.length; k++) dense[j.entries().get(k).row()][j.entries().get(k).col()] = values[k];
    for (int c = 0; c < columns; c++) {
      int col = rnd.nextInt(j.cols());
      double[] e = new double[j.cols()];
      e[col] = 1;
      AdTesting.Direction d = arg == 0 ? new AdTesting.Direction(e, null, 0) : new AdTesting.Direction(null, e, 0);
      double h = 1e-5;
      double[] plus = AdTesting.eval(f, x.shifted(h, d));
      double[] minus = AdTesting.eval(f, x.shifted(-h, d));
      for (int r = 0; r < j.rows(); r++) {
        double fd = (plus[r] - minus[r]) / (2 * h);
        double have = dense[r][col];
        if (Math.abs(fd - have) > 1e-7 * (1 + Math.abs(have))) {
          fail("J[" + r + "][" + col + "] = " + have + " but finite difference " + fd);
        }
      }
    }
  }

  @Test
  void randomModelsAgreeWithForwardModeAndFiniteDifferences() {
    JvmBackend jvm = new JvmBackend();
    for (long seed = 1; seed <= 12; seed++) {
      AdTesting.Copy c = AdTesting.copy(RandomGraphs.function(seed, RandomGraphs.Config.small(25)));
      Graph g = c.g();
      IrFunction f = c.f();
      Random rnd = new Random(seed);
      AdTesting.Point x = new AdTesting.Point(rnd.nextDouble(), AdTesting.uniform(rnd, f.ySize(), -2, 2),
          AdTesting.uniform(rnd, f.pSize(), -2, 2));
      for (int arg = 0; arg <= 1; arg++) {
        Jacobian j = Jacobian.of(g, f, arg);
        assertEquals(f.outputSize(), j.rows());
        IrFunction jf = j.asFunction("jac" + seed);
        IrVerifier.verify(jf);
        CompiledFunction compiled = jvm.compile(jf);
        double[] values = new double[compiled.outputSize()];
        compiled.eval(x.t(), x.y(), x.p(), values);
        assertArrayEquals(AdTesting.eval(jf, x), values, 0.0); // both backends, bit for bit
        double[][] dense = new double[j.rows()][j.cols()];
        boolean[][] pat = j.pattern();
        for (int k = 0; k < values.length; k++) dense[j.entries().get(k).row()][j.entries().get(k).col()] = values[k];
        for (int col = 0; col < j.cols(); col++) {
          double[] e = new double[j.cols()];
          e[col] = 1;
          Node dir = AdTesting.vectorConst(g, e);
          List<Node> tangents = Jvp.of(g, f.outputs(), arg == 0 ? dir : null, arg == 1 ? dir : null, null,
              f.ySize(), f.pSize());
          double[] column = AdTesting.eval(new IrFunction("col", tangents, f.ySize(), f.pSize()), x);
          AdTesting.Direction d = arg == 0 ? new AdTesting.Direction(e, null, 0) : new AdTesting.Direction(null, e, 0);
          double[] p1 = AdTesting.eval(f, x.shifted(1e-6, d));
          double[] m1 = AdTesting.eval(f, x.shifted(-1e-6, d));
          double[] p2 = AdTesting.eval(f, x.shifted(5e-7, d));
          double[] m2 = AdTesting.eval(f, x.shifted(-5e-7, d));
          for (int r = 0; r < j.rows(); r++) {
            double have = dense[r][col];
            double want = column[r];
            if (!Double.isFinite(have) || !Double.isFinite(want)) continue;
            String at = f.name() + " arg " + arg + " J[" + r + "][" + col + "]";
            if (!pat[r][col]) assertEquals(0.0, want, 0.0, at + " outside the pattern");
            assertEquals(want, have, 1e-12 * Math.max(Math.abs(want), 1e-3), at + " vs forward mode");
            double fd1 = (p1[r] - m1[r]) / 2e-6;
            double fd2 = (p2[r] - m2[r]) / 1e-6;
            double scale = 1 + Math.abs(have) + Math.abs(p1[r]);
            if (Math.abs(fd1 - fd2) <= 1e-8 * scale) { // smooth there
              assertEquals(have, fd1, 1e-6 * scale, at + " vs finite difference");
            }
          }
        }
      }
    }
  }
}
