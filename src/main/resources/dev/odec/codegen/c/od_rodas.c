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
