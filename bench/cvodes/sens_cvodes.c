/*
 * Forward sensitivities of a model with SUNDIALS CVODES (BDF, Newton with a dense direct solver,
 * simultaneous corrector, error control on the sensitivities), for comparison with odec grad.
 * The model comes from odec itself: compile with -DMODEL='"prog.c"' where prog.c is the output of
 * `odec compile MODEL.ode --emit c` (its right-hand side od_rhs, dense Jacobian od_jac_dense,
 * initial state od_initial, sensitivity system od_sensitivity and nominal parameters), so both
 * tools integrate the same equations. The emitted program's own main() is renamed away.
 *
 *   S_k' = (dF/dx) S_k + dF/dp_k  (od_sensitivity, all K columns at once),
 *   S_k(t0) = dx0/dp_k by central differences of od_initial (exact for the affine initial states
 *   of the PEtab models here, to rounding).
 *
 * usage: sens_cvodes RTOL ATOL REPEATS T0 T1 [T2 ...]   (output times, ascending)
 *        sens_cvodes --check RTOL ATOL T0 T1 ...   compares S at the last time with central
 *        differences of x(t) from state-only CVODES solves at rtol 1e-12 (exits 1 above 1e-4)
 * prints one TSV line: median_cpu_s median_wall_s repeats steps nfe nfeS lin_setups jac_evals
 *   sum_x(T) sum_S(T)
 *
 * Built against SUNDIALS 6.x (SUNContext) by bench/cvodes/build_sens.sh.
 */
#define main odec_program_main
#include MODEL
#undef main

#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <time.h>

#define K (OD_SENS_COLUMNS)
#define MAXT 4096

static double P[OD_NPA];
static double zin[OD_N * (1 + K)], zout[OD_N * (1 + K)];

static void die(const char *what, int flag) {
  if (flag < 0) {
    fprintf(stderr, "sens_cvodes: %s failed with flag %d\n", what, flag);
    exit(3);
  }
}

static int rhs(realtype t, N_Vector y, N_Vector ydot, void *ud) {
  (void) ud;
  od_rhs(t, N_VGetArrayPointer(y), P, N_VGetArrayPointer(ydot));
  return 0;
}

static int jac(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *ud, N_Vector t1, N_Vector t2, N_Vector t3) {
  (void) fy; (void) ud; (void) t1; (void) t2; (void) t3;
  double jd[OD_N * OD_N];
  od_jac_dense(t, N_VGetArrayPointer(y), P, jd);
  for (int i = 0; i < OD_N; i++)
    for (int j = 0; j < OD_N; j++) SM_ELEMENT_D(J, i, j) = jd[i * OD_N + j];
  return 0;
}

/* all K sensitivity right-hand sides from the emitted sensitivity system */
static int sens(int ns, realtype t, N_Vector y, N_Vector ydot, N_Vector *yS, N_Vector *ySdot, void *ud, N_Vector t1,
                N_Vector t2) {
  (void) ydot; (void) ud; (void) t1; (void) t2;
  memcpy(zin, N_VGetArrayPointer(y), sizeof(double) * OD_N);
  for (int k = 0; k < ns; k++) memcpy(zin + OD_N * (1 + k), N_VGetArrayPointer(yS[k]), sizeof(double) * OD_N);
  od_sensitivity(t, zin, P, zout);
  for (int k = 0; k < ns; k++) memcpy(N_VGetArrayPointer(ySdot[k]), zout + OD_N * (1 + k), sizeof(double) * OD_N);
  return 0;
}

static void initial(double t0, double *x0, double s0[K][OD_N]) {
  double y[OD_NA] = {0}, a[OD_NA], b[OD_NA];
  od_initial(t0, y, P, x0);
  for (int k = 0; k < K; k++) {
    double keep = P[k], h = 1e-6 * (fabs(keep) > 1 ? fabs(keep) : 1);
    P[k] = keep + h;
    od_initial(t0, y, P, a);
    P[k] = keep - h;
    od_initial(t0, y, P, b);
    P[k] = keep;
    for (int i = 0; i < OD_N; i++) s0[k][i] = (a[i] - b[i]) / (2 * h);
  }
}

static double now(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* BDF with Newton and a dense LU on the analytic Jacobian, from (t0, y) */
static void *bdf(SUNContext ctx, double t0, N_Vector y, double rtol, double atol, SUNMatrix *A, SUNLinearSolver *LS) {
  void *mem = CVodeCreate(CV_BDF, ctx);
  die("CVodeInit", CVodeInit(mem, rhs, t0, y));
  die("tolerances", CVodeSStolerances(mem, rtol, atol));
  *A = SUNDenseMatrix(OD_N, OD_N, ctx);
  *LS = SUNLinSol_Dense(y, *A, ctx);
  die("linear solver", CVodeSetLinearSolver(mem, *LS, *A));
  die("jacobian", CVodeSetJacFn(mem, jac));
  die("max steps", CVodeSetMaxNumSteps(mem, 10000000));
  return mem;
}

/* x at the last time from a state-only solve */
static void states_at(SUNContext ctx, double rtol, double atol, const double *ts, int nt, double *out) {
  N_Vector y = N_VNew_Serial(OD_N, ctx);
  double x0[OD_NA], s0[K][OD_N];
  initial(ts[0], x0, s0);
  memcpy(N_VGetArrayPointer(y), x0, sizeof(double) * OD_N);
  SUNMatrix A;
  SUNLinearSolver LS;
  void *mem = bdf(ctx, ts[0], y, rtol, atol, &A, &LS);
  double t;
  for (int i = 1; i < nt; i++) die("CVode", CVode(mem, ts[i], y, &t, CV_NORMAL));
  memcpy(out, N_VGetArrayPointer(y), sizeof(double) * OD_N);
  CVodeFree(&mem);
  SUNLinSolFree(LS);
  SUNMatDestroy(A);
  N_VDestroy(y);
}

int main(int argc, char **argv) {
  int check = argc > 1 && strcmp(argv[1], "--check") == 0;
  int a = check ? 2 : 1;
  if (argc < a + (check ? 4 : 5)) {
    fprintf(stderr, "usage: sens_cvodes RTOL ATOL REPEATS T0 T1 [T2 ...] | --check RTOL ATOL T0 T1 ...\n");
    return 2;
  }
  double rtol = atof(argv[a]), atol = atof(argv[a + 1]);
  int repeats = check ? 1 : atoi(argv[a + 2]);
  int first = check ? a + 2 : a + 3;
  int nt = argc - first;
  if (nt > MAXT) return 2;
  double ts[MAXT];
  for (int i = 0; i < nt; i++) ts[i] = atof(argv[first + i]);
  for (int q = 0; q < OD_NPA; q++) P[q] = od_bench_nominal[q];

  SUNContext ctx;
  die("SUNContext_Create", SUNContext_Create(NULL, &ctx));
  N_Vector y = N_VNew_Serial(OD_N, ctx);
  N_Vector *yS = N_VCloneVectorArray(K, y);
  double x0[OD_NA], s0[K][OD_N];
  initial(ts[0], x0, s0);
  memcpy(N_VGetArrayPointer(y), x0, sizeof(double) * OD_N);
  for (int k = 0; k < K; k++) memcpy(N_VGetArrayPointer(yS[k]), s0[k], sizeof(double) * OD_N);
  SUNMatrix A;
  SUNLinearSolver LS;
  void *mem = bdf(ctx, ts[0], y, rtol, atol, &A, &LS);
  die("CVodeSensInit", CVodeSensInit(mem, K, CV_SIMULTANEOUS, sens, yS));
  die("CVodeSensEEtolerances", CVodeSensEEtolerances(mem));
  die("CVodeSetSensErrCon", CVodeSetSensErrCon(mem, SUNTRUE));

  double *cpu = malloc(sizeof(double) * (repeats + 1)), *wall = malloc(sizeof(double) * (repeats + 1));
  double sumx = 0, sums = 0;
  for (int r = 0; r <= repeats; r++) { /* r = 0: warm-up */
    memcpy(N_VGetArrayPointer(y), x0, sizeof(double) * OD_N);
    for (int k = 0; k < K; k++) memcpy(N_VGetArrayPointer(yS[k]), s0[k], sizeof(double) * OD_N);
    double c0 = now(CLOCK_PROCESS_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
    die("CVodeReInit", CVodeReInit(mem, ts[0], y));
    die("CVodeSensReInit", CVodeSensReInit(mem, CV_SIMULTANEOUS, yS));
    double t;
    for (int i = 1; i < nt; i++) {
      die("CVode", CVode(mem, ts[i], y, &t, CV_NORMAL));
      die("CVodeGetSens", CVodeGetSens(mem, &t, yS));
    }
    if (r > 0) {
      cpu[r - 1] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
      wall[r - 1] = now(CLOCK_MONOTONIC) - w0;
    }
  }
  sumx = 0;
  sums = 0;
  for (int i = 0; i < OD_N; i++) sumx += NV_Ith_S(y, i);
  for (int k = 0; k < K; k++)
    for (int i = 0; i < OD_N; i++) sums += NV_Ith_S(yS[k], i);
  long int steps, nfe, nfeS, setups, jevals;
  CVodeGetNumSteps(mem, &steps);
  CVodeGetNumRhsEvals(mem, &nfe);
  CVodeGetSensNumRhsEvals(mem, &nfeS);
  CVodeGetNumLinSolvSetups(mem, &setups);
  CVodeGetNumJacEvals(mem, &jevals);
  if (check) {
    double worst = 0, xp[OD_NA], xm[OD_NA];
    for (int k = 0; k < K; k++) {
      double keep = P[k], h = 1e-5 * (fabs(keep) > 1e-3 ? fabs(keep) : 1e-3);
      P[k] = keep + h;
      states_at(ctx, 1e-12, 1e-14, ts, nt, xp);
      P[k] = keep - h;
      states_at(ctx, 1e-12, 1e-14, ts, nt, xm);
      P[k] = keep;
      /* relative to the column's largest entry: components far below it carry the differences' noise, and a column
         below 1e-6 (a rate constant the states barely feel) only noise */
      double scale = 0;
      for (int i = 0; i < OD_N; i++) scale = fmax(scale, fabs((xp[i] - xm[i]) / (2 * h)));
      for (int i = 0; i < OD_N; i++) {
        double fd = (xp[i] - xm[i]) / (2 * h), s = NV_Ith_S(yS[k], i);
        double err = fabs(fd - s) / (scale + 1e-6);
        if (err > worst) worst = err;
      }
    }
    printf("max difference of S(T) from central differences, relative to each column's largest entry: %.3g\n", worst);
    return worst > 1e-4;
  }
  qsort(cpu, repeats, sizeof(double), cmp);
  qsort(wall, repeats, sizeof(double), cmp);
  printf("%.6g\t%.6g\t%d\t%ld\t%ld\t%ld\t%ld\t%ld\t%.17g\t%.17g\n", cpu[repeats / 2], wall[repeats / 2], repeats, steps,
         nfe, nfeS, setups, jevals, sumx, sums);
  return 0;
}
