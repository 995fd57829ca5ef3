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
