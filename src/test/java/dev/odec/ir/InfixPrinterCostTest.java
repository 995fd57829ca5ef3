package dev.odec.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.ad.Jacobian;
import dev.odec.ad.Scalarize;
import dev.odec.codegen.RandomGraphs;
import dev.odec.sema.Frontend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The printer's measuring mode: it computes exactly the length of what {@link InfixPrinter#print}
 * returns (on every example's Jacobian entries and equations, and on random graphs over every op),
 * and the characters built on the way grow with the square of a chain's length, which is what
 * lets {@code compile --emit} refuse a print too large to build.
 */
class InfixPrinterCostTest {
  private static void check(Node n) {
    String printed = InfixPrinter.print(n, null);
    assertEquals(printed.length(), InfixPrinter.length(n, null), printed);
    assertTrue(InfixPrinter.cost(n, null) >= printed.length());
  }

  @Test
  void measuresExactlyWhatIsPrintedOnEveryExample() throws IOException {
    List<Path> models;
    try (var s = Files.walk(Path.of("examples"))) {
      models = s.filter(p -> p.toString().endsWith(".ode")).sorted().toList();
    }
    for (Path p : models) {
      OdeSystem sys = Frontend.compile(p).system();
      Graph g = sys.graph().fork();
      for (Jacobian.Entry e : Jacobian.of(g, sys.rhs(), 0).entries()) check(e.value());
      for (Node out : sys.rhs().outputs()) for (Node e : Scalarize.elements(g, out)) check(e);
    }
  }

  @Test
  void measuresExactlyWhatIsPrintedOnRandomGraphs() {
    for (long seed = 1; seed <= 40; seed++) {
      IrFunction f = RandomGraphs.function(seed, seed % 2 == 0 ? RandomGraphs.Config.small(30) : RandomGraphs.Config.mixed(30));
      for (Node out : f.outputs()) check(out);
    }
  }

  @Test
  void aChainCostsTheSquareOfItsLength() {
    Graph g = new Graph();
    List<Long> costs = new ArrayList<>();
    for (int terms : new int[] {1000, 2000, 4000}) {
      Node sum = g.constant(0.0);
      for (int i = 0; i < terms; i++) sum = g.add(sum, g.mul(g.input(0, i, Shape.SCALAR), g.input(1, i, Shape.SCALAR)));
      costs.add(InfixPrinter.cost(sum, null));
    }
    double ratio = costs.get(2) / (double) costs.get(1);
    assertTrue(ratio > 3.8 && ratio < 4.2, "doubling the chain: " + costs);
  }
}
