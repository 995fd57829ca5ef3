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
