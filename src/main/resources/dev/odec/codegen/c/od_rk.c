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
