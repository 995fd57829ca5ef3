package dev.odec.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.odec.ir.Graph;
import dev.odec.ir.InfixPrinter;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** InfixPrinter and Jacobian.print on Lotka–Volterra built by hand. */
class PrintTest {
  static final List<String> STATES = List.of("prey", "pred");
  static final List<String> PARAMS = List.of("alpha", "beta", "delta", "gamma");

  static final class LotkaVolterra {
    final Graph g = new Graph();
    final Node prey = g.input(0, 0, Shape.SCALAR);
    final Node pred = g.input(0, 1, Shape.SCALAR);
    final Node alpha = g.input(1, 0, Shape.SCALAR);
    final Node beta = g.input(1, 1, Shape.SCALAR);
    final Node delta = g.input(1, 2, Shape.SCALAR);
    final Node gamma = g.input(1, 3, Shape.SCALAR);
    final Node dprey = g.sub(g.mul(alpha, prey), g.mul(g.mul(beta, prey), pred));
    final Node dpred = g.sub(g.mul(g.mul(delta, prey), pred), g.mul(gamma, pred));
    final IrFunction f = new IrFunction("lv", List.of(dprey, dpred), 2, 4);
  }

  static final Function<Node, String> NAMES =
      n -> (n.intAt(0) == 0 ? STATES : PARAMS).get(n.intAt(1));

  @Test
  void printsTheRightHandSide() {
    LotkaVolterra lv = new LotkaVolterra();
    assertEquals("alpha * prey - beta * prey * pred", InfixPrinter.print(lv.dprey, NAMES));
    assertEquals("delta * prey * pred - gamma * pred", InfixPrinter.print(lv.dpred, NAMES));
    assertEquals("p[1] * y[1] - p[2] * y[1] * y[2]",
        InfixPrinter.print(lv.dprey, null));
  }

  @Test
  void printsTheJacobian() {
    LotkaVolterra lv = new LotkaVolterra();
    Jacobian jy = Jacobian.of(lv.g, lv.f, 0);
    assertEquals("""
        d(prey)/d(prey) = alpha - pred * beta
        d(prey)/d(pred) = -beta * prey
        d(pred)/d(prey) = pred * delta
        d(pred)/d(pred) = delta * prey - gamma
        """, jy.print(STATES, STATES, NAMES));
    Jacobian jp = Jacobian.of(lv.g, lv.f, 1);
    assertEquals("""
        d(prey)/d(alpha) = prey
        d(prey)/d(beta) = -pred * prey
        d(pred)/d(delta) = pred * prey
        d(pred)/d(gamma) = -pred
        """, jp.print(STATES, PARAMS, NAMES));
    // without a naming function only the differentiated vector's inputs are named
    assertEquals("d(prey)/d(prey) = p[1] - pred * p[2]\n", jy.print(STATES, STATES).lines().findFirst().get() + "\n");
  }

  @Test
  void precedenceAndSpecialForms() {
    Graph g = new Graph();
    Node x = g.input(0, 0, Shape.SCALAR);
    Node y = g.input(0, 1, Shape.SCALAR);
    Node v = g.input(0, 0, Shape.vector(3));
    Node m = g.input(1, 0, Shape.matrix(2, 3));
    Function<Node, String> names = n -> n == x ? "x" : n == y ? "y" : n == v ? "v" : n == m ? "m" : null;
    assertEquals("-x ^ 2", InfixPrinter.print(g.neg(g.binary(Op.POW, x, g.constant(2))), names));
    assertEquals("(-x) ^ 2", InfixPrinter.print(g.binary(Op.POW, g.neg(x), g.constant(2)), names));
    assertEquals("x ^ y ^ 2", InfixPrinter.print(g.binary(Op.POW, x, g.binary(Op.POW, y, g.constant(2))), names));
    assertEquals("(x ^ y) ^ 2", InfixPrinter.print(g.binary(Op.POW, g.binary(Op.POW, x, y), g.constant(2)), names));
    assertEquals("x - (y - 1)", InfixPrinter.print(g.sub(x, g.sub(y, g.constant(1))), names));
    assertEquals("x - y", InfixPrinter.print(g.add(x, g.neg(y)), names));
    assertEquals("x / (y * 2.5)", InfixPrinter.print(g.div(x, g.mul(y, g.constant(2.5))), names));
    assertEquals("-(x + y)", InfixPrinter.print(g.neg(g.add(x, y)), names));
    assertEquals("if x > y then exp(x) else -2", InfixPrinter.print(
        g.select(g.binary(Op.GT, x, y), g.unary(Op.EXP, x), g.constant(-2)), names));
    assertEquals("max(x, y) * atan2(y, x)", InfixPrinter.print(
        g.mul(g.binary(Op.MAX, x, y), g.binary(Op.ATAN2, y, x)), names));
    assertEquals("sum(v) + v[2] + m[2, 3]", InfixPrinter.print(
        g.add(g.add(g.sum(v), g.element(v, 1)), g.element(m, 5)), names));
    assertEquals("transpose(m) @ [x, y]", InfixPrinter.print(g.matmul(Derivs.transpose(g, m), g.pack(List.of(x, y), Shape.vector(2))), names));
    assertEquals("not (x < y and y <= 1)", InfixPrinter.print(g.unary(Op.NOT,
        g.binary(Op.AND, g.binary(Op.LT, x, y), g.binary(Op.LE, y, g.constant(1)))), names));
    assertEquals("y[1:3] * y[2]", InfixPrinter.print(g.mul(v, y), null));
  }

  @Test
  void longSharedSubexpressionsAreBound() {
    Graph g = new Graph();
    Node x = g.input(0, 0, Shape.SCALAR);
    Node e = g.unary(Op.EXP, g.add(g.mul(g.unary(Op.SIN, x), g.unary(Op.COS, x)), g.unary(Op.TANH, g.mul(x, x))));
    Node s = e;
    for (int i = 0; i < 40; i++) s = g.mul(g.add(s, g.constant(1)), s); // would be 2^40 long inline
    String text = InfixPrinter.print(g.add(g.mul(e, x), g.div(e, x)), n -> "x");
    assertEquals("let v1 = exp(sin(x) * cos(x) + tanh(x * x)); v1 * x + v1 / x", text);
    String big = InfixPrinter.print(s, n -> "x");
    org.junit.jupiter.api.Assertions.assertTrue(big.length() < 10_000, big);
  }
}
