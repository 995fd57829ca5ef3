package dev.odec.solve;

import java.util.Arrays;

/**
 * The Butcher tableau of an explicit Runge–Kutta method together with its embedded error
 * estimator and its continuous extension (dense output). Tableaus are plain data, checked on
 * construction.
 *
 * <p>One step from (t, y) with step h computes the stages
 *
 * <pre>
 *   k_i = f(t + c_i h, y + h Σ_{j&lt;i} a_ij k_j),   i = 1..s
 *   y1  = y + h Σ_i b_i k_i
 *   err = h Σ_i e_i k_i                          (e = b − b̂, the embedded pair)
 * </pre>
 *
 * <p><b>Derivative slots.</b> The solver keeps one derivative vector per <em>slot</em>: slots
 * 0..s−1 hold the stages; the <em>end slot</em> holds f(t + h, y1), which becomes k_1 of the next
 * step. For an FSAL ("first same as last") method the last stage already is f(t + h, y1) (its row
 * of A equals b), so the end slot is s−1; otherwise it is an extra slot s, evaluated after the
 * step is accepted. Slots after the end slot are extra stages needed only by the dense output
 * (DOP853 has three), evaluated lazily with rows {@link #extraA} that may refer to every earlier
 * slot.
 *
 * <p><b>Dense output.</b> Within a step, with θ = (τ − t)/h ∈ [0, 1],
 *
 * <pre>
 *   u(t + θh) = y + h Σ_slots b_p(θ) k_p,     b_p(θ) = Σ_{q=1..Q} dense[p][q−1] θ^q
 * </pre>
 *
 * so {@link #dense} holds, per slot, the coefficients of its weight polynomial. Validation
 * checks b_p(1) = b_p, so the interpolant is continuous across steps.
 */
public final class Tableau {
  /** Tolerance of the consistency checks (row sums, weight sums, interpolant at θ = 1). */
  static final double CHECK_TOLERANCE = 1e-14;

  /** A name for messages. */
  public final String name;
  /** Order of the propagated solution y1. */
  public final int order;
  /**
   * The exponent with which the controller's error measure scales with h (order of the error
   * estimate plus one for a local error per step); 0 for methods without an error estimator.
   */
  public final int errorExponent;
  /** Order of the dense output u(t + θh) as an approximation of the exact solution. */
  public final int denseOrder;
  /** Number of stages s evaluated per step attempt (stage 1 is reused from the previous step). */
  public final int stages;
  /** Whether the last stage is f(t + h, y1). */
  public final boolean fsal;
  /** Nodes c of the s stages. */
  public final double[] c;
  /** Rows of A: {@code a[i]} has length i (strictly lower triangular). */
  public final double[][] a;
  /** Weights b of the propagated solution (length s). */
  public final double[] b;
  /** Error weights e = b − b̂ (length s), or null for a method without error estimator. */
  public final double[] e;
  /**
   * Second error weights (length s) for DOP853's combined estimator, or null. When present the
   * error measure is ‖E5‖² / sqrt(‖E5‖² + 0.01 ‖E3‖²) with E5 from {@link #e} and E3 from this.
   */
  public final double[] e2;
  /** Nodes of the dense-output-only extra stages. */
  public final double[] extraC;
  /** Rows of the extra stages, each of length (its slot index), over all earlier slots. */
  public final double[][] extraA;
  /** Dense output weight polynomials, {@code dense[slot][q-1]} is the coefficient of θ^q. */
  public final double[][] dense;

  /**
   * Builds and validates a tableau.
   *
   * @throws IllegalArgumentException when the data are inconsistent
   */
  public Tableau(
      String name,
      int order,
      int errorExponent,
      int denseOrder,
      boolean fsal,
      double[] c,
      double[][] a,
      double[] b,
      double[] e,
      double[] e2,
      double[] extraC,
      double[][] extraA,
      double[][] dense) {
    this.name = name;
    this.order = order;
    this.errorExponent = errorExponent;
    this.denseOrder = denseOrder;
    this.fsal = fsal;
    this.stages = c.length;
    this.c = c.clone();
    this.a = deepClone(a);
    this.b = b.clone();
    this.e = e == null ? null : e.clone();
    this.e2 = e2 == null ? null : e2.clone();
    this.extraC = extraC == null ? new double[0] : extraC.clone();
    this.extraA = extraA == null ? new double[0][] : deepClone(extraA);
    this.dense = deepClone(dense);
    validate();
  }

  /** The slot holding f(t + h, y1). */
  public int endSlot() {
    return fsal ? stages - 1 : stages;
  }

  /** The number of derivative slots: stages, end slot (if separate) and extra stages. */
  public int slots() {
    return endSlot() + 1 + extraC.length;
  }

  private void validate() {
    int s = stages;
    require(s >= 1, "it has no stages");
    require(a.length == s, "A has " + a.length + " rows but there are " + s + " stages");
    require(b.length == s, "b has length " + b.length + " but there are " + s + " stages");
    require(c[0] == 0.0, "c_1 is not 0");
    for (int i = 0; i < s; i++) {
      require(a[i].length == i, "row " + (i + 1) + " of A must have " + i + " entries");
      checkRowSum(a[i], c[i], "row " + (i + 1) + " of A");
    }
    checkSum(b, 1.0, "the weights b");
    if (e != null) {
      require(e.length == s, "the error weights have the wrong length");
      checkSum(e, 0.0, "the error weights");
    }
    if (e2 != null) {
      require(e != null && e2.length == s, "the second error weights need first error weights");
      checkSum(e2, 0.0, "the second error weights");
    }
    require((e == null) == (errorExponent == 0), "error weights and error exponent disagree");
    if (fsal) {
      require(c[s - 1] == 1.0, "an FSAL method needs c_s = 1");
      require(b[s - 1] == 0.0, "an FSAL method needs b_s = 0");
      for (int j = 0; j < s - 1; j++) {
        require(a[s - 1][j] == b[j], "an FSAL method needs the last row of A to equal b");
      }
    }
    require(extraA.length == extraC.length, "extra stages: c and A disagree");
    int first = endSlot() + 1;
    for (int x = 0; x < extraC.length; x++) {
      require(extraA[x].length == first + x, "extra stage " + (x + 1) + " has the wrong row length");
      checkRowSum(extraA[x], extraC[x], "extra stage " + (x + 1));
    }
    require(dense.length == slots(), "the dense output needs one row per slot (" + slots() + ")");
    for (int p = 0; p < dense.length; p++) {
      double at1 = 0;
      for (double coef : dense[p]) {
        at1 += coef;
      }
      double want = p < s ? b[p] : 0.0;
      require(
          Math.abs(at1 - want) <= 1e2 * CHECK_TOLERANCE * Math.max(1, maxAbs(dense[p])),
          "the dense output weight of slot " + (p + 1) + " at theta = 1 is " + at1
              + " instead of " + want);
    }
  }

  private void checkRowSum(double[] row, double want, String what) {
    double sum = 0;
    for (double v : row) {
      sum += v;
    }
    // Coefficients of high-order methods reach ~50 in size; scale the rounding allowance.
    double tol = CHECK_TOLERANCE * Math.max(1, maxAbs(row));
    require(Math.abs(sum - want) <= tol, what + " sums to " + sum + " instead of c = " + want);
  }

  private void checkSum(double[] w, double want, String what) {
    double sum = 0;
    for (double v : w) {
      sum += v;
    }
    double tol = CHECK_TOLERANCE * Math.max(1, maxAbs(w));
    require(Math.abs(sum - want) <= tol, what + " sum to " + sum + " instead of " + want);
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private void require(boolean ok, String why) {
    if (!ok) {
      throw new IllegalArgumentException("invalid Runge-Kutta tableau " + name + ": " + why);
    }
  }

  private static double[][] deepClone(double[][] m) {
    double[][] r = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      r[i] = m[i].clone();
    }
    return r;
  }

  @Override
  public String toString() {
    return name + " (order " + order + ", " + stages + " stages, c = " + Arrays.toString(c) + ")";
  }

  // ---------------------------------------------------------------------------------------------
  // Dense output constructions

  /**
   * Cubic Hermite interpolation through (y, f(t, y)) and (y1, f(t + h, y1)):
   * u(θ) = h00 y + h10 h k_1 + h01 y1 + h11 h k_end with h00 = 1 − 3θ² + 2θ³, h10 = θ − 2θ² + θ³,
   * h01 = 3θ² − 2θ³, h11 = −θ² + θ³. Since y1 = y + h Σ b_i k_i and h00 + h01 = 1, the slot
   * weights are b_p(θ) = h10 δ_{p,1} + h01 b_p + h11 δ_{p,end}. Third order for methods of order at
   * least 3.
   */
  static double[][] hermite(double[] b, int endSlot, int slots) {
    double[][] d = new double[slots][3];
    d[0][0] += 1;
    d[0][1] += -2;
    d[0][2] += 1;
    for (int p = 0; p < b.length; p++) {
      d[p][1] += 3 * b[p];
      d[p][2] += -2 * b[p];
    }
    d[endSlot][1] += -1;
    d[endSlot][2] += 1;
    return d;
  }

  /**
   * Expands Hairer's nested continuous extension (DOPRI5's CONTD5, DOP853's CONTD8; Hairer,
   * Nørsett &amp; Wanner, Solving ODEs I, 2nd ed., II.6)
   *
   * <pre>
   *   u(θ) = r1 + θ(r2 + (1−θ)(r3 + θ(r4 + (1−θ)(r5 + θ(r6 + (1−θ)(r7 + θ r8))))))
   *   r1 = y, r2 = y1 − y, r3 = h k_1 − r2, r4 = r2 − h k_end − r3,  r5.. = h Σ d_p k_p
   * </pre>
   *
   * into slot weight polynomials. r2 = h Σ b k, r3 = h(k_1 − Σ b k), r4 = h(2 Σ b k − k_1 −
   * k_end), so every r_j is h times a slot vector; r_j multiplies the basis polynomial θ, θ(1−θ),
   * θ²(1−θ), θ²(1−θ)², ... (alternately one more factor of (1−θ) and of θ).
   */
  static double[][] hairerNested(double[] b, int endSlot, int slots, double[]... d) {
    int terms = 3 + d.length; // r2, r3, r4, r5...
    double[][] r = new double[terms][slots];
    for (int p = 0; p < b.length; p++) {
      r[0][p] = b[p];
      r[1][p] = -b[p];
      r[2][p] = 2 * b[p];
    }
    r[1][0] += 1;
    r[2][0] -= 1;
    r[2][endSlot] -= 1;
    for (int j = 0; j < d.length; j++) {
      System.arraycopy(d[j], 0, r[3 + j], 0, d[j].length);
    }
    int degree = 1 + (terms - 1); // each further term raises the degree by one
    double[][] out = new double[slots][degree];
    double[] basis = {0, 1}; // coefficients of θ^0, θ^1: the polynomial θ
    for (int j = 0; j < terms; j++) {
      for (int p = 0; p < slots; p++) {
        for (int q = 1; q < basis.length; q++) {
          out[p][q - 1] += r[j][p] * basis[q];
        }
      }
      basis = (j % 2 == 0) ? times(basis, 1, -1) : times(basis, 0, 1);
    }
    return out;
  }

  /** Polynomial product of {@code poly} (coefficients by ascending power) with (c0 + c1 θ). */
  private static double[] times(double[] poly, double c0, double c1) {
    double[] r = new double[poly.length + 1];
    for (int q = 0; q < poly.length; q++) {
      r[q] += c0 * poly[q];
      r[q + 1] += c1 * poly[q];
    }
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // The methods

  /** The tableau of {@code method}. */
  public static Tableau of(Method method) {
    switch (method) {
      case EULER:
        return EULER;
      case MIDPOINT:
        return MIDPOINT;
      case RK4:
        return RK4;
      case BS3:
        return BS3;
      case DOPRI5:
        return DOPRI5;
      case TSIT5:
        return TSIT5;
      case DOP853:
        return DOP853;
      default:
        throw new IllegalArgumentException("no explicit Runge-Kutta tableau for " + method.text);
    }
  }

  /** Forward Euler: y1 = y + h f(t, y). Not FSAL; the end slot is slot 1. */
  public static final Tableau EULER;
  /** Explicit midpoint rule (Runge 1895): k2 = f(t + h/2, y + h/2 k1), y1 = y + h k2. */
  public static final Tableau MIDPOINT;
  /** Classical Runge–Kutta (Kutta 1901), c = (0, 1/2, 1/2, 1), b = (1/6, 1/3, 1/3, 1/6). */
  public static final Tableau RK4;
  /**
   * Bogacki–Shampine 3(2): P. Bogacki, L. F. Shampine, "A 3(2) pair of Runge–Kutta formulas",
   * Appl. Math. Lett. 2 (1989) 321–325. FSAL, 4 stages, cubic Hermite dense output.
   */
  public static final Tableau BS3;
  /**
   * Dormand–Prince 5(4): J. R. Dormand, P. J. Prince, "A family of embedded Runge–Kutta formulae",
   * J. Comput. Appl. Math. 6 (1980) 19–26; error weights and the 4th-order continuous extension
   * (Shampine 1986) as in Hairer's DOPRI5 (Solving ODEs I, II.5–II.6).
   */
  public static final Tableau DOPRI5;
  /**
   * Tsitouras 5(4): Ch. Tsitouras, "Runge–Kutta pairs of order 5(4) satisfying only the first
   * column simplifying assumption", Comput. Math. Appl. 62 (2011) 770–775. Coefficients and the
   * 4th-order free interpolant as in OrdinaryDiffEq.jl / diffrax (double precision values).
   */
  public static final Tableau TSIT5;
  /**
   * Dormand–Prince 8(5,3) as in Hairer's DOP853 (Hairer, Nørsett &amp; Wanner, Solving ODEs I,
   * 2nd ed., II.5 and II.10): 12 stages plus the FSAL stage f(t + h, y1), a combined 5th/3rd order
   * error estimator and a 7th-order dense output using 3 extra stages. Coefficients are Hairer's
   * published 30-digit decimals (many are irrational: c4 = (6 − √6)/30, c5 = (6 + √6)/30).
   */
  public static final Tableau DOP853;

  static {
    // Forward Euler.
    {
      double[] b = {1.0};
      EULER = new Tableau("euler", 1, 0, 1, false, new double[] {0.0}, new double[][] {{}}, b,
          null, null, null, null, hermite(b, 1, 2));
    }
    // Explicit midpoint.
    {
      double[] c = {0.0, 1.0 / 2.0};
      double[][] a = {{}, {1.0 / 2.0}};
      double[] b = {0.0, 1.0};
      MIDPOINT = new Tableau("midpoint", 2, 0, 2, false, c, a, b, null, null, null, null,
          hermite(b, 2, 3));
    }
    // Classical RK4.
    {
      double[] c = {0.0, 1.0 / 2.0, 1.0 / 2.0, 1.0};
      double[][] a = {{}, {1.0 / 2.0}, {0.0, 1.0 / 2.0}, {0.0, 0.0, 1.0}};
      double[] b = {1.0 / 6.0, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 6.0};
      RK4 = new Tableau("rk4", 4, 0, 3, false, c, a, b, null, null, null, null, hermite(b, 4, 5));
    }
    // Bogacki–Shampine 3(2); b̂ = (7/24, 1/4, 1/3, 1/8), e = b − b̂.
    {
      double[] c = {0.0, 1.0 / 2.0, 3.0 / 4.0, 1.0};
      double[][] a = {{}, {1.0 / 2.0}, {0.0, 3.0 / 4.0}, {2.0 / 9.0, 1.0 / 3.0, 4.0 / 9.0}};
      double[] b = {2.0 / 9.0, 1.0 / 3.0, 4.0 / 9.0, 0.0};
      double[] e = {2.0 / 9.0 - 7.0 / 24.0, 1.0 / 3.0 - 1.0 / 4.0, 4.0 / 9.0 - 1.0 / 3.0,
          -1.0 / 8.0};
      BS3 = new Tableau("bs3", 3, 3, 3, true, c, a, b, e, null, null, null, hermite(b, 3, 4));
    }
    // Dormand–Prince 5(4).
    {
      double[] c = {0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0};
      double[] b = {35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0,
          11.0 / 84.0, 0.0};
      double[][] a = {
        {},
        {1.0 / 5.0},
        {3.0 / 40.0, 9.0 / 40.0},
        {44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0},
        {19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0},
        {9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0},
        Arrays.copyOf(b, 6)
      };
      double[] e = {71.0 / 57600.0, 0.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0,
          22.0 / 525.0, -1.0 / 40.0};
      // Shampine's dense output coefficients (Hairer's DOPRI5, D1..D7).
      double[] d = {-12715105075.0 / 11282082432.0, 0.0, 87487479700.0 / 32700410799.0,
          -10690763975.0 / 1880347072.0, 701980252875.0 / 199316789632.0,
          -1453857185.0 / 822651844.0, 69997945.0 / 29380423.0};
      DOPRI5 = new Tableau("dopri5", 5, 5, 4, true, c, a, b, e, null, null, null,
          hairerNested(b, 6, 7, d));
    }
    // Tsitouras 5(4).
    {
      double[] c = {0.0, 0.161, 0.327, 0.9, 0.9800255409045097, 1.0, 1.0};
      double[] b = {0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742,
          -3.290069515436081, 2.324710524099774, 0.0};
      double[][] a = {
        {},
        {0.161},
        {-0.008480655492356989, 0.335480655492357},
        {2.8971530571054935, -6.359448489975075, 4.3622954328695815},
        {5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525},
        {5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401,
          -0.028269050394068383},
        Arrays.copyOf(b, 6)
      };
      // e = b̂ − b (the sign does not matter to the norm); e_7 = 1/66.
      double[] e = {-0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995,
          -0.1447110071732629, 0.5823571654525552, -0.45808210592918697, 1.0 / 66.0};
      // The free interpolant: b_i(θ) = r_i1 θ + r_i2 θ² + r_i3 θ³ + r_i4 θ⁴.
      double[][] dense = {
        {1.0, -2.763706197274826, 2.9132554618219126, -1.0530884977290216},
        {0.0, 0.13169999999999998, -0.2234, 0.1017},
        {0.0, 3.9302962368947516, -5.941033872131505, 2.490627285651253},
        {0.0, -12.411077166933676, 30.33818863028232, -16.548102889244902},
        {0.0, 37.50931341651104, -88.1789048947664, 47.37952196281928},
        {0.0, -27.896526289197286, 65.09189467479366, -34.87065786149661},
        {0.0, 1.5, -4.0, 2.5}
      };
      TSIT5 = new Tableau("tsit5", 5, 5, 4, true, c, a, b, e, null, null, null, dense);
    }
    DOP853 = dop853();
  }

  private static Tableau dop853() {
    double[] c = {
      0.0,
      0.526001519587677318785587544488e-01,
      0.789002279381515978178381316732e-01,
      0.118350341907227396726757197510e+00,
      0.281649658092772603273242802490e+00,
      0.333333333333333333333333333333e+00,
      0.25e+00,
      0.307692307692307692307692307692e+00,
      0.651282051282051282051282051282e+00,
      0.6e+00,
      0.857142857142857142857142857142e+00,
      1.0,
      1.0
    };
    double[] b = new double[13];
    b[0] = 5.42937341165687622380535766363e-2;
    b[5] = 4.45031289275240888144113950566e0;
    b[6] = 1.89151789931450038304281599044e0;
    b[7] = -5.8012039600105847814672114227e0;
    b[8] = 3.1116436695781989440891606237e-1;
    b[9] = -1.52160949662516078556178806805e-1;
    b[10] = 2.01365400804030348374776537501e-1;
    b[11] = 4.47106157277725905176885569043e-2;
    double[][] a = new double[13][];
    for (int i = 0; i < 13; i++) {
      a[i] = new double[i];
    }
    a[1][0] = 5.26001519587677318785587544488e-2;
    a[2][0] = 1.97250569845378994544595329183e-2;
    a[2][1] = 5.91751709536136983633785987549e-2;
    a[3][0] = 2.95875854768068491816892993775e-2;
    a[3][2] = 8.87627564304205475450678981324e-2;
    a[4][0] = 2.41365134159266685502369798665e-1;
    a[4][2] = -8.84549479328286085344864962717e-1;
    a[4][3] = 9.24834003261792003115737966543e-1;
    a[5][0] = 3.7037037037037037037037037037e-2;
    a[5][3] = 1.70828608729473871279604482173e-1;
    a[5][4] = 1.25467687566822425016691814123e-1;
    a[6][0] = 3.7109375e-2;
    a[6][3] = 1.70252211019544039314978060272e-1;
    a[6][4] = 6.02165389804559606850219397283e-2;
    a[6][5] = -1.7578125e-2;
    a[7][0] = 3.70920001185047927108779319836e-2;
    a[7][3] = 1.70383925712239993810214054705e-1;
    a[7][4] = 1.07262030446373284651809199168e-1;
    a[7][5] = -1.53194377486244017527936158236e-2;
    a[7][6] = 8.27378916381402288758473766002e-3;
    a[8][0] = 6.24110958716075717114429577812e-1;
    a[8][3] = -3.36089262944694129406857109825e0;
    a[8][4] = -8.68219346841726006818189891453e-1;
    a[8][5] = 2.75920996994467083049415600797e1;
    a[8][6] = 2.01540675504778934086186788979e1;
    a[8][7] = -4.34898841810699588477366255144e1;
    a[9][0] = 4.77662536438264365890433908527e-1;
    a[9][3] = -2.48811461997166764192642586468e0;
    a[9][4] = -5.90290826836842996371446475743e-1;
    a[9][5] = 2.12300514481811942347288949897e1;
    a[9][6] = 1.52792336328824235832596922938e1;
    a[9][7] = -3.32882109689848629194453265587e1;
    a[9][8] = -2.03312017085086261358222928593e-2;
    a[10][0] = -9.3714243008598732571704021658e-1;
    a[10][3] = 5.18637242884406370830023853209e0;
    a[10][4] = 1.09143734899672957818500254654e0;
    a[10][5] = -8.14978701074692612513997267357e0;
    a[10][6] = -1.85200656599969598641566180701e1;
    a[10][7] = 2.27394870993505042818970056734e1;
    a[10][8] = 2.49360555267965238987089396762e0;
    a[10][9] = -3.0467644718982195003823669022e0;
    a[11][0] = 2.27331014751653820792359768449e0;
    a[11][3] = -1.05344954667372501984066689879e1;
    a[11][4] = -2.00087205822486249909675718444e0;
    a[11][5] = -1.79589318631187989172765950534e1;
    a[11][6] = 2.79488845294199600508499808837e1;
    a[11][7] = -2.85899827713502369474065508674e0;
    a[11][8] = -8.87285693353062954433549289258e0;
    a[11][9] = 1.23605671757943030647266201528e1;
    a[11][10] = 6.43392746015763530355970484046e-1;
    a[12] = Arrays.copyOf(b, 12);

    // 5th-order error weights (Hairer's ER1, ER6..ER12).
    double[] e5 = new double[13];
    e5[0] = 0.1312004499419488073250102996e-01;
    e5[5] = -0.1225156446376204440720569753e+01;
    e5[6] = -0.4957589496572501915214079952e+00;
    e5[7] = 0.1664377182454986536961530415e+01;
    e5[8] = -0.3503288487499736816886487290e+00;
    e5[9] = 0.3341791187130174790297318841e+00;
    e5[10] = 0.8192320648511571246570742613e-01;
    e5[11] = -0.2235530786388629525884427845e-01;
    // 3rd-order error weights: b − b̂₃ with b̂₃ = BHH1 at stage 1, BHH2 at stage 9, BHH3 at 12.
    double[] e3 = b.clone();
    e3[0] -= 0.244094488188976377952755905512e+00;
    e3[8] -= 0.733846688281611857341361741547e+00;
    e3[11] -= 0.220588235294117647058823529412e-01;

    // Extra stages 14..16 for the dense output (slots 13..15); slot 12 is f(t + h, y1).
    double[] extraC = {0.1e+00, 0.2e+00, 0.777777777777777777777777777778e+00};
    double[][] extraA = {new double[13], new double[14], new double[15]};
    extraA[0][0] = 5.61675022830479523392909219681e-2;
    extraA[0][6] = 2.53500210216624811088794765333e-1;
    extraA[0][7] = -2.46239037470802489917441475441e-1;
    extraA[0][8] = -1.24191423263816360469010140626e-1;
    extraA[0][9] = 1.5329179827876569731206322685e-1;
    extraA[0][10] = 8.20105229563468988491666602057e-3;
    extraA[0][11] = 7.56789766054569976138603589584e-3;
    extraA[0][12] = -8.298e-3;
    extraA[1][0] = 3.18346481635021405060768473261e-2;
    extraA[1][5] = 2.83009096723667755288322961402e-2;
    extraA[1][6] = 5.35419883074385676223797384372e-2;
    extraA[1][7] = -5.49237485713909884646569340306e-2;
    extraA[1][10] = -1.08347328697249322858509316994e-4;
    extraA[1][11] = 3.82571090835658412954920192323e-4;
    extraA[1][12] = -3.40465008687404560802977114492e-4;
    extraA[1][13] = 1.41312443674632500278074618366e-1;
    extraA[2][0] = -4.28896301583791923408573538692e-1;
    extraA[2][5] = -4.69762141536116384314449447206e0;
    extraA[2][6] = 7.68342119606259904184240953878e0;
    extraA[2][7] = 4.06898981839711007970213554331e0;
    extraA[2][8] = 3.56727187455281109270669543021e-1;
    extraA[2][12] = -1.39902416515901462129418009734e-3;
    extraA[2][13] = 2.9475147891527723389556272149e0;
    extraA[2][14] = -9.15095847217987001081870187138e0;

    // Dense output coefficients D4j..D7j (Hairer's DOP853), over slots 1, 6..16.
    double[] d4 = new double[16];
    d4[0] = -0.84289382761090128651353491142e+01;
    d4[5] = 0.56671495351937776962531783590e+00;
    d4[6] = -0.30689499459498916912797304727e+01;
    d4[7] = 0.23846676565120698287728149680e+01;
    d4[8] = 0.21170345824450282767155149946e+01;
    d4[9] = -0.87139158377797299206789907490e+00;
    d4[10] = 0.22404374302607882758541771650e+01;
    d4[11] = 0.63157877876946881815570249290e+00;
    d4[12] = -0.88990336451333310820698117400e-01;
    d4[13] = 0.18148505520854727256656404962e+02;
    d4[14] = -0.91946323924783554000451984436e+01;
    d4[15] = -0.44360363875948939664310572000e+01;
    double[] d5 = new double[16];
    d5[0] = 0.10427508642579134603413151009e+02;
    d5[5] = 0.24228349177525818288430175319e+03;
    d5[6] = 0.16520045171727028198505394887e+03;
    d5[7] = -0.37454675472269020279518312152e+03;
    d5[8] = -0.22113666853125306036270938578e+02;
    d5[9] = 0.77334326684722638389603898808e+01;
    d5[10] = -0.30674084731089398182061213626e+02;
    d5[11] = -0.93321305264302278729567221706e+01;
    d5[12] = 0.15697238121770843886131091075e+02;
    d5[13] = -0.31139403219565177677282850411e+02;
    d5[14] = -0.93529243588444783865713862664e+01;
    d5[15] = 0.35816841486394083752465898540e+02;
    double[] d6 = new double[16];
    d6[0] = 0.19985053242002433820987653617e+02;
    d6[5] = -0.38703730874935176555105901742e+03;
    d6[6] = -0.18917813819516756882830838328e+03;
    d6[7] = 0.52780815920542364900561016686e+03;
    d6[8] = -0.11573902539959630126141871134e+02;
    d6[9] = 0.68812326946963000169666922661e+01;
    d6[10] = -0.10006050966910838403183860980e+01;
    d6[11] = 0.77771377980534432092869265740e+00;
    d6[12] = -0.27782057523535084065932004339e+01;
    d6[13] = -0.60196695231264120758267380846e+02;
    d6[14] = 0.84320405506677161018159903784e+02;
    d6[15] = 0.11992291136182789328035130030e+02;
    double[] d7 = new double[16];
    d7[0] = -0.25693933462703749003312586129e+02;
    d7[5] = -0.15418974869023643374053993627e+03;
    d7[6] = -0.23152937917604549567536039109e+03;
    d7[7] = 0.35763911791061412378285349910e+03;
    d7[8] = 0.93405324183624310003907691704e+02;
    d7[9] = -0.37458323136451633156875139351e+02;
    d7[10] = 0.10409964950896230045147246184e+03;
    d7[11] = 0.29840293426660503123344363579e+02;
    d7[12] = -0.43533456590011143754432175058e+02;
    d7[13] = 0.96324553959188282948394950600e+02;
    d7[14] = -0.39177261675615439165231486172e+02;
    d7[15] = -0.14972683625798562581422125276e+03;

    return new Tableau("dop853", 8, 8, 7, true, c, a, b, e5, e3, extraC, extraA,
        hairerNested(b, 12, 16, d4, d5, d6, d7));
  }

  /**
   * The positions of a coefficient row's non-zero entries: the explicit and Rosenbrock solvers
   * loop over these only (the tableaus are sparse; a zero coefficient must not cost a multiply).
   */
  static int[] nonzeroIndices(double[] v) {
    int count = 0;
    for (double x : v) {
      count += x != 0 ? 1 : 0;
    }
    int[] r = new int[count];
    count = 0;
    for (int i = 0; i < v.length; i++) {
      if (v[i] != 0) {
        r[count++] = i;
      }
    }
    return r;
  }

  /** The non-zero entries of a coefficient row, in the order of {@link #nonzeroIndices}. */
  static double[] nonzeroValues(double[] v) {
    int[] idx = nonzeroIndices(v);
    double[] r = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      r[i] = v[idx[i]];
    }
    return r;
  }
}
