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

