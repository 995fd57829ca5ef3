package dev.odec.solve;

/**
 * The coefficients of a stiffly accurate Rosenbrock method in the W-transformed form of
 * OrdinaryDiffEq.jl (Hairer &amp; Wanner, Solving ODEs II, IV.7, "implementation"), checked on
 * construction. With M = I − hγJ and u_i the transformed stages, one step reads
 *
 * <pre>
 *   U_i = y + Σ_{j&lt;i} a_ij u_j
 *   M u_i = hγ ( f(t + c_i h, U_i) + h d_i ∂f/∂t + Σ_{j&lt;i} (C_ij / h) u_j ),   i = 1..s
 *   y1  = U_s + u_s            (stiffly accurate: the last row of a is summed into y1)
 *   err = u_s                  (y1 − ŷ1, the embedded solution being ŷ1 = U_s)
 * </pre>
 *
 * and the continuous extension, with θ = (τ − t)/h and K_j = Σ_i H_ji u_i,
 *
 * <pre>
 *   u(t + θh) = (1 − θ) y + θ ( y1 + (1 − θ) (K_1 + θ (K_2 + θ K_3)) ).
 * </pre>
 *
 * <p>The transformed coefficients relate to the classical ones (α_ij, γ_ij, b_i of Hairer &amp;
 * Wanner) by Γ = (γ_ij), a = α Γ⁻¹, C = diag(1/γ) − Γ⁻¹, c_i = Σ_j α_ij, d_i = Σ_j γ_ij and
 * b = Γᵀ m with m the weights of y1 on the u_i. The constructor recovers Γ, α, b and the embedded
 * weights from (γ, a, C), and checks that c and d are the row sums of α and Γ and that both the
 * propagated and the embedded solution satisfy the Rosenbrock order conditions up to order 3
 * (Solving ODEs II, Table IV.7.1), which catches a mistyped coefficient.
 */
public final class RodasTableau {
  /** Tolerance of the consistency checks; the published coefficients carry about 16 digits. */
  static final double CHECK_TOLERANCE = 1e-10;

  public final String name;
  /** Order of y1. */
  public final int order;
  /** Order of the embedded solution (the controller's error scales as h^(embeddedOrder+1)). */
  public final int embeddedOrder;
  public final int stages;
  public final double gamma;
  /** a[i][j], j &lt; i (rows of length s, zero on and above the diagonal). */
  public final double[][] a;
  /** C[i][j], j &lt; i. */
  public final double[][] cMat;
  public final double[] c;
  public final double[] d;
  /** Weights of y1 on the transformed stages: the last row of a plus 1 on the last stage. */
  public final double[] m;
  /** Dense output rows H (3 × s). */
  public final double[][] h;

  RodasTableau(String name, int order, int embeddedOrder, double gamma, double[][] a,
      double[][] cMat, double[] c, double[] d, double[][] h) {
    int s = c.length;
    if (a.length != s || cMat.length != s || d.length != s || h.length != 3) {
      throw new IllegalArgumentException(name + ": inconsistent shapes");
    }
    for (int i = 0; i < s; i++) {
      if (a[i].length != s || cMat[i].length != s) {
        throw new IllegalArgumentException(name + ": row " + (i + 1) + " has the wrong length");
      }
      for (int j = i; j < s; j++) {
        if (a[i][j] != 0 || cMat[i][j] != 0) {
          throw new IllegalArgumentException(name + ": a and C must be strictly lower triangular");
        }
      }
    }
    for (double[] row : h) {
      if (row.length != s) {
        throw new IllegalArgumentException(name + ": a dense output row has the wrong length");
      }
    }
    this.name = name;
    this.order = order;
    this.embeddedOrder = embeddedOrder;
    this.stages = s;
    this.gamma = gamma;
    this.a = a;
    this.cMat = cMat;
    this.c = c;
    this.d = d;
    this.h = h;
    this.m = a[s - 1].clone();
    m[s - 1] = 1.0;
    validate();
  }

  private void validate() {
    int s = stages;
    // Γ⁻¹ = diag(1/γ) − C, lower triangular; Γ by forward substitution, column by column
    double[][] gInv = new double[s][s];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < i; j++) {
        gInv[i][j] = -cMat[i][j];
      }
      gInv[i][i] = 1.0 / gamma;
    }
    double[][] g = new double[s][s];
    for (int col = 0; col < s; col++) {
      for (int i = col; i < s; i++) {
        double acc = i == col ? 1.0 : 0.0;
        for (int j = col; j < i; j++) {
          acc -= gInv[i][j] * g[j][col];
        }
        g[i][col] = acc / gInv[i][i];
      }
    }
    double[][] alpha = new double[s][s];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < s; j++) {
        double acc = 0;
        for (int k = 0; k < s; k++) {
          acc += a[i][k] * g[k][j];
        }
        alpha[i][j] = acc;
      }
    }
    for (int i = 0; i < s; i++) {
      double ci = 0;
      double di = 0;
      for (int j = 0; j < s; j++) {
        ci += alpha[i][j];
        di += g[i][j];
      }
      check(ci, c[i], "c_" + (i + 1) + " = Σ_j α_ij");
      check(di, d[i], "d_" + (i + 1) + " = Σ_j γ_ij");
    }
    double[] mHat = a[s - 1].clone();
    checkOrderConditions(g, alpha, m, "y1", Math.min(order, 3));
    checkOrderConditions(g, alpha, mHat, "the embedded solution", Math.min(embeddedOrder, 3));
  }

  /** The conditions of orders 1..p (p ≤ 3) for weights b = Γᵀ w (Solving ODEs II, IV.7). */
  private void checkOrderConditions(double[][] g, double[][] alpha, double[] w, String what,
      int p) {
    int s = stages;
    double[] b = new double[s];
    for (int j = 0; j < s; j++) {
      for (int i = 0; i < s; i++) {
        b[j] += w[i] * g[i][j];
      }
    }
    // β_ij = α_ij + γ_ij (j < i); β'_i = Σ_{j<i} β_ij
    double[] betaP = new double[s];
    double[] alphaI = new double[s];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < i; j++) {
        betaP[i] += alpha[i][j] + g[i][j];
        alphaI[i] += alpha[i][j];
      }
    }
    double gm = gamma;
    double sum1 = 0;
    double sum2 = 0;
    double sum3a = 0;
    double sum3b = 0;
    for (int i = 0; i < s; i++) {
      sum1 += b[i];
      sum2 += b[i] * betaP[i];
      sum3a += b[i] * alphaI[i] * alphaI[i];
      double inner = 0;
      for (int k = 0; k < i; k++) {
        inner += (alpha[i][k] + g[i][k]) * betaP[k];
      }
      sum3b += b[i] * inner;
    }
    check(sum1, 1.0, what + ": Σ b_i = 1");
    if (p >= 2) {
      check(sum2, 0.5 - gm, what + ": Σ b_i β'_i = 1/2 − γ");
    }
    if (p >= 3) {
      check(sum3a, 1.0 / 3.0, what + ": Σ b_i α_i² = 1/3");
      check(sum3b, 1.0 / 6.0 - gm + gm * gm, what + ": Σ b_i β_ik β'_k = 1/6 − γ + γ²");
    }
  }

  private void check(double got, double want, String what) {
    if (!(Math.abs(got - want) <= CHECK_TOLERANCE * Math.max(1.0, Math.abs(want)))) {
      throw new IllegalArgumentException(
          name + ": " + what + " fails (" + got + " instead of " + want + ")");
    }
  }

  /**
   * Rodas5P: Steinebach, "Construction of Rosenbrock–Wanner method Rodas5P and numerical
   * benchmarks within the Julia Differential Equations package", BIT Numerical Mathematics 63
   * (2023) 27. Order 5 with an embedded solution of order 4, 8 stages, stiffly accurate
   * (y1 = U_8 + u_8), L-stable, with a continuous extension of order 4. The coefficients are
   * those of OrdinaryDiffEq.jl's {@code Rodas5PTableau} (lib/OrdinaryDiffEqRosenbrock/src/
   * rosenbrock_tableaus.jl), which gives the method in the transformed form used here.
   */
  public static final RodasTableau RODAS5P = new RodasTableau("Rodas5P", 5, 4, 0.21193756319429014,
      new double[][] {
        {0, 0, 0, 0, 0, 0, 0, 0},
        {3.0, 0, 0, 0, 0, 0, 0, 0},
        {2.849394379747939, 0.45842242204463923, 0, 0, 0, 0, 0, 0},
        {-6.954028509809101, 2.489845061869568, -10.358996098473584, 0, 0, 0, 0, 0},
        {2.8029986275628964, 0.5072464736228206, -0.3988312541770524, -0.04721187230404641,
          0, 0, 0, 0},
        {-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256,
          0.030198172008377946, 0, 0, 0},
        {-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256,
          0.030198172008377946, 1, 0, 0},
        {-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256,
          0.030198172008377946, 1, 1, 0},
      },
      new double[][] {
        {0, 0, 0, 0, 0, 0, 0, 0},
        {-14.155112264123755, 0, 0, 0, 0, 0, 0, 0},
        {-17.97296035885952, -2.859693295451294, 0, 0, 0, 0, 0, 0},
        {147.12150275711716, -1.41221402718213, 71.68940251302358, 0, 0, 0, 0, 0},
        {165.43517024871676, -0.4592823456491126, 42.90938336958603, -5.961986721573306,
          0, 0, 0, 0},
        {24.854864614690072, -3.0009227002832186, 47.4931110020768, 5.5814197821558125,
          -0.6610691825249471, 0, 0, 0},
        {30.91273214028599, -3.1208243349937974, 77.79954646070892, 34.28646028294783,
          -19.097331116725623, -28.087943162872662, 0, 0},
        {37.80277123390563, -3.2571969029072276, 112.26918849496327, 66.9347231244047,
          -40.06618937091002, -54.66780262877968, -9.48861652309627, 0},
      },
      new double[] {0, 0.6358126895828704, 0.4095798393397535, 0.9769306725060716,
        0.4288403609558664, 1, 1, 1},
      new double[] {0.21193756319429014, -0.42387512638858027, -0.3384627126235924,
        1.8046452872882734, 2.325825639765069, 0, 0, 0},
      new double[][] {
        {25.948786856663858, -2.5579724845846235, 10.433815404888879, -2.3679251022685204,
          0.524948541321073, 1.1241088310450404, 0.4272876194431874, -0.17202221070155493},
        {-9.91568850695171, -0.9689944594115154, 3.0438037242978453, -24.495224566215796,
          20.176138334709044, 15.98066361424651, -6.789040303419874, -6.710236069923372},
        {11.419903575922262, 2.8879645146136994, 72.92137995996029, 80.12511834622643,
          -52.072871366152654, -59.78993625266729, -0.15582684282751913, 4.883087185713722},
      });
}
