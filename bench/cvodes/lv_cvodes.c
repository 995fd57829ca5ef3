/*
 * The Lotka–Volterra gradient of bench/grad.sh with SUNDIALS CVODES adjoint sensitivity analysis
 * (ASA), for comparison with odec grad.
 *
 *   prey' = alpha prey - beta prey pred,  pred' = delta prey pred - gamma pred,  prey(0) = pred(0) = 1
 *   L = sum over observed values v at t_k of  0.5 log(2 pi) + log sigma + 0.5 ((v - x(t_k)) / sigma)^2
 *   dL/d(alpha, beta, delta, gamma) by the adjoint: backward from T, lambda' = -(df/dx)^T lambda,
 *   q' = -lambda^T df/dp (CVODES quadratures), lambda jumps by dl_k/dx at each t_k (the backward
 *   problem is re-initialised there: CVodeReInitB + CVodeQuadReInitB); dL/dsigma directly.
 *   Analytic Jacobians for the forward and backward problems (used by BDF + Newton).
 *
 * usage: lv_cvodes DATA.csv RTOL ATOL adams|bdf WARMUP_S SAMPLES SAMPLE_MS alpha beta delta gamma sigma
 * prints one TSV line:
 *   method rtol atol median_s min_s samples reps objective g_alpha g_beta g_delta g_gamma g_sigma
 *   nfe_forward_pass nfe_forward_total nfe_backward nfe_quad_backward steps_forward steps_backward
 *
 * Built against SUNDIALS 6.x (SUNContext) by bench/cvodes/build.sh.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunnonlinsol/sunnonlinsol_fixedpoint.h>

#define MAXT 100000

typedef struct {
  double a, b, d, g;
} Params;

static int ntimes;
static double times[MAXT], obs[MAXT][2];
static double xs[MAXT][2];

static void die(const char *what, int flag) {
  if (flag < 0) {
    fprintf(stderr, "lv_cvodes: %s failed with flag %d\n", what, flag);
    exit(3);
  }
}

static int f(realtype t, N_Vector y, N_Vector ydot, void *ud) {
  Params *p = (Params *)ud;
  double x = NV_Ith_S(y, 0), z = NV_Ith_S(y, 1);
  NV_Ith_S(ydot, 0) = p->a * x - p->b * x * z;
  NV_Ith_S(ydot, 1) = p->d * x * z - p->g * z;
  return 0;
}

static int jac(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *ud, N_Vector t1, N_Vector t2,
               N_Vector t3) {
  Params *p = (Params *)ud;
  double x = NV_Ith_S(y, 0), z = NV_Ith_S(y, 1);
  SM_ELEMENT_D(J, 0, 0) = p->a - p->b * z;
  SM_ELEMENT_D(J, 0, 1) = -p->b * x;
  SM_ELEMENT_D(J, 1, 0) = p->d * z;
  SM_ELEMENT_D(J, 1, 1) = p->d * x - p->g;
  return 0;
}

/* lambda' = -(df/dx)^T lambda */
static int fB(realtype t, N_Vector y, N_Vector yB, N_Vector yBdot, void *ud) {
  Params *p = (Params *)ud;
  double x = NV_Ith_S(y, 0), z = NV_Ith_S(y, 1);
  double l0 = NV_Ith_S(yB, 0), l1 = NV_Ith_S(yB, 1);
  NV_Ith_S(yBdot, 0) = -((p->a - p->b * z) * l0 + p->d * z * l1);
  NV_Ith_S(yBdot, 1) = -(-p->b * x * l0 + (p->d * x - p->g) * l1);
  return 0;
}

static int jacB(realtype t, N_Vector y, N_Vector yB, N_Vector fyB, SUNMatrix JB, void *ud, N_Vector t1,
                N_Vector t2, N_Vector t3) {
  Params *p = (Params *)ud;
  double x = NV_Ith_S(y, 0), z = NV_Ith_S(y, 1);
  SM_ELEMENT_D(JB, 0, 0) = -(p->a - p->b * z);
  SM_ELEMENT_D(JB, 0, 1) = -p->d * z;
  SM_ELEMENT_D(JB, 1, 0) = p->b * x;
  SM_ELEMENT_D(JB, 1, 1) = -(p->d * x - p->g);
  return 0;
}

/* q' = -lambda^T df/dp, p = (alpha, beta, delta, gamma) */
static int fQB(realtype t, N_Vector y, N_Vector yB, N_Vector qBdot, void *ud) {
  double x = NV_Ith_S(y, 0), z = NV_Ith_S(y, 1);
  double l0 = NV_Ith_S(yB, 0), l1 = NV_Ith_S(yB, 1);
  NV_Ith_S(qBdot, 0) = -l0 * x;
  NV_Ith_S(qBdot, 1) = l0 * x * z;
  NV_Ith_S(qBdot, 2) = -l1 * x * z;
  NV_Ith_S(qBdot, 3) = l1 * z;
  return 0;
}

static void read_data(const char *path) {
  FILE *fp = fopen(path, "r");
  if (!fp) {
    perror(path);
    exit(1);
  }
  char line[4096];
  int header = 0;
  ntimes = 0;
  while (fgets(line, sizeof line, fp)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    if (!header) { /* time,prey_obs,pred_obs */
      header = 1;
      continue;
    }
    char *c0 = line, *c1 = strchr(c0, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!c2) {
      fprintf(stderr, "bad data line: %s", line);
      exit(1);
    }
    times[ntimes] = strtod(c0, NULL);
    obs[ntimes][0] = (c1[1] == ',' ) ? NAN : strtod(c1 + 1, NULL);
    obs[ntimes][1] = (c2[1] == '\n' || c2[1] == '\r' || c2[1] == 0) ? NAN : strtod(c2 + 1, NULL);
    ntimes++;
  }
  fclose(fp);
  if (ntimes < 2 || times[0] != 0.0) {
    fprintf(stderr, "data must start at t = 0 and have >= 2 times\n");
    exit(1);
  }
}

typedef struct {
  SUNContext ctx;
  void *mem;
  int which;
  int bInit;
  N_Vector y, yB, qB;
  SUNMatrix A, AB;
  SUNLinearSolver LS, LSB;
  SUNNonlinearSolver NLS, NLSB;
  int bdf;
  double rtol, atol;
  Params p;
  double sigma;
  long nfeFwdPass, nfeFwdTotal, nfeB, nfeQB, stepsF, stepsB;
} Solver;

/* adds dl/dx at time index k into l[2]; returns the term's nll */
static double term(Solver *s, int k, const double *x, double *l) {
  double nll = 0, sg = s->sigma;
  for (int j = 0; j < 2; j++) {
    if (isnan(obs[k][j])) continue;
    double r = obs[k][j] - x[j];
    nll += 0.5 * log(2 * M_PI) + log(sg) + 0.5 * r * r / (sg * sg);
    if (l) l[j] += -r / (sg * sg);
  }
  return nll;
}

static double dsigma(Solver *s) {
  double g = 0, sg = s->sigma;
  for (int k = 0; k < ntimes; k++)
    for (int j = 0; j < 2; j++) {
      if (isnan(obs[k][j])) continue;
      double r = obs[k][j] - xs[k][j];
      g += 1 / sg - r * r / (sg * sg * sg);
    }
  return g;
}

static void setup(Solver *s) {
  die("SUNContext_Create", SUNContext_Create(NULL, &s->ctx));
  s->y = N_VNew_Serial(2, s->ctx);
  s->yB = N_VNew_Serial(2, s->ctx);
  s->qB = N_VNew_Serial(4, s->ctx);
  NV_Ith_S(s->y, 0) = 1.0;
  NV_Ith_S(s->y, 1) = 1.0;
  s->mem = CVodeCreate(s->bdf ? CV_BDF : CV_ADAMS, s->ctx);
  die("CVodeInit", CVodeInit(s->mem, f, 0.0, s->y));
  die("CVodeSStolerances", CVodeSStolerances(s->mem, s->rtol, s->atol));
  die("CVodeSetUserData", CVodeSetUserData(s->mem, &s->p));
  die("CVodeSetMaxNumSteps", CVodeSetMaxNumSteps(s->mem, 10000000));
  if (s->bdf) {
    s->A = SUNDenseMatrix(2, 2, s->ctx);
    s->LS = SUNLinSol_Dense(s->y, s->A, s->ctx);
    die("CVodeSetLinearSolver", CVodeSetLinearSolver(s->mem, s->LS, s->A));
    die("CVodeSetJacFn", CVodeSetJacFn(s->mem, jac));
  } else {
    s->NLS = SUNNonlinSol_FixedPoint(s->y, 0, s->ctx);
    die("CVodeSetNonlinearSolver", CVodeSetNonlinearSolver(s->mem, s->NLS));
  }
  /* checkpoints every 100000 steps: no forward recomputation in the backward pass */
  die("CVodeAdjInit", CVodeAdjInit(s->mem, 100000, CV_HERMITE));
  die("CVodeCreateB", CVodeCreateB(s->mem, s->bdf ? CV_BDF : CV_ADAMS, &s->which));
  s->bInit = 0;
}

static void initB(Solver *s, double T) {
  if (!s->bInit) {
    die("CVodeInitB", CVodeInitB(s->mem, s->which, fB, T, s->yB));
    die("CVodeSStolerancesB", CVodeSStolerancesB(s->mem, s->which, s->rtol, s->atol));
    die("CVodeSetUserDataB", CVodeSetUserDataB(s->mem, s->which, &s->p));
    die("CVodeSetMaxNumStepsB", CVodeSetMaxNumStepsB(s->mem, s->which, 10000000));
    if (s->bdf) {
      s->AB = SUNDenseMatrix(2, 2, s->ctx);
      s->LSB = SUNLinSol_Dense(s->yB, s->AB, s->ctx);
      die("CVodeSetLinearSolverB", CVodeSetLinearSolverB(s->mem, s->which, s->LSB, s->AB));
      die("CVodeSetJacFnB", CVodeSetJacFnB(s->mem, s->which, jacB));
    } else {
      s->NLSB = SUNNonlinSol_FixedPoint(s->yB, 0, s->ctx);
      die("CVodeSetNonlinearSolverB", CVodeSetNonlinearSolverB(s->mem, s->which, s->NLSB));
    }
    die("CVodeQuadInitB", CVodeQuadInitB(s->mem, s->which, fQB, s->qB));
    die("CVodeQuadSStolerancesB", CVodeQuadSStolerancesB(s->mem, s->which, s->rtol, s->atol));
    die("CVodeSetQuadErrConB", CVodeSetQuadErrConB(s->mem, s->which, SUNTRUE));
    s->bInit = 1;
  } else {
    die("CVodeReInitB", CVodeReInitB(s->mem, s->which, T, s->yB));
    die("CVodeQuadReInitB", CVodeQuadReInitB(s->mem, s->which, s->qB));
  }
}

static void countB(Solver *s) {
  void *mb = CVodeGetAdjCVodeBmem(s->mem, s->which);
  long v;
  CVodeGetNumRhsEvals(mb, &v);
  s->nfeB += v;
  CVodeGetQuadNumRhsEvals(mb, &v);
  s->nfeQB += v;
  CVodeGetNumSteps(mb, &v);
  s->stepsB += v;
}

/* one objective + gradient; g[5] */
static double gradient(Solver *s, double *g) {
  int N = ntimes;
  double T = times[N - 1];
  NV_Ith_S(s->y, 0) = 1.0;
  NV_Ith_S(s->y, 1) = 1.0;
  die("CVodeReInit", CVodeReInit(s->mem, 0.0, s->y));
  die("CVodeAdjReInit", CVodeAdjReInit(s->mem));
  xs[0][0] = 1.0;
  xs[0][1] = 1.0;
  realtype tret;
  int ncheck;
  for (int k = 1; k < N; k++) {
    die("CVodeF", CVodeF(s->mem, times[k], s->y, &tret, CV_NORMAL, &ncheck));
    xs[k][0] = NV_Ith_S(s->y, 0);
    xs[k][1] = NV_Ith_S(s->y, 1);
  }
  long v;
  CVodeGetNumRhsEvals(s->mem, &v);
  s->nfeFwdPass = v;
  CVodeGetNumSteps(s->mem, &v);
  s->stepsF = v;
  s->nfeB = s->nfeQB = s->stepsB = 0;

  double nll = 0, l[2] = {0, 0};
  nll += term(s, N - 1, xs[N - 1], l);
  NV_Ith_S(s->yB, 0) = l[0];
  NV_Ith_S(s->yB, 1) = l[1];
  N_VConst(0.0, s->qB);
  initB(s, T);
  for (int k = N - 2; k >= 0; k--) {
    die("CVodeB", CVodeB(s->mem, times[k], CV_NORMAL));
    die("CVodeGetB", CVodeGetB(s->mem, s->which, &tret, s->yB));
    die("CVodeGetQuadB", CVodeGetQuadB(s->mem, s->which, &tret, s->qB));
    countB(s);
    l[0] = NV_Ith_S(s->yB, 0);
    l[1] = NV_Ith_S(s->yB, 1);
    nll += term(s, k, xs[k], l);
    NV_Ith_S(s->yB, 0) = l[0];
    NV_Ith_S(s->yB, 1) = l[1];
    if (k > 0) initB(s, times[k]);
  }
  CVodeGetNumRhsEvals(s->mem, &v);
  s->nfeFwdTotal = v;
  for (int i = 0; i < 4; i++) g[i] = NV_Ith_S(s->qB, i); /* x0 does not depend on p */
  g[4] = dsigma(s);
  return nll;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 13) {
    fprintf(stderr, "usage: lv_cvodes DATA.csv RTOL ATOL adams|bdf WARMUP_S SAMPLES SAMPLE_MS alpha beta delta gamma sigma\n");
    return 2;
  }
  read_data(argv[1]);
  Solver s;
  memset(&s, 0, sizeof s);
  s.rtol = atof(argv[2]);
  s.atol = atof(argv[3]);
  s.bdf = strcmp(argv[4], "bdf") == 0;
  double warm = atof(argv[5]);
  int samples = atoi(argv[6]);
  double sampleS = atof(argv[7]) * 1e-3;
  s.p.a = atof(argv[8]);
  s.p.b = atof(argv[9]);
  s.p.d = atof(argv[10]);
  s.p.g = atof(argv[11]);
  s.sigma = atof(argv[12]);
  setup(&s);
  double g[5], obj = 0;
  double t0 = now();
  int count = 0;
  while (count < 3 || now() - t0 < warm) {
    obj = gradient(&s, g);
    count++;
  }
  t0 = now();
  for (int i = 0; i < 3; i++) obj = gradient(&s, g);
  double one = (now() - t0) / 3;
  int reps = (int)ceil(sampleS / one);
  if (reps < 1) reps = 1;
  double *per = malloc(sizeof(double) * samples);
  for (int k = 0; k < samples; k++) {
    t0 = now();
    for (int r = 0; r < reps; r++) obj = gradient(&s, g);
    per[k] = (now() - t0) / reps;
  }
  qsort(per, samples, sizeof(double), cmp);
  double med = samples % 2 ? per[samples / 2] : 0.5 * (per[samples / 2 - 1] + per[samples / 2]);
  printf("%s\t%.0e\t%.0e\t%.6e\t%.6e\t%d\t%d\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\n",
         s.bdf ? "bdf" : "adams", s.rtol, s.atol, med, per[0], samples, reps, obj, g[0], g[1], g[2], g[3], g[4],
         s.nfeFwdPass, s.nfeFwdTotal, s.nfeB, s.nfeQB, s.stepsF, s.stepsB);
  return 0;
}
