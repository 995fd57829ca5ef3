/* ROBER (IVP Test Set): right-hand side and dense analytic Jacobian, written by hand. */
#define P_NAME "robertson"
#define P_N 3
static const double p_t1 = 1e11;
static const double p_y0[P_N] = {1.0, 0.0, 0.0};
static void p_rhs(const double *y, double *dy) {
  dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
  dy[2] = 3e7 * y[1] * y[1];
  dy[1] = -dy[0] - dy[2];
}
static void p_jac(const double *y, SUNMatrix J) {
  SM_ELEMENT_D(J, 0, 0) = -0.04;
  SM_ELEMENT_D(J, 0, 1) = 1e4 * y[2];
  SM_ELEMENT_D(J, 0, 2) = 1e4 * y[1];
  SM_ELEMENT_D(J, 1, 0) = 0.04;
  SM_ELEMENT_D(J, 1, 1) = -1e4 * y[2] - 6e7 * y[1];
  SM_ELEMENT_D(J, 1, 2) = -1e4 * y[1];
  SM_ELEMENT_D(J, 2, 1) = 6e7 * y[1];
}
