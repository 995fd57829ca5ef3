package dev.odec.sema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.ir.Node;
import dev.odec.ir.OdeSystem;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrontendTest {
  private static final double TOL = 1e-14;

  @Test
  void lotkaVolterraLowersToTheRightEquations() throws IOException {
    OdeSystem s = Models.compile(Files.readString(Path.of("examples/lotka_volterra.ode")));
    assertEquals("lotka_volterra", s.name());
    assertEquals(List.of("prey", "pred"), s.stateComponentNames());
    assertEquals(5, s.paramSize());
    double[] p = {1.5, 1.0, 3.0, 1.0, 0.1};
    double[] y = {0.7, 1.3};
    double[] dy = Models.eval(s.rhs(), 0.0, y, p);
    assertEquals(1.5 * 0.7 - 1.0 * 0.7 * 1.3, dy[0], TOL);
    assertEquals(3.0 * 0.7 * 1.3 - 1.0 * 1.3, dy[1], TOL);
    assertArrayEquals(new double[] {1.0, 1.0}, Models.eval(s.initial(), 0, y, p));
    assertEquals(List.of("prey_obs", "pred_obs"), s.derivedNames());
  }

  @Test
  void commonSubexpressionsAreSharedAndConstantsFolded() {
    OdeSystem s = Models.compile("""
        param k = 2
        state x = 1
        state y = 1
        d(x)/dt = (k*x + 1) * (2*3) + exp(k*x + 1)
        d(y)/dt = (k*x + 1) / y
        """);
    long muls = s.rhs().schedule().stream().filter(n -> n.op == Op.MUL).count();
    long adds = s.rhs().schedule().stream().filter(n -> n.op == Op.ADD).count();
    // k*x once; (k*x+1)*6 once; the sum of the two terms once
    assertEquals(2, muls);
    assertEquals(2, adds);
    assertTrue(s.rhs().schedule().stream().anyMatch(n -> n.isConstValue(6.0)), "2*3 folded to 6");
  }

  @Test
  void reactionsExpandWithStoichiometry() {
    OdeSystem s = Models.compile("""
        param k1 = 0.5
        param k2 = 0.25
        state A = 3
        state B = 2
        state C = 0
        reaction r1: 2 A + B -> C : k1 * A^2 * B
        reaction C <-> A : k2 * C - 0.1 * A
        reaction 0 -> B : 1.5
        reaction B -> 0 : 0.2 * B
        """);
    double[] y = {3, 2, 0.5};
    double[] p = {0.5, 0.25};
    double[] dy = Models.eval(s.rhs(), 0, y, p);
    double v1 = 0.5 * 9 * 2;
    double v2 = 0.25 * 0.5 - 0.1 * 3;
    assertEquals(-2 * v1 + v2, dy[0], TOL);
    assertEquals(-v1 + 1.5 - 0.2 * 2, dy[1], TOL);
    assertEquals(v1 - v2, dy[2], TOL);
  }

  @Test
  void letsFnsAndDeclarationOrderDoNotMatter() {
    OdeSystem s = Models.compile("""
        d(x)/dt = -rate2(x) + bump
        let bump = sq(t) * c
        fn sq(u) = u * u
        fn rate2(u) = k * sq(u)
        const c = 0.5
        param k = 3
        state x = 2 * c
        """);
    double[] dy = Models.eval(s.rhs(), 2.0, new double[] {1.5}, new double[] {3, 0.5});
    assertEquals(-3 * 2.25 + 4 * 0.5, dy[0], TOL);
    assertEquals(1.0, Models.eval(s.initial(), 0, new double[1], new double[] {3, 0.5})[0], TOL);
  }

  @Test
  void vectorsMatricesIndexingAndSlices() {
    OdeSystem s = Models.compile("""
        param W: real[2, 3] = [[1, 2, 3], [4, 5, 6]]
        param b: real[2] = [0.5, -0.5]
        state z: real[3] = [1, 2, 3]
        state u: real[2] = 0
        let h = W @ z + b
        d(z)/dt = concat(h[2], z[1:2]) * 2
        d(u)/dt = transpose(W)[3, :] - [sum(z), dot(z, z)] + length(z) + W[2, 1:2]
        """);
    assertEquals(new Shape(new int[] {3}), s.states().get(0).shape());
    double[] p = {1, 2, 3, 4, 5, 6, 0.5, -0.5};
    double[] y = {1, 2, 3, 0, 0};
    double[] dy = Models.eval(s.rhs(), 0, y, p);
    double h2 = 4 + 10 + 18 - 0.5;
    assertArrayEquals(new double[] {2 * h2, 2, 4}, java.util.Arrays.copyOf(dy, 3), TOL);
    // transpose(W)[3, :] = W[:, 3] = [3, 6]; W[2, 1:2] = [4, 5]
    assertEquals(3 - 6 + 3 + 4, dy[3], TOL);
    assertEquals(6 - 14 + 3 + 5, dy[4], TOL);
    assertArrayEquals(new double[] {1, 2, 3, 0, 0}, Models.eval(s.initial(), 0, y, p), TOL);
  }

  @Test
  void operatorPrecedenceFollowsTheSpec() {
    OdeSystem s = Models.compile("""
        state x = 1
        let a = -2^2            # -(2^2)
        let b = 2^3^2           # 2^(3^2), right associative
        let c = 1 + 2 * 3 - 4 / 2
        let d = if 1 < 2 and not 3 < 2 or 0 then 10 else 20
        let e = 2^-1
        d(x)/dt = 0
        """);
    double[] v = Models.eval(s.derived(), 0, new double[] {1}, new double[0]);
    assertArrayEquals(new double[] {-4, 512, 5, 10, 0.5}, v, TOL);
  }

  @Test
  void stdlibAndRelativeImports(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("helpers.ode"), "fn twice(x) = 2 * x\nconst half = 0.5\n");
    Path model = dir.resolve("m.ode");
    String text = """
        import kinetics
        import "helpers.ode"
        param Vmax = 2
        state S = 4
        d(S)/dt = -twice(michaelis_menten(S, Vmax, half))
        """;
    OdeSystem s = Models.compile(text, model);
    assertEquals(1, s.consts().size());
    double[] dy = Models.eval(s.rhs(), 0, new double[] {4}, new double[] {2, 0.5});
    assertEquals(-2 * (2 * 4 / (0.5 + 4)), dy[0], TOL);
  }

  @Test
  void clashingImportsNameBothModules(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.ode"), "fn f(x) = x\n");
    Files.writeString(dir.resolve("b.ode"), "fn f(x) = 2 * x\n");
    Path model = dir.resolve("m.ode");
    String text = "import \"a.ode\"\nimport \"b.ode\"\nstate x = 1\nd(x)/dt = f(x)\n";
    Files.writeString(model, text);
    var r = Frontend.compile(model);
    assertTrue(r.diagnostics().hasErrors());
    String msg = r.diagnostics().sorted().get(0).message();
    assertTrue(msg.contains("'a.ode'") && msg.contains("'b.ode'"), msg);
    // a local declaration shadows both and resolves the clash
    Files.writeString(model, text + "fn f(x) = 3 * x\n");
    assertTrue(Frontend.compile(model).ok());
  }

  @Test
  void paramDefaultsMayUseOtherParamsInAnyOrder() {
    OdeSystem s = Models.compile("""
        param a = 2 * b
        param b = c + 1
        const c = 3
        state x = a
        d(x)/dt = -x
        """);
    List<String> order = java.util.Arrays.stream(s.defaultOrder()).mapToObj(i -> s.pVars().get(i).name()).toList();
    assertTrue(order.indexOf("c") < order.indexOf("b") && order.indexOf("b") < order.indexOf("a"), order.toString());
  }

  @Test
  void everyErrorOfAFileIsReportedInOneRun() {
    String errs = Models.errors("""
        state x = 1
        state y = 2
        d(x)/dt = foo
        d(y)/dt = bar + x
        param s = 1 in [-1, 1] scale log10
        """);
    assertEquals(3, errs.lines().count(), errs);
  }

  @Test
  void inputsAreLaidOutParamsThenConsts() {
    OdeSystem s = Models.compile("""
        const N = 3
        param k = 1
        param v: real[N] = 0
        state z: real[N] = v
        d(z)/dt = -k * z
        """);
    assertEquals(List.of("k", "v", "N"), s.pVars().stream().map(OdeSystem.Var::name).toList());
    assertEquals(List.of(0, 1, 4), s.pVars().stream().map(OdeSystem.Var::offset).toList());
    assertTrue(s.structuralConsts().contains("N"));
    Node init = s.initial().outputs().get(0);
    assertEquals(Op.INPUT, init.op, "the initial value flows from the param v");
  }
}
