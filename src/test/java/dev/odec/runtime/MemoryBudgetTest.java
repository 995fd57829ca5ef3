package dev.odec.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The size checks: the Jacobian's entries against a limit, bytes against a budget, messages with both. */
class MemoryBudgetTest {
  /** z' = -z + sum(z): every state depends on every other, so the Jacobian is dense, n² entries. */
  private static IrFunction dense(int n) {
    Graph g = new Graph();
    Node z = g.input(0, 0, Shape.vector(n));
    return new IrFunction("rhs", List.of(g.add(g.neg(z), g.sum(z))), n, 0);
  }

  @Test
  void aJacobianAboveTheLimitIsRefusedWithItsSizeAndTheAlternative() {
    IrFunction f = dense(100);
    assertDoesNotThrow(() -> MemoryBudget.checkJacobian(f, "the Jacobian", "do something else", 10_000));
    InputError e = assertThrows(InputError.class,
        () -> MemoryBudget.checkJacobian(f, "the Jacobian", "do something else", 9_999));
    assertEquals(InputError.Kind.USAGE, e.kind());
    assertTrue(e.getMessage().startsWith("the Jacobian would have about 10,000 structurally non-zero entries "
        + "(dense of 100 x 100; about 9.5 MB to generate), more than the 9,999 odec builds here; do something else"),
        e.getMessage());
    // a diagonal one of the same size passes a limit far below n²
    Graph g = new Graph();
    Node z = g.input(0, 0, Shape.vector(100));
    IrFunction diag = new IrFunction("rhs", List.of(g.unary(Op.EXP, z)), 100, 0);
    assertDoesNotThrow(() -> MemoryBudget.checkJacobian(diag, "the Jacobian", "-", 100));
  }

  @Test
  void bytesAboveTheBudgetAreRefusedWithBothSizes() {
    assertDoesNotThrow(() -> MemoryBudget.require(1000, "x", "y", 1000));
    InputError e = assertThrows(InputError.class, () -> MemoryBudget.require(3L << 30, "the thing", "use less", 1L << 29));
    assertEquals("the thing would need about 3.0 GB, more than the 512.0 MB odec may use for it (half of this Java "
        + "heap); use less", e.getMessage());
  }

  @Test
  void estimatesOfAbsurdSizesSaturateInsteadOfWrapping() {
    assertEquals(Long.MAX_VALUE, MemoryBudget.product(1L << 40, 1L << 40));
    assertEquals(24, MemoryBudget.product(2, 3, 4));
    assertEquals(0, MemoryBudget.product(0, Long.MAX_VALUE, Long.MAX_VALUE));
  }
}
