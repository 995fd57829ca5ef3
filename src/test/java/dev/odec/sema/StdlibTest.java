package dev.odec.sema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.odec.ir.OdeSystem;
import org.junit.jupiter.api.Test;

/** Each stdlib module, compiled from its .ode source and checked against the formulas by hand. */
class StdlibTest {
  private static final double TOL = 1e-13;

  private static double[] lets(String imports, String lets) {
    OdeSystem s = Models.compile(imports + "\nstate x = 1\nd(x)/dt = 0\n" + lets);
    return Models.eval(s.derived(), 0.3, new double[] {1}, new double[0]);
  }

  @Test
  void kinetics() {
    double[] v = lets("import kinetics", """
        let a = michaelis_menten(3, 2, 1.5)
        let b = hill(2, 1.5, 3)
        let c = hill_repression(2, 1.5, 3)
        let d = mass_action2(0.5, 2, 3)
        let e = competitive_inhibition(3, 1, 2, 1.5, 0.5)
        let f = reversible_michaelis_menten(3, 1, 2, 1, 1.5, 0.5)
        let g = reversible_mass_action(2, 1, 3, 4)
        let h = mass_action3(2, 1, 3, 4) + mass_action(2, 5)
        """);
    assertEquals(2 * 3 / (1.5 + 3), v[0], TOL);
    assertEquals(8 / (3.375 + 8), v[1], TOL);
    assertEquals(3.375 / (3.375 + 8), v[2], TOL);
    assertEquals(3.0, v[3], TOL);
    assertEquals(2 * 3 / (1.5 * (1 + 2) + 3), v[4], TOL);
    assertEquals((2 * 3 / 1.5 - 1 * 1 / 0.5) / (1 + 2 + 2), v[5], TOL);
    assertEquals(2.0, v[6], TOL);
    assertEquals(34.0, v[7], TOL);
  }

  @Test
  void nn() {
    double[] v = lets("import nn", """
        let y = dense([[1, 2], [3, 4]], [0.5, -0.5], [1, -1])
        let z = dense_tanh([[1, 0], [0, 1]], [0, 0], [0.5, -2])
        let s = swish(1.5) + gelu(0.7) + elu(-1) + leaky_relu(-2, 0.1) + sqnorm([3, 4])
        let r = dense_relu([[1, 0], [0, 1]], [0, 0], [0.5, -2])
        """);
    assertArrayEquals(new double[] {-0.5, -1.5}, new double[] {v[0], v[1]}, TOL);
    assertArrayEquals(new double[] {Math.tanh(0.5), Math.tanh(-2)}, new double[] {v[2], v[3]}, TOL);
    double gelu = 0.5 * 0.7 * (1 + dev.odec.ir.Scalar.erf(0.7 / Math.sqrt(2)));
    assertEquals(1.5 / (1 + Math.exp(-1.5)) + gelu + (Math.exp(-1) - 1) - 0.2 + 25, v[4], TOL);
    assertArrayEquals(new double[] {0.5, 0}, new double[] {v[5], v[6]}, TOL);
  }

  @Test
  void pk() {
    double[] v = lets("import pk", """
        let a = elimination(2, 4, 8) + absorption(0.5, 6) + concentration(8, 4)
        let b = saturable_elimination(10, 2, 4, 8)
        let c = distribution(3, 4, 8, 2, 1)
        let d = infusion(5, 1, t) + infusion(5, 0.1, t)
        """);
    assertEquals(4 + 3 + 2, v[0], TOL);
    assertEquals(10 * 2 / (2 + 2), v[1], TOL);
    assertEquals(3 * (2 - 0.5), v[2], TOL);
    assertEquals(5, v[3], TOL);
  }
}
