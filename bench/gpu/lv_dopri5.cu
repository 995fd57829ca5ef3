/* odec generated CUDA program: model 'lotka_volterra', solver dopri5.
 * y = [prey, pred]
 * p = [alpha, beta, delta, gamma, sigma]
 * Build: nvcc -O3 -arch=sm_XX -o PROGRAM THIS.cu
 * Run:   PROGRAM [IN [OUT]] (batch files, see od_io below) or PROGRAM --bench MEMBERS */
/* ---- odec C runtime: portability macros and the scalar kernels of dev.odec.ir.Scalar ----------
 * Every helper reproduces Java's semantics (java.lang.Math and dev.odec.ir.Scalar) where C99's
 * differ: min/max propagate NaN and order -0.0 below 0.0, pow(x, NaN) and pow(+-1, +-inf) are NaN,
 * erf is W. J. Cody's rational approximation (Math. Comp. 23 (1969) 631-637) exactly as odec's
 * Java code evaluates it. Compile without fused multiply-add (-ffp-contract=off) for results
 * bit-identical to the JVM's in +, -, *, / and sqrt. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __CUDACC__
#pragma nv_diag_suppress 177 /* helpers a model does not use */
#define OD_FN static __device__ inline
#define OD_CONST static __device__ const
#define OD_RESTRICT __restrict__
#else
#define OD_FN static inline
#define OD_CONST static const
#define OD_RESTRICT restrict
#endif

OD_FN double od_sign(double x) {
  return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; /* NaN and +-0 are returned as they are */
}

OD_FN double od_min(double a, double b) {
  if (a != a) return a;
  if (b != b) return b;
  if (a == 0.0 && b == 0.0) return signbit(a) ? a : b;
  return a <= b ? a : b;
}

OD_FN double od_max(double a, double b) {
  if (a != a) return a;
  if (b != b) return b;
  if (a == 0.0 && b == 0.0) return signbit(a) ? b : a;
  return a >= b ? a : b;
}

/* Math.pow: C99's pow returns 1 for pow(1, NaN) and pow(-1, +-inf), Java NaN. */
OD_FN double od_java_pow(double x, double y) {
  if (y != y) return y;
  if (y == 0.0) return 1.0;
  if ((x == 1.0 || x == -1.0) && isinf(y)) return NAN;
  return pow(x, y);
}

/* Scalar.pow: small integer exponents multiplied out. */
OD_FN double od_pow(double x, double y) {
  if (y == 2.0) return x * x;
  if (y == 3.0) return x * x * x;
  if (y == 1.0) return x;
  if (y == 0.5) return sqrt(x);
  return od_java_pow(x, y);
}

OD_FN double od_sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + exp(-x));
  double e = exp(x);
  return e / (1.0 + e);
}

OD_FN double od_softplus(double x) {
  return od_max(x, 0.0) + log1p(exp(-fabs(x)));
}

OD_FN double od_relu(double x) {
  return x > 0.0 ? x : 0.0;
}

OD_FN double od_erf(double x) {
  double ax = fabs(x);
  if (x != x) return x;
  if (ax < 0.5) {
    double z = x * x;
    double num = ((((1.857777061846031526730e-1 * z + 3.161123743870565596947e0) * z
        + 1.138641541510501556495e2) * z + 3.774852376853020208137e2) * z
        + 3.209377589138469472562e3);
    double den = ((((z + 2.360129095234412093499e1) * z + 2.440246379344441733056e2) * z
        + 1.282616526077372275645e3) * z + 2.844236833439170622273e3);
    return x * num / den;
  }
  double erfc;
  if (ax < 4.0) {
    double num = ((((((((2.15311535474403846343e-8 * ax + 5.64188496988670089180e-1) * ax
        + 8.88314979438837594118e0) * ax + 6.61191906371416294775e1) * ax
        + 2.98635138197400131132e2) * ax + 8.81952221241769090411e2) * ax
        + 1.71204761263407058314e3) * ax + 2.05107837782607146532e3) * ax
        + 1.23033935479799725272e3);
    double den = ((((((((ax + 1.57449261107098347253e1) * ax + 1.17693950891312499305e2) * ax
        + 5.37181101862009857509e2) * ax + 1.62138957456669018874e3) * ax
        + 3.29079923573345962678e3) * ax + 4.36261909014324715820e3) * ax
        + 3.43936767414372163696e3) * ax + 1.23033935480374942043e3);
    erfc = exp(-ax * ax) * num / den;
  } else if (ax < 27.0) {
    double z = 1.0 / (ax * ax);
    double num = (((((1.63153871373020978498e-2 * z + 3.05326634961232344035e-1) * z
        + 3.60344899949804439429e-1) * z + 1.25781726111229246204e-1) * z
        + 1.60837851487422766278e-2) * z + 6.58749161529837803157e-4);
    double den = (((((z + 2.56852019228982242072e0) * z + 1.87295284992346725209e0) * z
        + 5.27905102951428412248e-1) * z + 6.05183413124413191178e-2) * z
        + 2.33520497626869185443e-3);
    double r = z * num / den;
    erfc = exp(-ax * ax) / ax * (0.56418958354775628695 - r);
  } else {
    erfc = 0.0;
  }
  double v = 1.0 - erfc;
  return x < 0 ? -v : v;
}

#define OD_MODEL_NAME "lotka_volterra"
#define OD_SOLVER_NAME "dopri5"
#define OD_N 2
#define OD_NA 2 /* array lengths: at least 1 */
#define OD_NP 5
#define OD_NPA 5
#define OD_AUTO 0
#define OD_USE_RK 1

/* ---- the model ---- */

/* od_rhs: dy/dt = f(t, y, p) */
/* rhs: 2 outputs, 14 scheduled nodes */
OD_FN void od_rhs(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  const double v6 = p[0] * y[0];
  const double v8 = p[1] * y[0];
  const double v10 = v8 * y[1];
  const double v11 = v6 - v10;
  const double v13 = p[2] * y[0];
  const double v14 = v13 * y[1];
  const double v16 = p[3] * y[1];
  const double v17 = v14 - v16;
  out[0] = v11;
  out[1] = v17;
}

/* od_initial: y0(p) (y is not read) */
/* initial: 2 outputs, 1 scheduled nodes */
OD_FN void od_initial(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  out[0] = 1.0;
  out[1] = 1.0;
}

/* the Jacobian df/dy: 4 structurally non-zero entries in compressed rows; od_jac writes their values in pattern order */
#define OD_NJ 4
#define OD_NJA 4
OD_CONST int od_jac_row_start[3] = {0, 2, 4};
OD_CONST int od_jac_col[OD_NJA] = {0, 1, 0, 1};
/* jacobian: 4 outputs, 15 scheduled nodes */
OD_FN void od_jac(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  const double v8 = p[1] * y[0];
  const double v13 = p[2] * y[0];
  const double v151 = -y[1];
  const double v152 = -v8;
  const double v153 = v151 * p[1];
  const double v154 = v153 + p[0];
  const double v155 = -p[3];
  const double v156 = v155 + v13;
  const double v157 = y[1] * p[2];
  out[0] = v154;
  out[1] = v152;
  out[2] = v157;
  out[3] = v156;
}

/* the dense Jacobian (row-major n x n) from the sparse one */
OD_FN void od_jac_dense(double t, const double *y, const double *p, double *jd) {
  double v[OD_NJA];
  od_jac(t, y, p, v);
  for (int i = 0; i < OD_N * OD_N; i++) jd[i] = 0.0;
  for (int i = 0; i < OD_N; i++) {
    for (int e = od_jac_row_start[i]; e < od_jac_row_start[i + 1]; e++) jd[i * OD_N + od_jac_col[e]] = v[e];
  }
}

/* od_vjp: the vector-Jacobian products of F: y = [x (2), u (2)], out = [u^T dF/dx (2), u^T dF/dp (5), u^T dF/dt (1)] */
/* vjp_forward: 8 outputs, 32 scheduled nodes */
OD_FN void od_vjp(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  const double v8 = p[1] * y[0];
  const double v13 = p[2] * y[0];
  const double v24 = -y[3];
  const double v25 = v24 * y[1];
  const double v26 = v24 * p[3];
  const double v27 = y[3] * y[1];
  const double v28 = y[3] * v13;
  const double v29 = v26 + v28;
  const double v30 = v27 * y[0];
  const double v31 = v27 * p[2];
  const double v32 = -y[2];
  const double v33 = v32 * y[1];
  const double v34 = v32 * v8;
  const double v35 = v29 + v34;
  const double v36 = v33 * y[0];
  const double v37 = v33 * p[1];
  const double v38 = v31 + v37;
  const double v39 = y[2] * y[0];
  const double v40 = y[2] * p[0];
  const double v41 = v38 + v40;
  const double v43_0 = v41;
  const double v43_1 = v35;
  const double v45_0 = v39;
  const double v45_1 = v36;
  const double v45_2 = v30;
  const double v45_3 = v25;
  const double v45_4 = 0.0;
  out[0] = v43_0;
  out[1] = v43_1;
  out[2] = v45_0;
  out[3] = v45_1;
  out[4] = v45_2;
  out[5] = v45_3;
  out[6] = v45_4;
  out[7] = 0.0;
}

/* od_adjoint: the backsolve adjoint system (Chen et al., Algorithm 1), state [x, lambda, mu] of 9: [F, -(dF/dx)^T lambda, -(dF/dp)^T lambda] */
/* adjoint: 9 outputs, 39 scheduled nodes */
OD_FN void od_adjoint(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  const double v6 = p[0] * y[0];
  const double v8 = p[1] * y[0];
  const double v10 = v8 * y[1];
  const double v11 = v6 - v10;
  const double v13 = p[2] * y[0];
  const double v14 = v13 * y[1];
  const double v16 = p[3] * y[1];
  const double v17 = v14 - v16;
  const double v24 = -y[3];
  const double v25 = v24 * y[1];
  const double v26 = v24 * p[3];
  const double v27 = y[3] * y[1];
  const double v28 = y[3] * v13;
  const double v29 = v26 + v28;
  const double v30 = v27 * y[0];
  const double v31 = v27 * p[2];
  const double v32 = -y[2];
  const double v33 = v32 * y[1];
  const double v34 = v32 * v8;
  const double v35 = v29 + v34;
  const double v36 = v33 * y[0];
  const double v37 = v33 * p[1];
  const double v38 = v31 + v37;
  const double v39 = y[2] * y[0];
  const double v40 = y[2] * p[0];
  const double v41 = v38 + v40;
  const double v43_0 = v41;
  const double v43_1 = v35;
  const double v45_0 = v39;
  const double v45_1 = v36;
  const double v45_2 = v30;
  const double v45_3 = v25;
  const double v45_4 = 0.0;
  const double v46_0 = -v43_0;
  const double v46_1 = -v43_1;
  const double v47_0 = -v45_0;
  const double v47_1 = -v45_1;
  const double v47_2 = -v45_2;
  const double v47_3 = -v45_3;
  const double v47_4 = -v45_4;
  out[0] = v11;
  out[1] = v17;
  out[2] = v46_0;
  out[3] = v46_1;
  out[4] = v47_0;
  out[5] = v47_1;
  out[6] = v47_2;
  out[7] = v47_3;
  out[8] = v47_4;
}

/* od_sensitivity: the forward-sensitivity system, state [x, S_1, ..., S_5] of 12: [F, dF/dx S_k + dF/dp_k] for each param component k */
/* sensitivity: 12 outputs, 103 scheduled nodes */
OD_FN void od_sensitivity(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  const double v6 = p[0] * y[0];
  const double v8 = p[1] * y[0];
  const double v10 = v8 * y[1];
  const double v11 = v6 - v10;
  const double v13 = p[2] * y[0];
  const double v14 = v13 * y[1];
  const double v16 = p[3] * y[1];
  const double v17 = v14 - v16;
  const double v58 = y[2];
  const double v59 = v58 * p[0];
  const double v60 = y[0] + v59;
  const double v61 = v58 * p[1];
  const double v62 = y[3];
  const double v63 = v61 * y[1];
  const double v64 = v62 * v8;
  const double v65 = v63 + v64;
  const double v66 = -v65;
  const double v67 = v60 + v66;
  const double v68 = v58 * p[2];
  const double v69 = v68 * y[1];
  const double v70 = v62 * v13;
  const double v71 = v69 + v70;
  const double v72 = v62 * p[3];
  const double v73 = -v72;
  const double v74 = v71 + v73;
  const double v77 = y[4];
  const double v78 = v77 * p[0];
  const double v79 = v77 * p[1];
  const double v80 = y[0] + v79;
  const double v81 = y[5];
  const double v82 = v80 * y[1];
  const double v83 = v81 * v8;
  const double v84 = v82 + v83;
  const double v85 = -v84;
  const double v86 = v78 + v85;
  const double v87 = v77 * p[2];
  const double v88 = v87 * y[1];
  const double v89 = v81 * v13;
  const double v90 = v88 + v89;
  const double v91 = v81 * p[3];
  const double v92 = -v91;
  const double v93 = v90 + v92;
  const double v96 = y[6];
  const double v97 = v96 * p[0];
  const double v98 = v96 * p[1];
  const double v99 = y[7];
  const double v100 = v98 * y[1];
  const double v101 = v99 * v8;
  const double v102 = v100 + v101;
  const double v103 = -v102;
  const double v104 = v97 + v103;
  const double v105 = v96 * p[2];
  const double v106 = y[0] + v105;
  const double v107 = v106 * y[1];
  const double v108 = v99 * v13;
  const double v109 = v107 + v108;
  const double v110 = v99 * p[3];
  const double v111 = -v110;
  const double v112 = v109 + v111;
  const double v115 = y[8];
  const double v116 = v115 * p[0];
  const double v117 = v115 * p[1];
  const double v118 = y[9];
  const double v119 = v117 * y[1];
  const double v120 = v118 * v8;
  const double v121 = v119 + v120;
  const double v122 = -v121;
  const double v123 = v116 + v122;
  const double v124 = v115 * p[2];
  const double v125 = v124 * y[1];
  const double v126 = v118 * v13;
  const double v127 = v125 + v126;
  const double v128 = v118 * p[3];
  const double v129 = y[1] + v128;
  const double v130 = -v129;
  const double v131 = v127 + v130;
  const double v134 = y[10];
  const double v135 = v134 * p[0];
  const double v136 = v134 * p[1];
  const double v137 = y[11];
  const double v138 = v136 * y[1];
  const double v139 = v137 * v8;
  const double v140 = v138 + v139;
  const double v141 = -v140;
  const double v142 = v135 + v141;
  const double v143 = v134 * p[2];
  const double v144 = v143 * y[1];
  const double v145 = v137 * v13;
  const double v146 = v144 + v145;
  const double v147 = v137 * p[3];
  const double v148 = -v147;
  const double v149 = v146 + v148;
  out[0] = v11;
  out[1] = v17;
  out[2] = v67;
  out[3] = v74;
  out[4] = v86;
  out[5] = v93;
  out[6] = v104;
  out[7] = v112;
  out[8] = v123;
  out[9] = v131;
  out[10] = v142;
  out[11] = v149;
}

/* bench mode: the nominal parameter vector, and which entries its members vary */
OD_CONST double od_bench_nominal[OD_NPA] = {1.5, 1.0, 3.0, 1.0, 0.1};
OD_CONST int od_bench_perturb[OD_NPA] = {1, 1, 1, 1, 1};

/* ---- what every solver shares: options, results, status codes, checks ------------------------
 * A member's solve reads its parameters and initial state from a strided array (stride 1 within a
 * member's record on the CPU, stride = members in the GPU's struct-of-arrays layout) and writes its
 * state at output time j, component c, to out[(j * OD_N + c) * stride]. */

#define OD_OK 0
#define OD_STEP_UNDERFLOW 1 /* time, value = |h| */
#define OD_MAX_STEPS 2      /* time, value = step attempts */
#define OD_NON_FINITE 3     /* time, component (-1: the error estimate), value, flags */
#define OD_STIFF 4          /* time, value = |h|, aux = stability-limited steps */
#define OD_SINGULAR 5       /* time, aux = consecutive singular matrices */
#define OD_JACOBIAN 6       /* time, component = row, aux = column, value */
#define OD_BAD_INITIAL 7    /* component, value */

#define OD_FLAG_DERIVATIVE 1 /* the non-finite value was a derivative, not a state */
#define OD_FLAG_AT_START 2   /* ... at the start time */
#define OD_FLAG_ROSENBROCK 4 /* the failure happened in rodas5 (the step-size underflow message differs) */

typedef struct {
  double t0;
  double dt;        /* NaN: adaptive steps */
  double h0;        /* NaN: Hairer's automatic initial step */
  long long max_steps;
  long long stiff_after; /* 0: no stiffness detection */
  long long nsave;
  const double *saveat;
  const double *rtol;
  const double *atol;
} od_options;

typedef struct {
  int status;
  int component;
  int flags;
  int aux;
  double time;
  double value;
  long long nfe, steps, rejected, jacobians, lu, switches;
} od_result;

OD_FN int od_first_non_finite(const double *v) {
  for (int c = 0; c < OD_N; c++) {
    if (!isfinite(v[c])) return c;
  }
  return -1;
}

OD_FN int od_fail(od_result *r, int status, double t, int component, double value, int flags) {
  r->status = status;
  r->time = t;
  r->component = component;
  r->value = value;
  r->flags |= flags;
  return status;
}

/* SolverInputs.lastStep: within rounding for fixed steps, within 1% for adaptive ones. */
OD_FN int od_last_step(int fixed, double h_abs, double remaining_abs) {
  return fixed ? remaining_abs <= h_abs * (1 + 1e-10) : h_abs * 1.01 >= remaining_abs;
}

/* A non-finite attempt that was rejected: kept, and reported if the step size then underflows. */
typedef struct {
  int set;
  int component;
  int flags;
  double time;
  double value;
} od_pending;

/* Keeps the failure just recorded in r as pending, and sets r's flags back to keep_flags. */
OD_FN void od_pend(od_pending *q, od_result *r, int keep_flags) {
  q->set = 1;
  q->time = r->time;
  q->component = r->component;
  q->flags = r->flags;
  q->value = r->value;
  r->flags = keep_flags;
}

/* The guard before every step attempt (SolverInputs.lastStep, stepUnderflow, tooManySteps): clips the
 * last step to land on t_end, fails on a step size below what t resolves (with the pending non-finite
 * value, if any, as the cause) or on an exhausted budget, else counts the attempt and sets t_new. */
OD_FN int od_step_guard(long long max_steps, int fixed, double t, double t_end, double *h, long long *attempts,
    int *last, double *t_new, const od_pending *q, od_result *r) {
  double remaining = t_end - t;
  *last = od_last_step(fixed, fabs(*h), fabs(remaining));
  if (*last) *h = remaining;
  if (!*last && fabs(*h) < 1e-14 * od_max(1.0, fabs(t))) {
    if (q->set) return od_fail(r, OD_NON_FINITE, q->time, q->component, q->value, q->flags);
    return od_fail(r, OD_STEP_UNDERFLOW, t, 0, fabs(*h), 0);
  }
  if (*attempts >= max_steps) return od_fail(r, OD_MAX_STEPS, t, 0, (double) *attempts, 0);
  (*attempts)++;
  *t_new = *last ? t_end : t + *h;
  return OD_OK;
}

OD_FN void od_store(double *out, long long stride, long long j, const double *y) {
  for (int c = 0; c < OD_N; c++) out[(j * OD_N + c) * stride] = y[c];
}

/* The start of every solve: the output times equal to t0 get y itself (from *next on); sets the end,
 * the direction and the length of the span; returns 1 when no output is left to integrate for. */
OD_FN int od_begin(const od_options *o, double t0, const double *y, long long *next, double *out, long long stride,
    double *t_end, double *dir, double *span) {
  long long m = o->nsave;
  *t_end = o->saveat[m - 1];
  *dir = *t_end > t0 ? 1.0 : *t_end < t0 ? -1.0 : 0.0;
  *span = fabs(*t_end - t0);
  while (*next < m && o->saveat[*next] == t0) od_store(out, stride, (*next)++, y);
  return *next == m;
}

/* SolverInputs.hairerInitialStep: Hairer's HINIT (Solving ODEs I, II.4) for a method of the given
 * order; evaluates f once (into fs, with ys as its input). */
OD_FN double od_initial_step(const double *p, double t0, const double *y, const double *f0, double span,
    double dir, int order, const double *rtol, const double *atol, double *ys, double *fs) {
  double dnf = 0.0;
  double dny = 0.0;
  for (int c = 0; c < OD_N; c++) {
    double sc = atol[c] + rtol[c] * fabs(y[c]);
    dnf += (f0[c] / sc) * (f0[c] / sc);
    dny += (y[c] / sc) * (y[c] / sc);
  }
  double h0 = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : sqrt(dny / dnf) * 0.01;
  h0 = od_min(h0, span);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + dir * h0 * f0[c];
  od_rhs(t0 + dir * h0, ys, p, fs);
  double der2 = 0.0;
  for (int c = 0; c < OD_N; c++) {
    double sc = atol[c] + rtol[c] * fabs(y[c]);
    double d = (fs[c] - f0[c]) / sc;
    der2 += d * d;
  }
  double nn = OD_N > 1 ? (double) OD_N : 1.0;
  der2 = sqrt(der2 / nn) / h0;
  double der12 = od_max(fabs(der2), sqrt(dnf / nn));
  double h1 = der12 <= 1e-15 ? od_max(1e-6, h0 * 1e-3) : od_java_pow(0.01 / der12, 1.0 / order);
  double h = od_min(od_min(100 * h0, h1), span);
  return isfinite(h) && h > 0 ? h : od_min(1e-6, span);
}

/* ---- dopri5 (order 5, 7 stages, c = [0.0, 0.2, 0.3, 0.8, 0.8888888888888888, 1.0, 1.0]) ---- */
#define OD_RK_STAGES 7
#define OD_RK_SLOTS 7
#define OD_RK_END 6
#define OD_RK_FSAL 1
#define OD_RK_ADAPTIVE 1
#define OD_RK_E2 0
#define OD_RK_EXTRA 0
#define OD_RK_ORDER 5
#define OD_RK_BETA 0.04
#define OD_RK_FACMIN 0.2
#define OD_RK_FACMAX 10.0
#define OD_RK_EXPO1 0.17
#define OD_RK_DETECT 1
#define OD_RK_STIFF_BOUNDARY 1.625
OD_CONST double od_rk_c[OD_RK_STAGES] = {0.0, 0.2, 0.3, 0.8, 0.8888888888888888, 1.0, 1.0};

OD_FN void od_rk_attempt(double t, double h, double t_new, const double *y, double (*k)[OD_NA], double *ys,
    double *yn, const double *p) {
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + h * (0.0 + 0.2 * k[0][c]);
  od_rhs(t + 0.2 * h, ys, p, k[1]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + h * (0.0 + 0.075 * k[0][c] + 0.225 * k[1][c]);
  od_rhs(t + 0.3 * h, ys, p, k[2]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + h * (0.0 + 0.9777777777777777 * k[0][c] + (-3.7333333333333334) * k[1][c] + 3.5555555555555554 * k[2][c]);
  od_rhs(t + 0.8 * h, ys, p, k[3]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + h * (0.0 + 2.9525986892242035 * k[0][c] + (-11.595793324188385) * k[1][c] + 9.822892851699436 * k[2][c] + (-0.2908093278463649) * k[3][c]);
  od_rhs(t + 0.8888888888888888 * h, ys, p, k[4]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + h * (0.0 + 2.8462752525252526 * k[0][c] + (-10.757575757575758) * k[1][c] + 8.906422717743473 * k[2][c] + 0.2784090909090909 * k[3][c] + (-0.2735313036020583) * k[4][c]);
  od_rhs(t_new, ys, p, k[5]);
  for (int c = 0; c < OD_N; c++) yn[c] = y[c] + h * (0.0 + 0.09114583333333333 * k[0][c] + 0.44923629829290207 * k[2][c] + 0.6510416666666666 * k[3][c] + (-0.322376179245283) * k[4][c] + 0.13095238095238096 * k[5][c]);
  od_rhs(t_new, yn, p, k[6]);
}

OD_FN double od_rk_err5(double h, const double *y, const double *yn, double (*k)[OD_NA],
    const double *rtol, const double *atol) {
  double sum = 0.0;
  for (int c = 0; c < OD_N; c++) {
    double sc = atol[c] + rtol[c] * od_max(fabs(y[c]), fabs(yn[c]));
    double e = (0.0 + 0.0012326388888888888 * k[0][c] + (-0.0042527702905061394) * k[2][c] + 0.03697916666666667 * k[3][c] + (-0.05086379716981132) * k[4][c] + 0.0419047619047619 * k[5][c] + (-0.025) * k[6][c]) * (h / sc);
    sum += e * e;
  }
  return sum;
}

OD_FN double od_rk_err3(double h, const double *y, const double *yn, double (*k)[OD_NA],
    const double *rtol, const double *atol) {
  (void) h; (void) y; (void) yn; (void) k; (void) rtol; (void) atol;
  return 0.0;
}

OD_FN void od_rk_dense(double t0, double h, double tq, const double *y, double (*k)[OD_NA], double *out) {
  double theta = (tq - t0) / h;
  double w0 = 0.0;
  w0 = w0 * theta + (-1.1270175653862835);
  w0 = w0 * theta + 3.0717434641059005;
  w0 = w0 * theta + (-2.8535800653862835);
  w0 = w0 * theta + 1.0;
  w0 = w0 * theta;
  double w2 = 0.0;
  w2 = w2 * theta + 2.675424484351598;
  w2 = w2 * theta + (-6.249321565289);
  w2 = w2 * theta + 4.023133379230304;
  w2 = w2 * theta + 0.0;
  w2 = w2 * theta;
  double w3 = 0.0;
  w3 = w3 * theta + (-5.685526961588504);
  w3 = w3 * theta + 10.068970589843675;
  w3 = w3 * theta + (-3.7324019615885042);
  w3 = w3 * theta + 0.0;
  w3 = w3 * theta;
  double w4 = 0.0;
  w4 = w4 * theta + 3.5219323679207912;
  w4 = w4 * theta + (-6.399112377351017);
  w4 = w4 * theta + 2.5548038301849423;
  w4 = w4 * theta + 0.0;
  w4 = w4 * theta;
  double w5 = 0.0;
  w5 = w5 * theta + (-1.7672812570757455);
  w5 = w5 * theta + 3.272657752246729;
  w5 = w5 * theta + (-1.3744241142186024);
  w5 = w5 * theta + 0.0;
  w5 = w5 * theta;
  double w6 = 0.0;
  w6 = w6 * theta + 2.382468931778144;
  w6 = w6 * theta + (-3.7649378635562876);
  w6 = w6 * theta + 1.3824689317781438;
  w6 = w6 * theta + 0.0;
  w6 = w6 * theta;
  for (int c = 0; c < OD_N; c++) out[c] = y[c] + h * (0.0 + w0 * k[0][c] + w2 * k[2][c] + w3 * k[3][c] + w4 * k[4][c] + w5 * k[5][c] + w6 * k[6][c]);
}

/* ---- explicit Runge-Kutta solver: dev.odec.solve.ExplicitRk in C --------------------------------
 * The stages, the error sums, the dense output and the extra dense-output stages are generated
 * from the method's tableau (od_rk_attempt, od_rk_err5, od_rk_err3, od_rk_dense, od_rk_extra);
 * this loop is ExplicitRk.solve statement by statement: Hairer's error norm, the PI controller
 * h_new = h clamp(safety err^-alpha err_old^beta, facMin, facMax), no growth after a rejection,
 * the last step clipped to land on the end, outputs interpolated, Hairer's stiffness test, and the
 * same failures. k[0] holds f(t, y); k[OD_RK_END] holds f(t + h, y1) after a step. */

#define OD_RK_SAFETY 0.9

/* Hairer's error measure of the attempted step (ExplicitRk.errorNorm). */
OD_FN double od_rk_error(double h, const double *y, const double *yn, double (*k)[OD_NA], const double *rtol,
    const double *atol) {
  double sum5 = od_rk_err5(h, y, yn, k, rtol, atol);
#if OD_RK_E2
  double sum3 = od_rk_err3(h, y, yn, k, rtol, atol);
#endif
  if (OD_N == 0) return 0.0;
#if OD_RK_E2
  double deno = sum5 + 0.01 * sum3;
  if (deno <= 0.0) deno = 1.0;
  return sum5 / sqrt((double) OD_N * deno);
#else
  return sqrt(sum5 / (double) OD_N);
#endif
}

/* ExplicitRk.findNonFinite: records the first NaN or infinity of the attempted step in r and
 * returns 0, or returns 1. */
OD_FN int od_rk_find_non_finite(double t, double h, double t_new, int scan_stages, const double *yn,
    double (*k)[OD_NA], od_result *r) {
  int c = od_first_non_finite(yn);
  if (c >= 0) {
    r->time = t_new; r->component = c; r->value = yn[c]; r->flags = 0;
    return 0;
  }
  for (int i = 1; i < OD_RK_STAGES; i++) {
    if (scan_stages || (OD_RK_FSAL && i == OD_RK_STAGES - 1)) {
      c = od_first_non_finite(k[i]);
      if (c >= 0) {
        r->time = od_rk_c[i] == 1.0 ? t_new : t + od_rk_c[i] * h;
        r->component = c; r->value = k[i][c]; r->flags = OD_FLAG_DERIVATIVE;
        return 0;
      }
    }
  }
  if (scan_stages) { /* the error measure overflowed without any non-finite value */
    r->time = t_new; r->component = -1; r->value = INFINITY; r->flags = 0;
    return 0;
  }
  return 1;
}

#if OD_RK_DETECT
/* ExplicitRk.stiffnessRatio: |k_s - k_{s-1}| / |y1 - Y_{s-1}| after an accepted FSAL step. */
OD_FN double od_rk_stiffness_ratio(const double *yn, const double *ys, double (*k)[OD_NA]) {
  double num = 0.0;
  double den = 0.0;
  for (int c = 0; c < OD_N; c++) {
    double dk = k[OD_RK_STAGES - 1][c] - k[OD_RK_STAGES - 2][c];
    double dy = yn[c] - ys[c];
    num += dk * dk;
    den += dy * dy;
  }
  return den > 0 ? sqrt(num / den) : 0.0;
}
#endif

/*
 * Integrates from (t0, y) to the last output time; outputs from index *next on. On return y holds
 * the state where the solve stopped and *next the first output not written. With stiffness
 * detection (o->stiff_after > 0) the solve stops with OD_STIFF after that many consecutive
 * stability-limited steps (the auto solver then goes on with rodas5 from there).
 */
OD_FN int od_rk_solve(const od_options *o, const double *p, double t0, double *y, long long *next, double *out,
    long long stride, od_result *r) {
  double k[OD_RK_SLOTS][OD_NA];
  double yn[OD_NA];
  double ys[OD_NA];
  const double *rtol = o->rtol;
  const double *atol = o->atol;
  const double *saveat = o->saveat;
  long long m = o->nsave;
  double t_end, dir, span;
  if (od_begin(o, t0, y, next, out, stride, &t_end, &dir, &span)) return OD_OK;
  long long out_i = *next;

  od_rhs(t0, y, p, k[0]);
  r->nfe++;
  int bad = od_first_non_finite(k[0]);
  if (bad >= 0) return od_fail(r, OD_NON_FINITE, t0, bad, k[0][bad], OD_FLAG_DERIVATIVE | OD_FLAG_AT_START);

  int fixed = !OD_RK_ADAPTIVE || !isnan(o->dt);
  double h;
  if (fixed) {
    h = dir * o->dt;
  } else if (!isnan(o->h0)) {
    h = dir * od_min(fabs(o->h0), span);
  } else {
    r->nfe++;
    h = dir * od_initial_step(p, t0, y, k[0], span, dir, OD_RK_ORDER, rtol, atol, ys, k[1]);
  }

  double t = t0;
  long long attempts = 0;
  int rejected_last = 0;
  od_pending pending = {0, 0, 0, 0.0, 0.0};
  double err_old = 1e-4;
  double h_abs_max = span;
  long long stiff_steps = 0;
  long long non_stiff_steps = 0;
  int detect = o->stiff_after > 0 && !fixed && OD_RK_DETECT;
  (void) non_stiff_steps;

  for (;;) {
    int last;
    double t_new;
    int st = od_step_guard(o->max_steps, fixed, t, t_end, &h, &attempts, &last, &t_new, &pending, r);
    if (st != OD_OK) return st;

    od_rk_attempt(t, h, t_new, y, k, ys, yn, p);
    r->nfe += OD_RK_STAGES - 1;
    double err = fixed ? 0.0 : od_rk_error(h, y, yn, k, rtol, atol);
    if (!od_rk_find_non_finite(t, h, t_new, !isfinite(err), yn, k, r)) {
      if (fixed) return od_fail(r, OD_NON_FINITE, r->time, r->component, r->value, r->flags);
      od_pend(&pending, r, 0);
      r->rejected++;
      rejected_last = 1;
      h *= OD_RK_FACMIN;
      continue;
    }
    if (err > 1.0) {
      r->rejected++;
      rejected_last = 1;
      double fac11 = od_java_pow(err, OD_RK_EXPO1);
      h /= od_min(1.0 / OD_RK_FACMIN, fac11 / OD_RK_SAFETY);
      continue;
    }

    /* accepted */
#if !OD_RK_FSAL
    od_rhs(t_new, yn, p, k[OD_RK_END]);
    r->nfe++;
    bad = od_first_non_finite(k[OD_RK_END]);
    if (bad >= 0) return od_fail(r, OD_NON_FINITE, t_new, bad, k[OD_RK_END][bad], OD_FLAG_DERIVATIVE);
#endif
    double h_next = h;
    if (!fixed) {
      double fac11 = od_java_pow(err, OD_RK_EXPO1);
      double fac = fac11 / od_java_pow(err_old, OD_RK_BETA);
      fac = od_max(1.0 / OD_RK_FACMAX, od_min(1.0 / OD_RK_FACMIN, fac / OD_RK_SAFETY));
      double h_abs = od_min(fabs(h) / fac, h_abs_max);
      if (rejected_last) h_abs = od_min(h_abs, fabs(h));
      h_next = dir * h_abs;
      err_old = od_max(err, 1e-4);
    }
    rejected_last = 0;
    pending.set = 0;
#if OD_RK_DETECT
    if (detect) {
      /* Hairer's test (Solving ODEs II, IV.2): the last two stages are both at t + h */
      if (fabs(h) * od_rk_stiffness_ratio(yn, ys, k) > OD_RK_STIFF_BOUNDARY) {
        non_stiff_steps = 0;
        stiff_steps++;
      } else if (++non_stiff_steps >= 6) {
        stiff_steps = 0;
      }
    }
#endif

#if OD_RK_EXTRA
    int extras_ready = 0;
#endif
    while (out_i < m && (saveat[out_i] - t_new) * dir <= 0) {
      if (saveat[out_i] == t_new) {
        od_store(out, stride, out_i, yn);
      } else {
#if OD_RK_EXTRA
        if (!extras_ready) {
          st = od_rk_extra(t, h, y, k, ys, p, r);
          if (st != OD_OK) return st;
          extras_ready = 1;
        }
#endif
        od_rk_dense(t, h, saveat[out_i], y, k, ys);
        od_store(out, stride, out_i, ys);
      }
      out_i++;
    }
    r->steps++;

    for (int c = 0; c < OD_N; c++) {
      y[c] = yn[c];
      k[0][c] = k[OD_RK_END][c];
    }
    t = t_new;
    *next = out_i;
    if (last) break;
    if (detect && stiff_steps >= o->stiff_after) {
      r->time = t;
      r->value = fabs(h);
      r->aux = (int) stiff_steps;
      return OD_STIFF;
    }
    h = h_next;
  }
  return OD_OK;
}

/* ---- one member: read its parameters and initial state, solve, record the outcome ---------------
 * y0 == NULL: the initial state is computed from p with the generated od_initial (bench mode). With
 * the auto solver (OD_AUTO) a member whose explicit solve detects stiffness goes on with rodas5 from
 * where it stopped, as the JVM's auto switches to bdf. */

OD_FN void od_solve_member(const od_options *o, const double *pg, const double *y0g, double *out, long long stride,
    od_result *r) {
  double p[OD_NPA];
  double y[OD_NA];
  for (int q = 0; q < OD_NP; q++) p[q] = pg[q * stride];
  if (y0g != NULL) {
    for (int c = 0; c < OD_N; c++) y[c] = y0g[c * stride];
  } else {
    double none[OD_NA];
    for (int c = 0; c < OD_NA; c++) none[c] = 0.0;
    od_initial(0.0, none, p, y);
  }
  r->status = OD_OK;
  r->component = 0;
  r->flags = 0;
  r->aux = 0;
  r->time = o->t0;
  r->value = 0.0;
  r->nfe = r->steps = r->rejected = r->jacobians = r->lu = r->switches = 0;
  int bad = od_first_non_finite(y);
  if (bad >= 0) {
    od_fail(r, OD_BAD_INITIAL, o->t0, bad, y[bad], 0);
    return;
  }
  long long next = 0;
#if OD_USE_RK
  int st = od_rk_solve(o, p, o->t0, y, &next, out, stride, r);
#if OD_AUTO
  if (st == OD_STIFF) {
    r->switches++;
    r->flags = 0;
    st = od_ros_solve(o, p, r->time, y, &next, out, stride, r);
  }
#endif
#else
  int st = od_ros_solve(o, p, o->t0, y, &next, out, stride, r);
#endif
  r->status = st;
}

/* splitmix64 (Steele, Lea and Flood 2014): the bench mode's parameter draws, reproducible in
 * Python from the member index alone. */
OD_FN double od_uniform(unsigned long long key) {
  unsigned long long z = key + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z = z ^ (z >> 31);
  return (double) (z >> 11) * 0x1.0p-53;
}

/* Bench mode's member m: the nominal values, those marked in od_bench_perturb times (1 + 0.1 (2u - 1)),
 * u = od_uniform(m * OD_NP + q). */
OD_FN void od_bench_params(long long m, double *p, long long stride) {
  for (int q = 0; q < OD_NP; q++) {
    double v = od_bench_nominal[q];
    if (od_bench_perturb[q]) v *= 1.0 + 0.1 * (2.0 * od_uniform((unsigned long long) (m * OD_NP + q)) - 1.0);
    p[q * stride] = v;
  }
}

/* ---- the batch files (valid C99 and C++: the CUDA driver's host code shares it) ------------------
 * All numbers in the machine's byte order (odec writes little-endian; a mismatch is detected).
 *
 * Input:  "ODECIN01", int64 0x0102030405060708 (byte order check),
 *         int64 members, n, np, nsave, max_steps, stiff_after, repeat,
 *         double t0, dt (NaN: adaptive), h0 (NaN: automatic),
 *         double rtol[n], atol[n], saveat[nsave], p[members][np], y0[members][n]
 * Output: "ODECOUT1", int64 members, n, nsave, launches, double solve_ms, total_ms,
 *         members records of 80 bytes (od_result: int32 status, component, flags, aux;
 *         double time, value; int64 nfe, steps, rejected, jacobians, lu, switches),
 *         double states[members][nsave][n]
 * solve_ms is the median over `repeat` solves of the whole batch (the kernel time on a GPU);
 * total_ms adds the transfers to and from the GPU. */

typedef struct {
  long long members, n, np, nsave, max_steps, stiff_after, repeat;
  double t0, dt, h0;
  double *rtol, *atol, *saveat, *p, *y0;
} od_batch;

static int od_read_all(FILE *f, void *dst, size_t size, size_t count) {
  return count == 0 || fread(dst, size, count, f) == count;
}

static double *od_alloc_doubles(long long count) {
  return (double *) malloc((size_t) (count > 0 ? count : 1) * sizeof(double));
}

/* Reads a batch; on failure returns 0 with a message in err. */
static int od_read_batch(FILE *f, od_batch *b, char *err, size_t errlen) {
  char magic[8];
  long long order;
  if (!od_read_all(f, magic, 1, 8) || memcmp(magic, "ODECIN01", 8) != 0) {
    snprintf(err, errlen, "the input is not an odec batch (bad magic)");
    return 0;
  }
  if (!od_read_all(f, &order, sizeof order, 1) || order != 0x0102030405060708LL) {
    snprintf(err, errlen, "the batch was written in another byte order");
    return 0;
  }
  long long head[7];
  double times[3];
  if (!od_read_all(f, head, sizeof(long long), 7) || !od_read_all(f, times, sizeof(double), 3)) {
    snprintf(err, errlen, "the batch header is truncated");
    return 0;
  }
  b->members = head[0]; b->n = head[1]; b->np = head[2]; b->nsave = head[3];
  b->max_steps = head[4]; b->stiff_after = head[5]; b->repeat = head[6];
  b->t0 = times[0]; b->dt = times[1]; b->h0 = times[2];
  if (b->n != OD_N || b->np != OD_NP) {
    snprintf(err, errlen, "the batch is for %lld states and %lld parameters, this program for %d and %d",
        b->n, b->np, OD_N, OD_NP);
    return 0;
  }
  if (b->members < 0 || b->nsave < 1 || b->repeat < 1) {
    snprintf(err, errlen, "the batch header is inconsistent");
    return 0;
  }
  b->rtol = od_alloc_doubles(b->n);
  b->atol = od_alloc_doubles(b->n);
  b->saveat = od_alloc_doubles(b->nsave);
  b->p = od_alloc_doubles(b->members * b->np);
  b->y0 = od_alloc_doubles(b->members * b->n);
  if (!b->rtol || !b->atol || !b->saveat || !b->p || !b->y0) {
    snprintf(err, errlen, "out of memory reading a batch of %lld members", b->members);
    return 0;
  }
  if (!od_read_all(f, b->rtol, sizeof(double), (size_t) b->n) || !od_read_all(f, b->atol, sizeof(double), (size_t) b->n)
      || !od_read_all(f, b->saveat, sizeof(double), (size_t) b->nsave)
      || !od_read_all(f, b->p, sizeof(double), (size_t) (b->members * b->np))
      || !od_read_all(f, b->y0, sizeof(double), (size_t) (b->members * b->n))) {
    snprintf(err, errlen, "the batch is truncated");
    return 0;
  }
  return 1;
}

static int od_write_results(FILE *f, const od_batch *b, const od_result *res, const double *states, long long launches,
    double solve_ms, double total_ms) {
  long long head[4] = {b->members, b->n, b->nsave, launches};
  double ms[2] = {solve_ms, total_ms};
  size_t count = (size_t) (b->members * b->nsave * b->n);
  int ok = fwrite("ODECOUT1", 1, 8, f) == 8 && fwrite(head, sizeof(long long), 4, f) == 4
      && fwrite(ms, sizeof(double), 2, f) == 2
      && (b->members == 0 || fwrite(res, sizeof(od_result), (size_t) b->members, f) == (size_t) b->members)
      && (count == 0 || fwrite(states, sizeof(double), count, f) == count);
  return ok && fflush(f) == 0;
}

static int od_compare_doubles(const void *a, const void *b) {
  double x = *(const double *) a;
  double y = *(const double *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static double od_median(double *v, long long n) {
  qsort(v, (size_t) n, sizeof(double), od_compare_doubles);
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Bench mode's command line: --bench M [--repeat R] [--t1 T] [--nsave K] [--rtol X] [--atol X]. */
typedef struct {
  long long members, repeat, nsave;
  double t1, rtol, atol;
} od_bench_args;

static int od_parse_bench(int argc, char **argv, od_bench_args *a) {
  a->members = -1; a->repeat = 3; a->nsave = 11; a->t1 = 10.0; a->rtol = 1e-6; a->atol = 1e-8;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--bench") == 0) a->members = atoll(argv[i + 1]);
    else if (strcmp(argv[i], "--repeat") == 0) a->repeat = atoll(argv[i + 1]);
    else if (strcmp(argv[i], "--nsave") == 0) a->nsave = atoll(argv[i + 1]);
    else if (strcmp(argv[i], "--t1") == 0) a->t1 = atof(argv[i + 1]);
    else if (strcmp(argv[i], "--rtol") == 0) a->rtol = atof(argv[i + 1]);
    else if (strcmp(argv[i], "--atol") == 0) a->atol = atof(argv[i + 1]);
    else return 0;
  }
  return a->members >= 0 && a->repeat >= 1 && a->nsave >= 1 && a->t1 > 0;
}

/* Fills a bench batch (parameters drawn around the nominal values later, y0 from the model). */
static void od_bench_batch(const od_bench_args *a, od_batch *b) {
  b->members = a->members; b->n = OD_N; b->np = OD_NP; b->nsave = a->nsave;
  b->max_steps = 100000; b->stiff_after = OD_AUTO ? 15 : 500; b->repeat = a->repeat;
  b->t0 = 0.0; b->dt = NAN; b->h0 = NAN;
  b->rtol = od_alloc_doubles(OD_N);
  b->atol = od_alloc_doubles(OD_N);
  b->saveat = od_alloc_doubles(a->nsave);
  for (int c = 0; c < OD_N; c++) { b->rtol[c] = a->rtol; b->atol[c] = a->atol; }
  for (long long j = 0; j < a->nsave; j++) b->saveat[j] = a->nsave == 1 ? a->t1 : a->t1 * (double) j / (double) (a->nsave - 1);
  b->p = NULL;
  b->y0 = NULL;
}

/* One line for bench/gpu.sh: members, median solve time, failures, work, and a checksum of the
 * last output of every member (to compare the CPU and GPU runs). */
static void od_bench_report(const char *target, const od_batch *b, const od_result *res, const double *last_state,
    double solve_ms, double total_ms, long long launches) {
  long long failed = 0, steps = 0, nfe = 0;
  double checksum = 0.0;
  for (long long m = 0; m < b->members; m++) {
    if (res[m].status != OD_OK) failed++;
    else checksum += last_state[m];
    steps += res[m].steps;
    nfe += res[m].nfe;
  }
  printf("target=%s model=%s solver=%s members=%lld solve_ms=%.3f total_ms=%.3f launches=%lld failed=%lld "
      "steps=%lld nfe=%lld checksum=%.17g\n", target, OD_MODEL_NAME, OD_SOLVER_NAME, b->members, solve_ms, total_ms,
      launches, failed, steps, nfe, checksum);
}

/* The batch a command line asks for: bench mode (--bench M ...: *bench set, the parameters left to the
 * driver) or the batch file IN (default stdin). Returns 0 after printing why it cannot. */
static int od_batch_from_args(int argc, char **argv, od_batch *b, int *bench) {
  char err[256];
  *bench = argc > 1 && strcmp(argv[1], "--bench") == 0;
  if (*bench) {
    od_bench_args a;
    if (!od_parse_bench(argc, argv, &a)) {
      fprintf(stderr, "usage: %s --bench MEMBERS [--repeat R] [--t1 T] [--nsave K] [--rtol X] [--atol X]\n", argv[0]);
      return 0;
    }
    od_bench_batch(&a, b);
    return 1;
  }
  FILE *in = argc > 1 && strcmp(argv[1], "-") != 0 ? fopen(argv[1], "rb") : stdin;
  if (in == NULL) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 0;
  }
  if (!od_read_batch(in, b, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return 0;
  }
  return 1;
}

/* Writes the results to OUT (default stdout); 0 after printing why it cannot. */
static int od_write_to_args(int argc, char **argv, const od_batch *b, const od_result *res, const double *states,
    long long launches, double solve_ms, double total_ms) {
  FILE *out = argc > 2 && strcmp(argv[2], "-") != 0 ? fopen(argv[2], "wb") : stdout;
  if (out == NULL || !od_write_results(out, b, res, states, launches, solve_ms, total_ms)) {
    fprintf(stderr, "cannot write the results\n");
    return 0;
  }
  return 1;
}


/* ---- the CUDA driver: one thread per member -------------------------------------------------------
 * Parameters, initial states and outputs live on the GPU in struct-of-arrays order (component q of
 * member m at [q * count + m]), so the threads of a warp read and write consecutive addresses. A
 * member that fails is flagged in its record; the others go on. A batch larger than the GPU's free
 * memory is split into launches (said once on stderr).
 *   PROGRAM [IN [OUT]]     solve the batch in IN (default stdin), write results to OUT (default stdout)
 *   PROGRAM --bench M ...  M members drawn around the nominal values on the GPU; one line
 * Exit codes: 0 done, 3 bad batch or I/O error, 10 no usable CUDA device (message on stderr). */

#define OD_BLOCK 128

__global__ void od_kernel(od_options o, const double *p, const double *y0, double *out, od_result *res, long long count) {
  long long m = blockIdx.x * (long long) blockDim.x + threadIdx.x;
  if (m >= count) return;
  od_result r;
  od_solve_member(&o, p + m, y0 != NULL ? y0 + m : NULL, out + m, count, &r);
  res[m] = r;
}

__global__ void od_bench_kernel(double *p, long long first, long long count) {
  long long m = blockIdx.x * (long long) blockDim.x + threadIdx.x;
  if (m >= count) return;
  od_bench_params(first + m, p + m, count);
}

static int od_cuda_check(cudaError_t e, const char *what) {
  if (e == cudaSuccess) return 1;
  fprintf(stderr, "CUDA error in %s: %s\n", what, cudaGetErrorString(e));
  return 0;
}

#define OD_CUDA(call) do { if (!od_cuda_check((call), #call)) return 3; } while (0)

int main(int argc, char **argv) {
  int devices = 0;
  cudaError_t e = cudaGetDeviceCount(&devices);
  if (e != cudaSuccess || devices == 0) {
    fprintf(stderr, "no usable CUDA device: %s\n", e != cudaSuccess ? cudaGetErrorString(e) : "none found");
    return 10;
  }
  od_batch b;
  int bench;
  if (!od_batch_from_args(argc, argv, &b, &bench)) return 3;
  long long M = b.members;
  od_result *res = (od_result *) malloc((size_t) (M > 0 ? M : 1) * sizeof(od_result));
  double *states = bench ? NULL : od_alloc_doubles(M * b.nsave * OD_N);
  double *last = bench ? od_alloc_doubles(M) : NULL;

  /* the options' arrays, once */
  double *d_rtol, *d_atol, *d_saveat;
  OD_CUDA(cudaMalloc(&d_rtol, OD_NA * sizeof(double)));
  OD_CUDA(cudaMalloc(&d_atol, OD_NA * sizeof(double)));
  OD_CUDA(cudaMalloc(&d_saveat, (size_t) b.nsave * sizeof(double)));
  OD_CUDA(cudaMemcpy(d_rtol, b.rtol, OD_N * sizeof(double), cudaMemcpyHostToDevice));
  OD_CUDA(cudaMemcpy(d_atol, b.atol, OD_N * sizeof(double), cudaMemcpyHostToDevice));
  OD_CUDA(cudaMemcpy(d_saveat, b.saveat, (size_t) b.nsave * sizeof(double), cudaMemcpyHostToDevice));
  od_options o;
  o.t0 = b.t0; o.dt = b.dt; o.h0 = b.h0; o.max_steps = b.max_steps; o.stiff_after = b.stiff_after;
  o.nsave = b.nsave; o.saveat = d_saveat; o.rtol = d_rtol; o.atol = d_atol;

  /* members per launch: what fits in 80% of the free memory */
  size_t free_bytes = 0, total_bytes = 0;
  OD_CUDA(cudaMemGetInfo(&free_bytes, &total_bytes));
  size_t per_member = (size_t) (OD_NP + (bench ? 0 : OD_N) + b.nsave * OD_N) * sizeof(double) + sizeof(od_result);
  long long chunk = (long long) (0.8 * (double) free_bytes / (double) per_member);
  if (chunk < 1) chunk = 1;
  if (chunk > M) chunk = M > 0 ? M : 1;
  long long launches = M > 0 ? (M + chunk - 1) / chunk : 0;
  if (launches > 1) {
    fprintf(stderr, "odec: note: %lld members do not fit in the GPU's free memory (%.1f GiB) at once; solving them in %lld "
        "launches of up to %lld\n", M, free_bytes / 1073741824.0, launches, chunk);
  }
  double *d_p, *d_y0 = NULL, *d_out;
  od_result *d_res;
  OD_CUDA(cudaMalloc(&d_p, (size_t) (chunk * OD_NPA) * sizeof(double)));
  if (!bench) OD_CUDA(cudaMalloc(&d_y0, (size_t) (chunk * OD_NA) * sizeof(double)));
  OD_CUDA(cudaMalloc(&d_out, (size_t) (chunk * b.nsave * OD_NA) * sizeof(double)));
  OD_CUDA(cudaMalloc(&d_res, (size_t) chunk * sizeof(od_result)));
  double *h_p = bench ? NULL : od_alloc_doubles(chunk * OD_NPA);
  double *h_y0 = bench ? NULL : od_alloc_doubles(chunk * OD_NA);
  double *h_out = bench ? NULL : od_alloc_doubles(chunk * b.nsave * OD_NA);
  /* a member's work arrays live in its thread's local memory: make sure the stack holds them */
  cudaFuncAttributes attr;
  OD_CUDA(cudaFuncGetAttributes(&attr, od_kernel));
  size_t stack = 0;
  OD_CUDA(cudaDeviceGetLimit(&stack, cudaLimitStackSize));
  if (attr.localSizeBytes + 1024 > stack) OD_CUDA(cudaDeviceSetLimit(cudaLimitStackSize, attr.localSizeBytes + 1024));
  cudaEvent_t k0, k1, a0, a1;
  cudaEventCreate(&k0); cudaEventCreate(&k1); cudaEventCreate(&a0); cudaEventCreate(&a1);

  double *solve_ms = od_alloc_doubles(b.repeat);
  double *total_ms = od_alloc_doubles(b.repeat);
  for (long long rep = 0; rep < b.repeat; rep++) {
    double kernel_ms = 0.0, all_ms = 0.0;
    for (long long first = 0; first < M; first += chunk) {
      long long count = M - first < chunk ? M - first : chunk;
      unsigned int blocks = (unsigned int) ((count + OD_BLOCK - 1) / OD_BLOCK);
      cudaEventRecord(a0);
      if (bench) {
        od_bench_kernel<<<blocks, OD_BLOCK>>>(d_p, first, count);
      } else {
        for (long long m = 0; m < count; m++) {
          for (int q = 0; q < OD_NP; q++) h_p[q * count + m] = b.p[(first + m) * OD_NP + q];
          for (int c = 0; c < OD_N; c++) h_y0[c * count + m] = b.y0[(first + m) * OD_N + c];
        }
        OD_CUDA(cudaMemcpy(d_p, h_p, (size_t) (count * OD_NP) * sizeof(double), cudaMemcpyHostToDevice));
        OD_CUDA(cudaMemcpy(d_y0, h_y0, (size_t) (count * OD_N) * sizeof(double), cudaMemcpyHostToDevice));
      }
      cudaEventRecord(k0);
      od_kernel<<<blocks, OD_BLOCK>>>(o, d_p, d_y0, d_out, d_res, count);
      cudaEventRecord(k1);
      OD_CUDA(cudaGetLastError());
      OD_CUDA(cudaMemcpy(res + first, d_res, (size_t) count * sizeof(od_result), cudaMemcpyDeviceToHost));
      if (bench) {
        /* only the last output of component 1, for the checksum */
        OD_CUDA(cudaMemcpy(last + first, d_out + (b.nsave - 1) * OD_N * count, (size_t) count * sizeof(double),
            cudaMemcpyDeviceToHost));
      } else {
        OD_CUDA(cudaMemcpy(h_out, d_out, (size_t) (count * b.nsave * OD_N) * sizeof(double), cudaMemcpyDeviceToHost));
      }
      cudaEventRecord(a1);
      cudaEventSynchronize(a1);
      float ms = 0.0f;
      cudaEventElapsedTime(&ms, k0, k1);
      kernel_ms += ms;
      cudaEventElapsedTime(&ms, a0, a1);
      all_ms += ms;
      if (!bench) {
        for (long long m = 0; m < count; m++) {
          for (long long j = 0; j < b.nsave; j++) {
            for (int c = 0; c < OD_N; c++) {
              states[((first + m) * b.nsave + j) * OD_N + c] = h_out[(j * OD_N + c) * count + m];
            }
          }
        }
      }
    }
    solve_ms[rep] = kernel_ms;
    total_ms[rep] = all_ms;
  }
  double solve = od_median(solve_ms, b.repeat);
  double total = od_median(total_ms, b.repeat);
  if (bench) {
    od_bench_report("cuda", &b, res, last, solve, total, launches);
    return 0;
  }
  if (!od_write_to_args(argc, argv, &b, res, states, launches, solve, total)) return 3;
  return 0;
}
