/*
 * SUNDIALS CVODE (BDF, Newton, analytic Jacobian) on one stiff problem, for bench/stiff.sh.
 * The problem comes in at compile time (-DPROBLEM='"robertson.h"' etc., see build.sh):
 * hand-written problems give a dense Jacobian (SUNDenseMatrix + the dense linear solver);
 * generated networks (P_SPARSE) a compressed-row sparse Jacobian with KLU (SUNLinSol_KLU).
 *
 * One CVODE instance is created once and re-initialised (CVodeReInit) for every solve, as odec's
 * integrator is reused. A solve integrates from 0 to t1 and returns y(t1) (CVODE steps past t1 and
 * interpolates, CV_NORMAL). Timing as bench/cvodes/lv_cvodes.c: warm-up, then SAMPLES samples of
 * REPS solves each (REPS so that a sample lasts about SAMPLE_MS), median and min of time per solve.
 *
 * usage: stiff_cvode RTOL ATOL WARMUP_S SAMPLES SAMPLE_MS STATE_OUT
 * prints one TSV line: rtol atol median_s min_s samples reps nfe nje nlu steps rejected(error test
 * failures) newton_iters newton_conv_fails ; writes y(t1) to STATE_OUT, one %.17g a line.
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
#include <sunmatrix/sunmatrix_sparse.h>
#ifdef USE_KLU
#include <sunlinsol/sunlinsol_klu.h>
#endif

#include PROBLEM

static void die(const char *what, int flag) {
  if (flag < 0) {
    fprintf(stderr, "stiff_cvode: %s failed with flag %d\n", what, flag);
    exit(3);
  }
}

static int f(realtype t, N_Vector y, N_Vector ydot, void *ud) {
  p_rhs(N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
  return 0;
}

static int jac(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *ud, N_Vector t1, N_Vector t2,
               N_Vector t3) {
#ifdef P_SPARSE
  sunindextype *rp = SM_INDEXPTRS_S(J), *ci = SM_INDEXVALS_S(J);
  for (int i = 0; i <= P_N; i++) rp[i] = p_rowptr[i];
  for (int e = 0; e < P_NNZ; e++) ci[e] = p_colidx[e];
  p_jac_values(N_VGetArrayPointer(y), SM_DATA_S(J));
#else
  p_jac(N_VGetArrayPointer(y), J);
#endif
  return 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void *mem;
static N_Vector y;

static void solve(void) {
  double *yv = N_VGetArrayPointer(y);
  for (int i = 0; i < P_N; i++) yv[i] = p_y0[i];
  die("CVodeReInit", CVodeReInit(mem, 0.0, y));
  realtype t;
  die("CVode", CVode(mem, p_t1, y, &t, CV_NORMAL));
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: stiff_cvode RTOL ATOL WARMUP_S SAMPLES SAMPLE_MS STATE_OUT\n");
    return 2;
  }
  double rtol = atof(argv[1]), atol = atof(argv[2]), warm = atof(argv[3]);
  int samples = atoi(argv[4]);
  double sampleS = atof(argv[5]) * 1e-3;
  SUNContext ctx;
  die("SUNContext_Create", SUNContext_Create(NULL, &ctx));
  y = N_VNew_Serial(P_N, ctx);
  double *yv = N_VGetArrayPointer(y);
  for (int i = 0; i < P_N; i++) yv[i] = p_y0[i];
  mem = CVodeCreate(CV_BDF, ctx);
  die("CVodeInit", CVodeInit(mem, f, 0.0, y));
  die("CVodeSStolerances", CVodeSStolerances(mem, rtol, atol));
  die("CVodeSetMaxNumSteps", CVodeSetMaxNumSteps(mem, 1000000));
#ifdef P_SPARSE
  SUNMatrix A = SUNSparseMatrix(P_N, P_N, P_NNZ, CSR_MAT, ctx);
  SUNLinearSolver LS = SUNLinSol_KLU(y, A, ctx);
#else
  SUNMatrix A = SUNDenseMatrix(P_N, P_N, ctx);
  SUNLinearSolver LS = SUNLinSol_Dense(y, A, ctx);
#endif
  die("CVodeSetLinearSolver", CVodeSetLinearSolver(mem, LS, A));
  die("CVodeSetJacFn", CVodeSetJacFn(mem, jac));

  double t0 = now();
  int count = 0;
  while (count < 3 || now() - t0 < warm) {
    solve();
    count++;
  }
  t0 = now();
  for (int i = 0; i < 3; i++) solve();
  double one = (now() - t0) / 3;
  int reps = (int)ceil(sampleS / one);
  if (reps < 1) reps = 1;
  double *per = malloc(sizeof(double) * samples);
  for (int k = 0; k < samples; k++) {
    t0 = now();
    for (int r = 0; r < reps; r++) solve();
    per[k] = (now() - t0) / reps;
  }
  qsort(per, samples, sizeof(double), cmp);
  double med = samples % 2 ? per[samples / 2] : 0.5 * (per[samples / 2 - 1] + per[samples / 2]);
  long nfe, nje, nlu, steps, netf, nni, ncfn, nfels;
  CVodeGetNumRhsEvals(mem, &nfe);
  CVodeGetNumJacEvals(mem, &nje);
  CVodeGetNumLinSolvSetups(mem, &nlu);
  CVodeGetNumSteps(mem, &steps);
  CVodeGetNumErrTestFails(mem, &netf);
  CVodeGetNumNonlinSolvIters(mem, &nni);
  CVodeGetNumNonlinSolvConvFails(mem, &ncfn);
  CVodeGetNumLinRhsEvals(mem, &nfels);
  printf("%.0e\t%.0e\t%.6e\t%.6e\t%d\t%d\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\n", rtol, atol, med, per[0], samples,
         reps, nfe + nfels, nje, nlu, steps, netf, nni, ncfn);
  FILE *out = fopen(argv[6], "w");
  if (!out) { perror(argv[6]); return 3; }
  for (int i = 0; i < P_N; i++) fprintf(out, "%.17g\n", yv[i]);
  fclose(out);
  return 0;
}
