/* odec generated CUDA program: model 'robertson', solver rodas5.
 * y = [A, B, C]
 * p = [k1, k2, k3]
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

#define OD_MODEL_NAME "robertson"
#define OD_SOLVER_NAME "rodas5"
#define OD_N 3
#define OD_NA 3 /* array lengths: at least 1 */
#define OD_NP 3
#define OD_NPA 3
#define OD_AUTO 0
#define OD_USE_RK 0

/* ---- the model ---- */

/* od_rhs: dy/dt = f(t, y, p) */
/* rhs: 3 outputs, 18 scheduled nodes */
OD_FN void od_rhs(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  const double v7 = p[0] * y[0];
  const double v9 = -v7;
  const double v13 = od_pow(y[1], 2.0);
  const double v14 = p[1] * v13;
  const double v15 = -v14;
  const double v17 = p[2] * y[1];
  const double v19 = v17 * y[2];
  const double v20 = -v19;
  const double v21 = v9 + v19;
  const double v22 = v7 + v15;
  const double v23 = v22 + v20;
  out[0] = v21;
  out[1] = v23;
  out[2] = v14;
}

/* od_initial: y0(p) (y is not read) */
/* initial: 3 outputs, 2 scheduled nodes */
OD_FN void od_initial(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  out[0] = 1.0;
  out[1] = 0.0;
  out[2] = 0.0;
}

/* the Jacobian df/dy: 7 structurally non-zero entries in compressed rows; od_jac writes their values in pattern order */
#define OD_NJ 7
#define OD_NJA 7
OD_CONST int od_jac_row_start[4] = {0, 3, 6, 7};
OD_CONST int od_jac_col[OD_NJA] = {0, 1, 2, 0, 1, 2, 1};
/* jacobian: 7 outputs, 17 scheduled nodes */
OD_FN void od_jac(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  const double v17 = p[2] * y[1];
  const double v36 = 2.0 * y[1];
  const double v48 = y[2] * p[2];
  const double v49 = -p[0];
  const double v50 = -y[2];
  const double v51 = -v17;
  const double v52 = v50 * p[2];
  const double v53 = -p[1];
  const double v54 = v53 * v36;
  const double v55 = v52 + v54;
  const double v56 = p[1] * v36;
  out[0] = v49;
  out[1] = v48;
  out[2] = v17;
  out[3] = p[0];
  out[4] = v55;
  out[5] = v51;
  out[6] = v56;
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

/* od_vjp: the vector-Jacobian products of F: y = [x (3), u (3)], out = [u^T dF/dx (3), u^T dF/dp (3), u^T dF/dt (1)] */
/* vjp_forward: 7 outputs, 31 scheduled nodes */
OD_FN void od_vjp(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  const double v13 = od_pow(y[1], 2.0);
  const double v17 = p[2] * y[1];
  const double v27 = -y[4];
  const double v28 = y[3] + v27;
  const double v29 = v28 * y[2];
  const double v30 = v28 * v17;
  const double v31 = v29 * y[1];
  const double v32 = v29 * p[2];
  const double v33 = y[5] + v27;
  const double v34 = v33 * v13;
  const double v35 = v33 * p[1];
  const double v36 = 2.0 * y[1];
  const double v37 = v35 * v36;
  const double v38 = v32 + v37;
  const double v39 = -y[3];
  const double v40 = y[4] + v39;
  const double v41 = v40 * y[0];
  const double v42 = v40 * p[0];
  const double v43_0 = v42;
  const double v43_1 = v38;
  const double v43_2 = v30;
  const double v44_0 = v41;
  const double v44_1 = v34;
  const double v44_2 = v31;
  out[0] = v43_0;
  out[1] = v43_1;
  out[2] = v43_2;
  out[3] = v44_0;
  out[4] = v44_1;
  out[5] = v44_2;
  out[6] = 0.0;
}

/* od_adjoint: the backsolve adjoint system (Chen et al., Algorithm 1), state [x, lambda, mu] of 9: [F, -(dF/dx)^T lambda, -(dF/dp)^T lambda] */
/* adjoint: 9 outputs, 41 scheduled nodes */
OD_FN void od_adjoint(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {
  (void) t; (void) y; (void) p;
  const double v7 = p[0] * y[0];
  const double v9 = -v7;
  const double v13 = od_pow(y[1], 2.0);
  const double v14 = p[1] * v13;
  const double v15 = -v14;
  const double v17 = p[2] * y[1];
  const double v19 = v17 * y[2];
  const double v20 = -v19;
  const double v21 = v9 + v19;
  const double v22 = v7 + v15;
  const double v23 = v22 + v20;
  const double v27 = -y[4];
  const double v28 = y[3] + v27;
  const double v29 = v28 * y[2];
  const double v30 = v28 * v17;
  const double v31 = v29 * y[1];
  const double v32 = v29 * p[2];
  const double v33 = y[5] + v27;
  const double v34 = v33 * v13;
  const double v35 = v33 * p[1];
  const double v36 = 2.0 * y[1];
  const double v37 = v35 * v36;
  const double v38 = v32 + v37;
  const double v39 = -y[3];
  const double v40 = y[4] + v39;
  const double v41 = v40 * y[0];
  const double v42 = v40 * p[0];
  const double v43_0 = v42;
  const double v43_1 = v38;
  const double v43_2 = v30;
  const double v44_0 = v41;
  const double v44_1 = v34;
  const double v44_2 = v31;
  const double v45_0 = -v43_0;
  const double v45_1 = -v43_1;
  const double v45_2 = -v43_2;
  const double v46_0 = -v44_0;
  const double v46_1 = -v44_1;
  const double v46_2 = -v44_2;
  out[0] = v21;
  out[1] = v23;
  out[2] = v14;
  out[3] = v45_0;
  out[4] = v45_1;
  out[5] = v45_2;
  out[6] = v46_0;
  out[7] = v46_1;
  out[8] = v46_2;
}

/* bench mode: the nominal parameter vector, and which entries its members vary */
OD_CONST double od_bench_nominal[OD_NPA] = {0.04, 3.0E7, 10000.0};
OD_CONST int od_bench_perturb[OD_NPA] = {1, 1, 1};

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

/* ---- the dense LU of rodas5's iteration matrix W = I - h gamma J ---------------------------------
 * W is formed from the generated sparse Jacobian (od_jac, pattern od_jac_row_start/od_jac_col) and
 * factored by the same left-looking LU with partial pivoting as the JVM's IterationMatrix (EJML's
 * LUDecompositionAlt_DDRM, from JAMA), and solved the same way, so the two agree to rounding. */

/* Forms W = I - hg J (row by row: 1 on the diagonal, then J's entries subtracted in pattern order)
 * and factors it in place; returns 0 when W is singular to working precision. */
OD_FN int od_lu_factor(double hg, const double *jv, double (*w)[OD_NA], int *indx) {
  for (int i = 0; i < OD_N; i++) {
    for (int j = 0; j < OD_N; j++) w[i][j] = 0.0;
  }
  for (int i = 0; i < OD_N; i++) {
    w[i][i] = 1.0;
    for (int e = od_jac_row_start[i]; e < od_jac_row_start[i + 1]; e++) w[i][od_jac_col[e]] -= hg * jv[e];
  }
  double col[OD_NA];
  for (int j = 0; j < OD_N; j++) {
    for (int i = 0; i < OD_N; i++) col[i] = w[i][j];
    for (int i = 0; i < OD_N; i++) {
      int kmax = i < j ? i : j;
      double sum = 0.0;
      for (int q = 0; q < kmax; q++) sum += w[i][q] * col[q];
      col[i] -= sum;
      w[i][j] = col[i];
    }
    int piv = j;
    double max = fabs(col[piv]);
    for (int i = j + 1; i < OD_N; i++) {
      double v = fabs(col[i]);
      if (v > max) {
        piv = i;
        max = v;
      }
    }
    if (piv != j) {
      for (int q = 0; q < OD_N; q++) {
        double tmp = w[piv][q];
        w[piv][q] = w[j][q];
        w[j][q] = tmp;
      }
    }
    indx[j] = piv;
    double ujj = w[j][j];
    if (ujj != 0.0) {
      for (int i = j + 1; i < OD_N; i++) w[i][j] /= ujj;
    }
  }
  for (int i = 0; i < OD_N; i++) {
    double u = w[i][i];
    if (u == 0.0 || !isfinite(u)) return 0;
  }
  return 1;
}

/* Solves W x = b in place: the row interchanges and forward substitution of EJML's
 * _solveVectorInternal, then back substitution. */
OD_FN void od_lu_solve(double (*w)[OD_NA], const int *indx, double *b) {
  int ii = 0;
  for (int i = 0; i < OD_N; i++) {
    int ip = indx[i];
    double sum = b[ip];
    b[ip] = b[i];
    if (ii != 0) {
      for (int j = ii - 1; j < i; j++) sum -= w[i][j] * b[j];
    } else if (sum != 0.0) {
      ii = i + 1;
    }
    b[i] = sum;
  }
  for (int i = OD_N - 1; i >= 0; i--) {
    double sum = b[i];
    for (int j = i + 1; j < OD_N; j++) sum -= w[i][j] * b[j];
    b[i] = sum / w[i][i];
  }
}


/* ---- Rodas5P (order 5, 8 stages) ---- */
#define OD_ROS_GAMMA 0.21193756319429014

/* One step attempt with W factored: the transformed stages u_i into k, y1 into yn. Returns 0 (the
 * culprit recorded in r) when a stage derivative or y1 is not finite. */
OD_FN int od_ros_attempt(double t, double h, double t_new, const double *y, const double *f0, const double *dT,
    double (*k)[OD_NA], double (*w)[OD_NA], const int *indx, double *ys, double *fs, double *yn,
    const double *p, od_result *r) {
  double hg = h * OD_ROS_GAMMA;
  int bad;
  double coef0 = hg * h * 0.21193756319429014;
  for (int c = 0; c < OD_N; c++) k[0][c] = hg * f0[c] + coef0 * dT[c];
  od_lu_solve(w, indx, k[0]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + 3.0 * k[0][c];
  od_rhs(t + 0.6358126895828704 * h, ys, p, fs);
  r->nfe++;
  bad = od_first_non_finite(fs);
  if (bad >= 0) {
    r->time = t + 0.6358126895828704 * h; r->component = bad; r->value = fs[bad];
    r->flags = OD_FLAG_ROSENBROCK | OD_FLAG_DERIVATIVE;
    return 0;
  }
  double coef1 = hg * h * (-0.42387512638858027);
  for (int c = 0; c < OD_N; c++) k[1][c] = hg * fs[c] + coef1 * dT[c] + (-2.9999999999999996) * k[0][c];
  od_lu_solve(w, indx, k[1]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + 2.849394379747939 * k[0][c] + 0.45842242204463923 * k[1][c];
  od_rhs(t + 0.4095798393397535 * h, ys, p, fs);
  r->nfe++;
  bad = od_first_non_finite(fs);
  if (bad >= 0) {
    r->time = t + 0.4095798393397535 * h; r->component = bad; r->value = fs[bad];
    r->flags = OD_FLAG_ROSENBROCK | OD_FLAG_DERIVATIVE;
    return 0;
  }
  double coef2 = hg * h * (-0.3384627126235924);
  for (int c = 0; c < OD_N; c++) k[2][c] = hg * fs[c] + coef2 * dT[c] + (-3.8091454218442613) * k[0][c] + (-0.6060764285209964) * k[1][c];
  od_lu_solve(w, indx, k[2]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + (-6.954028509809101) * k[0][c] + 2.489845061869568 * k[1][c] + (-10.358996098473584) * k[2][c];
  od_rhs(t + 0.9769306725060716 * h, ys, p, fs);
  r->nfe++;
  bad = od_first_non_finite(fs);
  if (bad >= 0) {
    r->time = t + 0.9769306725060716 * h; r->component = bad; r->value = fs[bad];
    r->flags = OD_FLAG_ROSENBROCK | OD_FLAG_DERIVATIVE;
    return 0;
  }
  double coef3 = hg * h * 1.8046452872882734;
  for (int c = 0; c < OD_N; c++) k[3][c] = hg * fs[c] + coef3 * dT[c] + 31.180572787825447 * k[0][c] + (-0.29930119962977564) * k[1][c] + 15.193677275464838 * k[2][c];
  od_lu_solve(w, indx, k[3]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + 2.8029986275628964 * k[0][c] + 0.5072464736228206 * k[1][c] + (-0.3988312541770524) * k[2][c] + (-0.04721187230404641) * k[3][c];
  od_rhs(t + 0.4288403609558664 * h, ys, p, fs);
  r->nfe++;
  bad = od_first_non_finite(fs);
  if (bad >= 0) {
    r->time = t + 0.4288403609558664 * h; r->component = bad; r->value = fs[bad];
    r->flags = OD_FLAG_ROSENBROCK | OD_FLAG_DERIVATIVE;
    return 0;
  }
  double coef4 = hg * h * 2.325825639765069;
  for (int c = 0; c < OD_N; c++) k[4][c] = hg * fs[c] + coef4 * dT[c] + 35.06192684914556 * k[0][c] + (-0.0973391811550306) * k[1][c] + 9.094110149519661 * k[2][c] + (-1.2635689375669612) * k[3][c];
  od_lu_solve(w, indx, k[4]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + (-7.502846399306121) * k[0][c] + 2.561846144803919 * k[1][c] + (-11.627539656261098) * k[2][c] + (-0.18268767659942256) * k[3][c] + 0.030198172008377946 * k[4][c];
  od_rhs(t_new, ys, p, fs);
  r->nfe++;
  bad = od_first_non_finite(fs);
  if (bad >= 0) {
    r->time = t_new; r->component = bad; r->value = fs[bad];
    r->flags = OD_FLAG_ROSENBROCK | OD_FLAG_DERIVATIVE;
    return 0;
  }
  for (int c = 0; c < OD_N; c++) k[5][c] = hg * fs[c] + 5.267679439961403 * k[0][c] + (-0.6360082444324544) * k[1][c] + 10.065574214296088 * k[2][c] + 1.1829125077945086 * k[3][c] + (-0.1401053916471787) * k[4][c];
  od_lu_solve(w, indx, k[5]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + (-7.502846399306121) * k[0][c] + 2.561846144803919 * k[1][c] + (-11.627539656261098) * k[2][c] + (-0.18268767659942256) * k[3][c] + 0.030198172008377946 * k[4][c] + 1.0 * k[5][c];
  od_rhs(t_new, ys, p, fs);
  r->nfe++;
  bad = od_first_non_finite(fs);
  if (bad >= 0) {
    r->time = t_new; r->component = bad; r->value = fs[bad];
    r->flags = OD_FLAG_ROSENBROCK | OD_FLAG_DERIVATIVE;
    return 0;
  }
  for (int c = 0; c < OD_N; c++) k[6][c] = hg * fs[c] + 6.551569121490026 * k[0][c] + (-0.6614199047160264) * k[1][c] + 16.48864629450361 * k[2][c] + 7.266588842925774 * k[3][c] + (-4.0474418203933205) * k[4][c] + (-5.952890229078954) * k[5][c];
  od_lu_solve(w, indx, k[6]);
  for (int c = 0; c < OD_N; c++) ys[c] = y[c] + (-7.502846399306121) * k[0][c] + 2.561846144803919 * k[1][c] + (-11.627539656261098) * k[2][c] + (-0.18268767659942256) * k[3][c] + 0.030198172008377946 * k[4][c] + 1.0 * k[5][c] + 1.0 * k[6][c];
  od_rhs(t_new, ys, p, fs);
  r->nfe++;
  bad = od_first_non_finite(fs);
  if (bad >= 0) {
    r->time = t_new; r->component = bad; r->value = fs[bad];
    r->flags = OD_FLAG_ROSENBROCK | OD_FLAG_DERIVATIVE;
    return 0;
  }
  for (int c = 0; c < OD_N; c++) k[7][c] = hg * fs[c] + 8.011827217305168 * k[0][c] + (-0.6903223744461466) * k[1][c] + 23.794058231422948 * k[2][c] + 14.185982112070834 * k[3][c] + (-8.491530541751638) * k[4][c] + (-11.586160874329975) * k[5][c] + (-2.0109942639901015) * k[6][c];
  od_lu_solve(w, indx, k[7]);
  for (int c = 0; c < OD_N; c++) yn[c] = y[c] + (-7.502846399306121) * k[0][c] + 2.561846144803919 * k[1][c] + (-11.627539656261098) * k[2][c] + (-0.18268767659942256) * k[3][c] + 0.030198172008377946 * k[4][c] + 1.0 * k[5][c] + 1.0 * k[6][c] + 1.0 * k[7][c];
  bad = od_first_non_finite(yn);
  if (bad >= 0) {
    r->time = t_new; r->component = bad; r->value = yn[bad]; r->flags = OD_FLAG_ROSENBROCK;
    return 0;
  }
  return 1;
}

OD_FN void od_ros_dense_prepare(double (*k)[OD_NA], double (*kd)[OD_NA]) {
  for (int c = 0; c < OD_N; c++) kd[0][c] = 0.0 + 25.948786856663858 * k[0][c] + (-2.5579724845846235) * k[1][c] + 10.433815404888879 * k[2][c] + (-2.3679251022685204) * k[3][c] + 0.524948541321073 * k[4][c] + 1.1241088310450404 * k[5][c] + 0.4272876194431874 * k[6][c] + (-0.17202221070155493) * k[7][c];
  for (int c = 0; c < OD_N; c++) kd[1][c] = 0.0 + (-9.91568850695171) * k[0][c] + (-0.9689944594115154) * k[1][c] + 3.0438037242978453 * k[2][c] + (-24.495224566215796) * k[3][c] + 20.176138334709044 * k[4][c] + 15.98066361424651 * k[5][c] + (-6.789040303419874) * k[6][c] + (-6.710236069923372) * k[7][c];
  for (int c = 0; c < OD_N; c++) kd[2][c] = 0.0 + 11.419903575922262 * k[0][c] + 2.8879645146136994 * k[1][c] + 72.92137995996029 * k[2][c] + 80.12511834622643 * k[3][c] + (-52.072871366152654) * k[4][c] + (-59.78993625266729) * k[5][c] + (-0.15582684282751913) * k[6][c] + 4.883087185713722 * k[7][c];
}

OD_FN void od_ros_dense(double t0, double h, double tq, const double *y, const double *yn, double (*kd)[OD_NA],
    double *out) {
  double theta = (tq - t0) / h;
  double theta1 = 1.0 - theta;
  for (int c = 0; c < OD_N; c++) {
    out[c] = theta1 * y[c] + theta * (yn[c] + theta1 * (kd[0][c] + theta * (kd[1][c] + theta * kd[2][c])));
  }
}

/* ---- rodas5 (Rodas5P): dev.odec.solve.Rosenbrock in C -----------------------------------------
 * W = I - h gamma J is factored by od_lu_factor (od_lu.c). The stages and the dense output are generated from RodasTableau
 * (od_ros_attempt, od_ros_dense). The loop is Rosenbrock.integrate statement by statement: the
 * forward difference in t for df/dt, Hairer's RMS error norm, the predictive (Gustafsson)
 * controller, a tenth of the step after a rejection before the first accepted step, step halving
 * on a singular W, and the same failures. */

#define OD_ROS_SAFETY 0.9
#define OD_ROS_FAC_SHRINK 5.0
#define OD_ROS_FAC_GROW (1.0 / 6.0)
#define OD_ROS_MAX_SINGULAR 5

/* Hairer's RMS norm of the error estimate u_s with sc_i = atol_i + rtol_i max(|y_i|, |y1_i|). */
OD_FN double od_ros_error(const double *y, const double *yn, const double *e, const double *rtol, const double *atol) {
  if (OD_N == 0) return 0.0;
  double sum = 0.0;
  for (int c = 0; c < OD_N; c++) {
    double sc = atol[c] + rtol[c] * od_max(fabs(y[c]), fabs(yn[c]));
    double q = e[c] / sc;
    sum += q * q;
  }
  return sqrt(sum / (double) OD_N);
}

OD_FN int od_ros_solve(const od_options *o, const double *p, double t0, double *y, long long *next, double *out,
    long long stride, od_result *r) {
  double k[8][OD_NA];
  double kd[3][OD_NA];
  double w[OD_NA][OD_NA];
  int indx[OD_NA];
  double jv[OD_NJA];
  double f0[OD_NA];
  double dT[OD_NA];
  double yn[OD_NA];
  double ys[OD_NA];
  double fs[OD_NA];
  const double *rtol = o->rtol;
  const double *atol = o->atol;
  const double *saveat = o->saveat;
  long long m = o->nsave;
  double t_end, dir, span;
  r->flags = OD_FLAG_ROSENBROCK;
  if (od_begin(o, t0, y, next, out, stride, &t_end, &dir, &span) || OD_N == 0) return OD_OK;
  long long out_i = *next;

  od_rhs(t0, y, p, f0);
  r->nfe++;
  int bad = od_first_non_finite(f0);
  if (bad >= 0) return od_fail(r, OD_NON_FINITE, t0, bad, f0[bad], OD_FLAG_DERIVATIVE | OD_FLAG_AT_START);

  int fixed = !isnan(o->dt);
  double h;
  if (fixed) {
    h = dir * o->dt;
  } else if (!isnan(o->h0)) {
    h = dir * od_min(fabs(o->h0), span);
  } else {
    r->nfe++;
    h = dir * od_initial_step(p, t0, y, f0, span, dir, 5, rtol, atol, ys, fs);
  }

  double t = t0;
  long long attempts = 0;
  int rejected_last = 0;
  int any_accepted = 0;
  int new_point = 1;
  int singular = 0;
  od_pending pending = {0, 0, 0, 0.0, 0.0};
  double h_acc = 0.0;
  double err_acc = 1e-2;
  double h_abs_max = span;

  for (;;) {
    int last;
    double t_new;
    int st = od_step_guard(o->max_steps, fixed, t, t_end, &h, &attempts, &last, &t_new, &pending, r);
    if (st != OD_OK) return st;

    if (new_point) {
      od_jac(t, y, p, jv);
      r->jacobians++;
      for (int e = 0; e < OD_NJ; e++) {
        if (!isfinite(jv[e])) {
          int row = 0;
          while (od_jac_row_start[row + 1] <= e) row++;
          r->aux = od_jac_col[e];
          return od_fail(r, OD_JACOBIAN, t, row, jv[e], 0);
        }
      }
      /* the forward difference of Hairer's RODAS: delta = sqrt(u max(1e-5, |t|)) */
      double delta = sqrt(0x1.0p-53 * od_max(1e-5, fabs(t)));
      double t_delta = t + delta;
      delta = t_delta - t;
      od_rhs(t_delta, y, p, dT);
      r->nfe++;
      for (int c = 0; c < OD_N; c++) dT[c] = (dT[c] - f0[c]) / delta;
      bad = od_first_non_finite(dT);
      if (bad >= 0) return od_fail(r, OD_NON_FINITE, t_delta, bad, dT[bad], OD_FLAG_DERIVATIVE);
      new_point = 0;
    }
    double hg = h * OD_ROS_GAMMA;
    r->lu++;
    if (!od_lu_factor(hg, jv, w, indx)) {
      r->rejected++;
      singular++;
      if (singular >= OD_ROS_MAX_SINGULAR || fixed) {
        r->aux = singular;
        r->value = hg;
        return od_fail(r, OD_SINGULAR, t, 0, hg, 0);
      }
      rejected_last = 1;
      h *= 0.5;
      continue;
    }
    singular = 0;

    int finite = od_ros_attempt(t, h, t_new, y, f0, dT, k, w, indx, ys, fs, yn, p, r);
    double err = 0.0;
    if (finite) {
      err = fixed ? 0.0 : od_ros_error(y, yn, k[7], rtol, atol);
      if (!isfinite(err)) {
        r->time = t_new; r->component = -1; r->value = INFINITY; r->flags = OD_FLAG_ROSENBROCK;
        finite = 0;
      }
    }
    if (!finite) {
      if (fixed) return od_fail(r, OD_NON_FINITE, r->time, r->component, r->value, 0);
      od_pend(&pending, r, OD_FLAG_ROSENBROCK);
      r->rejected++;
      rejected_last = 1;
      h /= OD_ROS_FAC_SHRINK;
      continue;
    }
    if (err > 1.0) {
      r->rejected++;
      rejected_last = 1;
      if (!any_accepted) {
        h *= 0.1;
      } else {
        double fac = od_max(OD_ROS_FAC_GROW, od_min(OD_ROS_FAC_SHRINK, od_java_pow(err, 0.2) / OD_ROS_SAFETY));
        h /= fac;
      }
      continue;
    }

    /* accepted */
    double h_next = h;
    if (!fixed) {
      double fac = od_max(OD_ROS_FAC_GROW, od_min(OD_ROS_FAC_SHRINK, od_java_pow(err, 0.2) / OD_ROS_SAFETY));
      if (any_accepted) {
        double fac_gus = (h_acc / h) * od_java_pow(err * err / err_acc, 0.2) / OD_ROS_SAFETY;
        fac_gus = od_max(OD_ROS_FAC_GROW, od_min(OD_ROS_FAC_SHRINK, fac_gus));
        fac = od_max(fac, fac_gus);
      }
      h_acc = h;
      err_acc = od_max(1e-2, err);
      double h_abs = od_min(fabs(h) / fac, h_abs_max);
      if (rejected_last) h_abs = od_min(h_abs, fabs(h));
      h_next = dir * h_abs;
    }
    any_accepted = 1;
    rejected_last = 0;
    pending.set = 0;

    int dense_ready = 0;
    while (out_i < m && (saveat[out_i] - t_new) * dir <= 0) {
      if (saveat[out_i] == t_new) {
        od_store(out, stride, out_i, yn);
      } else {
        if (!dense_ready) {
          od_ros_dense_prepare(k, kd);
          dense_ready = 1;
        }
        od_ros_dense(t, h, saveat[out_i], y, yn, kd, ys);
        od_store(out, stride, out_i, ys);
      }
      out_i++;
    }
    r->steps++;

    for (int c = 0; c < OD_N; c++) y[c] = yn[c];
    t = t_new;
    *next = out_i;
    if (last) break;
    od_rhs(t, y, p, f0);
    r->nfe++;
    bad = od_first_non_finite(f0);
    if (bad >= 0) return od_fail(r, OD_NON_FINITE, t, bad, f0[bad], OD_FLAG_DERIVATIVE);
    new_point = 1;
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
