package dev.odec.codegen.c;

import dev.odec.ad.Jacobian;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.OdeSystem;
import dev.odec.ir.Op;
import dev.odec.solve.ExplicitRk;
import dev.odec.solve.Method;
import dev.odec.solve.RodasTableau;
import dev.odec.solve.Tableau;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A model, its solver and (optionally) its derivative systems as one self-contained C99 or CUDA
 * source file: the model's functions emitted by {@link CFunction}, the solver's stages, error
 * sums and dense output generated from its {@link Tableau} or {@link RodasTableau}, the solver
 * loops and drivers from the templates beside this class ({@code od_*.c}, {@code od_main_*}).
 *
 * <p>The C program solves a batch of members one after another; the CUDA program solves them one
 * thread per member in struct-of-arrays layout. Both read and write the batch files described in
 * {@code od_io.c} (odec's runtime writes and reads them: {@code dev.odec.runtime.NativeEnsemble}),
 * and both have a bench mode ({@code --bench M}) that draws M members around the nominal
 * parameter values built in here, so that {@code bench/gpu.sh} runs without a JVM.
 *
 * <p>Solvers: every explicit Runge–Kutta method of {@link Tableau} and {@code rodas5} with a dense
 * LU (up to {@link #DENSE_LIMIT} states); {@code auto} is {@code tsit5} switching to
 * {@code rodas5} where it detects stiffness (the JVM's auto switches to {@code bdf}, which the C
 * backend does not have). Not supported: {@code bdf}, and models whose switching conditions
 * ({@link #SWITCHING} ops) depend on time or the states ({@link #unsupported}).
 */
public final class CProgram {
  /** The C or the CUDA program. */
  public enum Target {
    C("c"),
    CUDA("cuda");

    public final String text;

    Target(String text) {
      this.text = text;
    }
  }

  /** rodas5's dense LU is for small systems: W lives on the stack of each member (its thread's registers or local memory). */
  public static final int DENSE_LIMIT = 64;

  /** Ops that switch between branches: held fixed per segment by the JVM path, not handled in C. */
  static final Set<Op> SWITCHING = EnumSet.of(Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE, Op.SELECT, Op.ABS, Op.MIN,
      Op.MAX, Op.RELU, Op.SIGN, Op.FLOOR, Op.CEIL);

  /**
   * What to generate.
   *
   * @param method the solver; null for auto
   * @param nominal the parameter vector bench mode draws its members around
   * @param derivatives the derivative systems to show besides the program ({@code odec compile --emit
   *     c|cuda}), or null (the runtime needs none of them)
   */
  public record Config(Target target, Method method, double[] nominal, Derivatives derivatives) {}

  /**
   * Derivative systems emitted as functions beside the model's: the VJP of the dynamics
   * [uᵀF_x, uᵀF_p, uᵀF_t] over [x, u], the augmented backsolve adjoint system over [x, λ, μ], and
   * the forward-sensitivity system over [x, S_1, ..., S_K] (null when not wanted: it has n(1 + K)
   * outputs).
   */
  public record Derivatives(IrFunction vjp, IrFunction adjoint, IrFunction sensitivity) {}

  private final OdeSystem sys;
  private final Config cfg;
  private final StringBuilder out = new StringBuilder(1 << 16);
  private final boolean useRk;
  private final boolean useRodas;
  private final Method rk;

  private CProgram(OdeSystem sys, Config cfg) {
    this.sys = sys;
    this.cfg = cfg;
    Method m = cfg.method();
    this.useRk = m == null || !m.stiff;
    this.useRodas = (m == null && sys.stateSize() <= DENSE_LIMIT) || m == Method.RODAS5;
    this.rk = m == null ? Method.TSIT5 : m;
  }

  /**
   * Why the C backend cannot run {@code sys} with {@code method} (null: auto), as a sentence for
   * the user, or null when it can.
   */
  public static String unsupported(OdeSystem sys, Method method) {
    if (method == Method.BDF) {
      return "the c and cuda backends have no bdf solver; use --solver rodas5 (or auto, which switches to rodas5 "
          + "there), or --backend jvm";
    }
    if (method == Method.RODAS5 && sys.stateSize() > DENSE_LIMIT) {
      return "rodas5 on the c and cuda backends uses a dense LU for up to " + DENSE_LIMIT + " states, and '"
          + sys.name() + "' has " + sys.stateSize() + "; use --backend jvm (sparse LU)";
    }
    if (!sys.hybrid().isEmpty()) {
      int events = sys.hybrid().events().size();
      int modes = sys.hybrid().modeCount();
      List<String> has = new ArrayList<>();
      if (events > 0) has.add(events + (events == 1 ? " event" : " events"));
      if (modes > 0) has.add(modes + (modes == 1 ? " switching condition" : " switching conditions"));
      return "the c and cuda backends do not handle events or switching conditions, which the JVM solves segment by "
          + "segment ('" + sys.name() + "' has " + String.join(" and ", has) + "); use --backend jvm";
    }
    Node culprit = switchingNode(sys.rhs());
    if (culprit != null) {
      return "the c and cuda backends do not handle switching conditions that depend on time or the states (the "
          + "right-hand side of '" + sys.name() + "' uses '" + culprit.op.text + "' of such an expression); use --backend jvm";
    }
    return null;
  }

  /** The first switching node whose operands depend on t or y, or null. */
  static Node switchingNode(IrFunction f) {
    List<Node> sched = f.schedule();
    BitSet varying = new BitSet();
    for (Node n : sched) {
      boolean v = n.op == Op.TIME || (n.op == Op.INPUT && n.intAt(0) == 0);
      for (Node a : n.args()) v |= varying.get(a.id);
      if (v) varying.set(n.id);
      if (v && SWITCHING.contains(n.op)) {
        // a SELECT is switching through its condition only
        if (n.op != Op.SELECT || varying.get(n.arg(0).id)) return n;
      }
    }
    return null;
  }

  /** The program for {@code sys}; {@link #unsupported} must have returned null. */
  public static String generate(OdeSystem sys, Config cfg) {
    String why = unsupported(sys, cfg.method());
    if (why != null) throw new IllegalArgumentException(why);
    CProgram p = new CProgram(sys, cfg);
    p.emit();
    return p.out.toString();
  }

  private void emit() {
    int n = sys.stateSize();
    int np = sys.paramSize();
    String solver = cfg.method() == null ? "auto (tsit5, then rodas5 where stiff)" : cfg.method().text;
    out.append("/* odec generated ").append(cfg.target() == Target.CUDA ? "CUDA" : "C99").append(" program: model '")
        .append(sys.name()).append("', solver ").append(solver).append(".\n");
    out.append(" * y = [").append(String.join(", ", sys.stateComponentNames())).append("]\n");
    List<String> pNames = new ArrayList<>();
    for (OdeSystem.Var v : sys.pVars()) pNames.addAll(v.componentNames());
    out.append(" * p = [").append(String.join(", ", pNames)).append("]\n");
    if (cfg.target() == Target.CUDA) {
      out.append(" * Build: nvcc -O3 -arch=sm_XX -o PROGRAM THIS.cu\n");
    } else {
      out.append(" * Build: cc -O2 -std=c99 -ffp-contract=off -o PROGRAM THIS.c -lm\n");
    }
    out.append(" * Run:   PROGRAM [IN [OUT]] (batch files, see od_io below) or PROGRAM --bench MEMBERS */\n");
    if (cfg.target() == Target.C) out.append("#define _POSIX_C_SOURCE 200809L\n");
    out.append(resource("od_runtime.h")).append('\n');
    out.append("#define OD_MODEL_NAME \"").append(sys.name()).append("\"\n");
    out.append("#define OD_SOLVER_NAME \"").append(cfg.method() == null ? "auto" : cfg.method().text).append("\"\n");
    out.append("#define OD_N ").append(n).append('\n');
    out.append("#define OD_NA ").append(Math.max(n, 1)).append(" /* array lengths: at least 1 */\n");
    out.append("#define OD_NP ").append(np).append('\n');
    out.append("#define OD_NPA ").append(Math.max(np, 1)).append('\n');
    out.append("#define OD_AUTO ").append(cfg.method() == null && useRodas ? 1 : 0).append('\n');
    out.append("#define OD_USE_RK ").append(useRk ? 1 : 0).append("\n\n");

    out.append("/* ---- the model ---- */\n\n");
    function(sys.rhs(), "od_rhs", "dy/dt = f(t, y, p)");
    function(sys.initial(), "od_initial", "y0(p) (y is not read)");
    if (useRodas || cfg.derivatives() != null) jacobian();
    if (cfg.derivatives() != null) derivatives(cfg.derivatives());
    benchTables();

    out.append(resource("od_common.c")).append('\n');
    if (useRk) {
      explicitKernels();
      out.append(resource("od_rk.c")).append('\n');
    }
    if (useRodas) {
      out.append(resource("od_lu.c")).append('\n');
      rodasKernels();
      out.append(resource("od_rodas.c")).append('\n');
    }
    out.append(resource("od_solve.c")).append('\n');
    out.append(resource("od_io.c")).append('\n');
    out.append(resource(cfg.target() == Target.CUDA ? "od_main_cuda.cu" : "od_main_c.c"));
  }

  private void function(IrFunction f, String name, String what) {
    out.append("/* ").append(name).append(": ").append(what).append(" */\n");
    out.append(CFunction.emit(f, name).text());
  }

  /** The sparse Jacobian ∂f/∂y: its CSR pattern as tables and od_jac for the values. */
  private void jacobian() {
    Jacobian j = Jacobian.of(sys.graph().fork(), sys.rhs(), 0); // derivatives go into a fork: the model's graph stays read-only
    int nnz = j.entries().size();
    out.append("/* the Jacobian df/dy: ").append(nnz).append(" structurally non-zero entries in compressed rows; od_jac "
        + "writes their values in pattern order */\n");
    out.append("#define OD_NJ ").append(nnz).append('\n');
    out.append("#define OD_NJA ").append(Math.max(nnz, 1)).append('\n');
    out.append("OD_CONST int od_jac_row_start[").append(sys.stateSize() + 1).append("] = {").append(ints(j.rowStart()))
        .append("};\n");
    out.append("OD_CONST int od_jac_col[OD_NJA] = {").append(nnz == 0 ? "0" : ints(j.colIndex())).append("};\n");
    out.append(CFunction.emit(j.asFunction("jacobian"), "od_jac").text());
  }

  private void derivatives(Derivatives d) {
    out.append("""
        /* the dense Jacobian (row-major n x n) from the sparse one */
        OD_FN void od_jac_dense(double t, const double *y, const double *p, double *jd) {
          double v[OD_NJA];
          od_jac(t, y, p, v);
          for (int i = 0; i < OD_N * OD_N; i++) jd[i] = 0.0;
          for (int i = 0; i < OD_N; i++) {
            for (int e = od_jac_row_start[i]; e < od_jac_row_start[i + 1]; e++) jd[i * OD_N + od_jac_col[e]] = v[e];
          }
        }

        """);
    int nx = d.vjp().ySize() / 2;
    function(d.vjp(), "od_vjp", "the vector-Jacobian products of F: y = [x (" + nx + "), u (" + nx
        + ")], out = [u^T dF/dx (" + nx + "), u^T dF/dp (" + sys.paramSize() + "), u^T dF/dt (1)]");
    function(d.adjoint(), "od_adjoint", "the backsolve adjoint system (Chen et al., Algorithm 1), state [x, lambda, mu]"
        + " of " + d.adjoint().ySize() + ": [F, -(dF/dx)^T lambda, -(dF/dp)^T lambda]");
    if (d.sensitivity() != null) {
      int k = d.sensitivity().ySize() / nx - 1;
      function(d.sensitivity(), "od_sensitivity", "the forward-sensitivity system, state [x, S_1, ..., S_" + k
          + "] of " + d.sensitivity().ySize() + ": [F, dF/dx S_k + dF/dp_k] for each param component k");
    }
  }

  private void benchTables() {
    double[] nominal = cfg.nominal();
    boolean[] perturb = new boolean[nominal.length];
    int params = 0;
    for (OdeSystem.ParamInfo pi : sys.params()) params += pi.var().shape().size();
    if (params > 0) {
      for (int i = 0; i < params; i++) perturb[i] = true;
    } else {
      for (OdeSystem.Var v : sys.consts()) {
        if (sys.structuralConsts().contains(v.name())) continue;
        for (int i = 0; i < v.shape().size(); i++) perturb[v.offset() + i] = true;
      }
    }
    out.append("/* bench mode: the nominal parameter vector, and which entries its members vary */\n");
    out.append("OD_CONST double od_bench_nominal[OD_NPA] = {").append(nominal.length == 0 ? "0.0" : CFunction.literals(nominal))
        .append("};\n");
    StringBuilder mask = new StringBuilder();
    for (int i = 0; i < perturb.length; i++) mask.append(i == 0 ? "" : ", ").append(perturb[i] ? 1 : 0);
    out.append("OD_CONST int od_bench_perturb[OD_NPA] = {").append(perturb.length == 0 ? "0" : mask).append("};\n\n");
  }

  // ---- explicit Runge–Kutta ------------------------------------------------------------------

  /**
   * The tableau-specific parts of {@code od_rk.c}, each summing in the order of
   * {@link ExplicitRk}: a stage input is y + h (0.0 + Σ_j a_ij k_j) over the non-zero a_ij in
   * index order, and the error and dense-output sums likewise.
   */
  private void explicitKernels() {
    Tableau tab = Tableau.of(rk);
    ExplicitRk.Controller ctl = ExplicitRk.controller(rk);
    int s = tab.stages;
    int end = tab.endSlot();
    out.append("/* ---- ").append(tab).append(" ---- */\n");
    out.append("#define OD_RK_STAGES ").append(s).append('\n');
    out.append("#define OD_RK_SLOTS ").append(tab.slots()).append('\n');
    out.append("#define OD_RK_END ").append(end).append('\n');
    out.append("#define OD_RK_FSAL ").append(tab.fsal ? 1 : 0).append('\n');
    out.append("#define OD_RK_ADAPTIVE ").append(tab.e != null ? 1 : 0).append('\n');
    out.append("#define OD_RK_E2 ").append(tab.e2 != null ? 1 : 0).append('\n');
    out.append("#define OD_RK_EXTRA ").append(tab.extraC.length > 0 ? 1 : 0).append('\n');
    out.append("#define OD_RK_ORDER ").append(tab.order).append('\n');
    out.append("#define OD_RK_BETA ").append(CFunction.literal(ctl.beta())).append('\n');
    out.append("#define OD_RK_FACMIN ").append(CFunction.literal(ctl.facMin())).append('\n');
    out.append("#define OD_RK_FACMAX ").append(CFunction.literal(ctl.facMax())).append('\n');
    out.append("#define OD_RK_EXPO1 ").append(CFunction.literal(ctl.expo1())).append('\n');
    out.append("#define OD_RK_DETECT ").append(ctl.stiffnessBoundary() > 0 ? 1 : 0).append('\n');
    out.append("#define OD_RK_STIFF_BOUNDARY ").append(CFunction.literal(ctl.stiffnessBoundary())).append('\n');
    out.append("OD_CONST double od_rk_c[OD_RK_STAGES] = {").append(CFunction.literals(tab.c)).append("};\n\n");

    // stages
    out.append("OD_FN void od_rk_attempt(double t, double h, double t_new, const double *y, double (*k)[OD_NA], double *ys,\n"
        + "    double *yn, const double *p) {\n");
    for (int i = 1; i < s; i++) {
      boolean isEnd = tab.fsal && i == s - 1;
      String target = isEnd ? "yn" : "ys";
      out.append("  for (int c = 0; c < OD_N; c++) ").append(target).append("[c] = y[c] + h * (")
          .append(weighted(tab.a[i], "k[%d][c]")).append(");\n");
      String ti = tab.c[i] == 1.0 ? "t_new" : "t + " + CFunction.literal(tab.c[i]) + " * h";
      out.append("  od_rhs(").append(ti).append(", ").append(target).append(", p, k[").append(i).append("]);\n");
    }
    if (!tab.fsal) {
      out.append("  for (int c = 0; c < OD_N; c++) yn[c] = y[c] + h * (").append(weighted(tab.b, "k[%d][c]")).append(");\n");
    }
    out.append("}\n\n");

    // error sums
    errorSum("od_rk_err5", tab.e);
    errorSum("od_rk_err3", tab.e2);

    // dense output
    out.append("OD_FN void od_rk_dense(double t0, double h, double tq, const double *y, double (*k)[OD_NA], double *out) {\n");
    out.append("  double theta = (tq - t0) / h;\n");
    List<Integer> slots = new ArrayList<>();
    for (int p = 0; p < tab.slots(); p++) {
      double[] poly = tab.dense[p];
      boolean zero = true;
      for (double v : poly) zero &= v == 0;
      if (zero) continue;
      slots.add(p);
      out.append("  double w").append(p).append(" = 0.0;\n");
      for (int q = poly.length - 1; q >= 0; q--) {
        out.append("  w").append(p).append(" = w").append(p).append(" * theta + ").append(CFunction.literal(poly[q])).append(";\n");
      }
      out.append("  w").append(p).append(" = w").append(p).append(" * theta;\n");
    }
    StringBuilder sum = new StringBuilder("0.0");
    for (int p : slots) sum.append(" + w").append(p).append(" * k[").append(p).append("][c]");
    out.append("  for (int c = 0; c < OD_N; c++) out[c] = y[c] + h * (").append(sum).append(");\n");
    out.append("}\n\n");

    // extra stages of the dense output (DOP853)
    if (tab.extraC.length > 0) {
      out.append("OD_FN int od_rk_extra(double t, double h, const double *y, double (*k)[OD_NA], double *ys, const double *p,\n"
          + "    od_result *r) {\n");
      out.append("  int bad;\n");
      for (int x = 0; x < tab.extraC.length; x++) {
        int slot = end + 1 + x;
        String tx = "t + " + CFunction.literal(tab.extraC[x]) + " * h";
        out.append("  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + h * (").append(weighted(tab.extraA[x], "k[%d][c]"))
            .append(");\n");
        out.append("  od_rhs(").append(tx).append(", ys, p, k[").append(slot).append("]);\n");
        out.append("  r->nfe++;\n");
        out.append("  bad = od_first_non_finite(k[").append(slot).append("]);\n");
        out.append("  if (bad >= 0) return od_fail(r, OD_NON_FINITE, ").append(tx).append(", bad, k[").append(slot)
            .append("][bad], OD_FLAG_DERIVATIVE);\n");
      }
      out.append("  return OD_OK;\n}\n\n");
    }
  }

  /** Σ_c (h Σ_j e_j k_j[c] / sc_c)² as in ExplicitRk.weightedSquares (a zero function without weights). */
  private void errorSum(String name, double[] e) {
    out.append("OD_FN double ").append(name).append("(double h, const double *y, const double *yn, double (*k)[OD_NA],\n"
        + "    const double *rtol, const double *atol) {\n");
    if (e == null) {
      out.append("  (void) h; (void) y; (void) yn; (void) k; (void) rtol; (void) atol;\n  return 0.0;\n}\n\n");
      return;
    }
    out.append("  double sum = 0.0;\n");
    out.append("  for (int c = 0; c < OD_N; c++) {\n");
    out.append("    double sc = atol[c] + rtol[c] * od_max(fabs(y[c]), fabs(yn[c]));\n");
    out.append("    double e = (").append(weighted(e, "k[%d][c]")).append(") * (h / sc);\n");
    out.append("    sum += e * e;\n  }\n  return sum;\n}\n\n");
  }

  /** "0.0 + w_j * TERM_j ..." over the non-zero weights, in index order. */
  private static String weighted(double[] w, String term) {
    StringBuilder sb = new StringBuilder("0.0");
    for (int j = 0; j < w.length; j++) {
      if (w[j] != 0) sb.append(" + ").append(CFunction.literal(w[j])).append(" * ").append(String.format(term, j));
    }
    return sb.toString();
  }

  // ---- rodas5 --------------------------------------------------------------------------------

  /**
   * The stages and dense output of {@code od_rodas.c} from {@link RodasTableau#RODAS5P}, in the
   * order of {@link dev.odec.solve.Rosenbrock}: u_i = W⁻¹ (hγ f_i + hγ h d_i f_t + Σ_j γ C_ij u_j),
   * stage inputs y + Σ_j a_ij u_j, and y1 = y + Σ_j m_j u_j.
   */
  private void rodasKernels() {
    RodasTableau tab = RodasTableau.RODAS5P;
    int s = tab.stages;
    out.append("/* ---- ").append(tab.name).append(" (order ").append(tab.order).append(", ").append(s).append(" stages) ---- */\n");
    out.append("#define OD_ROS_GAMMA ").append(CFunction.literal(tab.gamma)).append("\n\n");
    out.append("""
        /* One step attempt with W factored: the transformed stages u_i into k, y1 into yn. Returns 0 (the
         * culprit recorded in r) when a stage derivative or y1 is not finite. */
        OD_FN int od_ros_attempt(double t, double h, double t_new, const double *y, const double *f0, const double *dT,
            double (*k)[OD_NA], double (*w)[OD_NA], const int *indx, double *ys, double *fs, double *yn,
            const double *p, od_result *r) {
          double hg = h * OD_ROS_GAMMA;
          int bad;
        """);
    for (int i = 0; i < s; i++) {
      String src = "f0";
      if (i > 0) {
        out.append("  for (int c = 0; c < OD_N; c++) ys[c] = y[c]").append(plusTerms(tab.a[i], "k[%d][c]")).append(";\n");
        String ti = tab.c[i] == 1.0 ? "t_new" : "t + " + CFunction.literal(tab.c[i]) + " * h";
        out.append("  od_rhs(").append(ti).append(", ys, p, fs);\n");
        out.append("  r->nfe++;\n");
        out.append("  bad = od_first_non_finite(fs);\n");
        out.append("  if (bad >= 0) {\n");
        out.append("    r->time = ").append(ti).append("; r->component = bad; r->value = fs[bad];\n");
        out.append("    r->flags = OD_FLAG_ROSENBROCK | OD_FLAG_DERIVATIVE;\n    return 0;\n  }\n");
        src = "fs";
      }
      StringBuilder e = new StringBuilder("hg * " + src + "[c]");
      if (tab.d[i] != 0.0) {
        out.append("  double coef").append(i).append(" = hg * h * ").append(CFunction.literal(tab.d[i])).append(";\n");
        e.append(" + coef").append(i).append(" * dT[c]");
      }
      double[] cg = new double[s];
      for (int j = 0; j < s; j++) cg[j] = tab.cMat[i][j] * tab.gamma;
      e.append(plusTerms(cg, "k[%d][c]"));
      out.append("  for (int c = 0; c < OD_N; c++) k[").append(i).append("][c] = ").append(e).append(";\n");
      out.append("  od_lu_solve(w, indx, k[").append(i).append("]);\n");
    }
    out.append("  for (int c = 0; c < OD_N; c++) yn[c] = y[c]").append(plusTerms(tab.m, "k[%d][c]")).append(";\n");
    out.append("""
          bad = od_first_non_finite(yn);
          if (bad >= 0) {
            r->time = t_new; r->component = bad; r->value = yn[bad]; r->flags = OD_FLAG_ROSENBROCK;
            return 0;
          }
          return 1;
        }

        """);
    // dense output: K_j = Σ_i H_ji u_i over every i, then the order-4 interpolant
    out.append("OD_FN void od_ros_dense_prepare(double (*k)[OD_NA], double (*kd)[OD_NA]) {\n");
    for (int j = 0; j < 3; j++) {
      StringBuilder sb = new StringBuilder("0.0");
      for (int i = 0; i < s; i++) sb.append(" + ").append(CFunction.literal(tab.h[j][i])).append(" * k[").append(i).append("][c]");
      out.append("  for (int c = 0; c < OD_N; c++) kd[").append(j).append("][c] = ").append(sb).append(";\n");
    }
    out.append("}\n\n");
    out.append("""
        OD_FN void od_ros_dense(double t0, double h, double tq, const double *y, const double *yn, double (*kd)[OD_NA],
            double *out) {
          double theta = (tq - t0) / h;
          double theta1 = 1.0 - theta;
          for (int c = 0; c < OD_N; c++) {
            out[c] = theta1 * y[c] + theta * (yn[c] + theta1 * (kd[0][c] + theta * (kd[1][c] + theta * kd[2][c])));
          }
        }

        """);
  }

  /** " + w_j * TERM_j ..." over the non-zero weights, in index order (Rosenbrock's combine). */
  private static String plusTerms(double[] w, String term) {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < w.length; j++) {
      if (w[j] != 0) sb.append(" + ").append(CFunction.literal(w[j])).append(" * ").append(String.format(term, j));
    }
    return sb.toString();
  }

  private static String ints(int[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      if (i > 0) sb.append(i % 20 == 0 ? ",\n  " : ", ");
      sb.append(v[i]);
    }
    return sb.toString();
  }

  /** The text of a template beside this class. */
  static String resource(String name) {
    try (InputStream in = CProgram.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing template " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
