/* ---- the CPU driver: members solved one after another on one core --------------------------------
 *   PROGRAM [IN [OUT]]     solve the batch in IN (default stdin), write results to OUT (default stdout)
 *   PROGRAM --bench M ...  M members drawn around the nominal values (see od_parse_bench); one line
 * Exit codes: 0 done (members may have failed: see their status), 3 bad batch or I/O error. */

static double od_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static double od_solve_batch(const od_batch *b, const od_options *o, od_result *res, double *states) {
  double *ms = od_alloc_doubles(b->repeat);
  for (long long rep = 0; rep < b->repeat; rep++) {
    double start = od_now_ms();
    for (long long m = 0; m < b->members; m++) {
      const double *y0 = b->y0 != NULL ? b->y0 + m * OD_N : NULL;
      od_solve_member(o, b->p + m * OD_NP, y0, states + m * b->nsave * OD_N, 1, &res[m]);
    }
    ms[rep] = od_now_ms() - start;
  }
  double median = od_median(ms, b->repeat);
  free(ms);
  return median;
}

int main(int argc, char **argv) {
  od_batch b;
  int bench;
  if (!od_batch_from_args(argc, argv, &b, &bench)) return 3;
  if (bench) {
    b.p = od_alloc_doubles(b.members * OD_NP);
    for (long long m = 0; m < b.members; m++) od_bench_params(m, b.p + m * OD_NP, 1);
  }
  od_options o;
  o.t0 = b.t0; o.dt = b.dt; o.h0 = b.h0; o.max_steps = b.max_steps; o.stiff_after = b.stiff_after;
  o.nsave = b.nsave; o.saveat = b.saveat; o.rtol = b.rtol; o.atol = b.atol;
  od_result *res = (od_result *) malloc((size_t) (b.members > 0 ? b.members : 1) * sizeof(od_result));
  double *states = od_alloc_doubles(b.members * b.nsave * OD_N);
  if (res == NULL || states == NULL) {
    fprintf(stderr, "out of memory for the results of %lld members\n", b.members);
    return 3;
  }
  double solve_ms = od_solve_batch(&b, &o, res, states);
  if (bench) {
    double *last = od_alloc_doubles(b.members);
    for (long long m = 0; m < b.members; m++) last[m] = OD_N > 0 ? states[(m * b.nsave + b.nsave - 1) * OD_N] : 0.0;
    od_bench_report("c", &b, res, last, solve_ms, solve_ms, 1);
    return 0;
  }
  if (!od_write_to_args(argc, argv, &b, res, states, 1, solve_ms, solve_ms)) return 3;
  return 0;
}
