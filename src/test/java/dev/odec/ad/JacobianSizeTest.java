package dev.odec.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.codegen.RandomGraphs;
import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.Shape;
import dev.odec.sema.Frontend;
import dev.odec.ir.OdeSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Jacobian's size counted before building it: equal to the number of entries
 * {@link Jacobian#of} produces on every example model, on seeded random graphs that use every op
 * (or above it, never below), and on a mass-action network; a dense product far above the limit
 * is recognised without building anything of its size.
 */
class JacobianSizeTest {
  private static final long NO_LIMIT = Long.MAX_VALUE / 8;

  @Test
  void equalsTheBuiltJacobianOnEveryExample() throws IOException {
    List<Path> models;
    try (var s = Files.walk(Path.of("examples"))) {
      models = s.filter(p -> p.toString().endsWith(".ode")).sorted().toList();
    }
    for (Path p : models) {
      OdeSystem sys = Frontend.compile(p).system();
      int built = Jacobian.of(sys.graph(), sys.rhs(), 0).entries().size();
      assertEquals(built, JacobianSize.entries(sys.rhs(), 0, NO_LIMIT), p.toString());
    }
  }

  @Test
  void neverBelowTheBuiltJacobianOnRandomGraphs() {
    int exact = 0;
    for (long seed = 1; seed <= 30; seed++) {
      AdTesting.Copy c = AdTesting.copy(
          RandomGraphs.function(seed, seed % 2 == 0 ? RandomGraphs.Config.small(25) : RandomGraphs.Config.mixed(25)));
      Graph g = c.g();
      IrFunction f = c.f();
      for (int arg = 0; arg <= 1; arg++) {
        int built = Jacobian.of(g, f, arg).entries().size();
        long counted = JacobianSize.entries(f, arg, NO_LIMIT);
        assertTrue(counted >= built, "seed " + seed + " arg " + arg + ": counted " + counted + " < built " + built);
        if (counted == built) exact++;
      }
    }
    // folding after differentiation (x - x, products of zeros) makes a few counts upper bounds
    assertTrue(exact >= 50, "exact counts: " + exact + " of 60");
  }

  @Test
  void equalsTheBuiltJacobianOfANetwork() {
    JacobianTest.Network net = JacobianTest.network(300, 600, 5, false);
    int built = Jacobian.of(net.g(), net.f(), 0).entries().size();
    assertEquals(built, JacobianSize.entries(net.f(), 0, NO_LIMIT));
  }

  @Test
  void aDenseProductAboveTheLimitIsCountedWithoutBuildingIt() {
    int n = 3000;
    Graph g = new Graph();
    Node w = g.input(1, 0, Shape.matrix(n, n));
    Node z = g.input(0, 0, Shape.vector(n));
    IrFunction f = new IrFunction("rhs", List.of(g.matmul(w, g.unary(dev.odec.ir.Op.TANH, z))), n, n * n);
    assertEquals((long) n * n, JacobianSize.entries(f, 0, NO_LIMIT));
    assertTrue(JacobianSize.entries(f, 0, 1_000_000) > 1_000_000);
  }

  @Test
  void constantZerosInAMatrixLeaveTheirColumnsOut() {
    Graph g = new Graph();
    double[] tri = new double[16];
    for (int i = 0; i < 4; i++) for (int j = 0; j <= i; j++) tri[i * 4 + j] = 1 + i + j;
    Node a = g.constant(Shape.matrix(4, 4), tri);
    Node z = g.input(0, 0, Shape.vector(4));
    IrFunction f = new IrFunction("rhs", List.of(g.matmul(a, z)), 4, 0);
    assertEquals(10, Jacobian.of(g, f, 0).entries().size());
    assertEquals(10, JacobianSize.entries(f, 0, NO_LIMIT));
  }
}
