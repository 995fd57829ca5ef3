/* HIRES (IVP Test Set): right-hand side and dense analytic Jacobian, written by hand. */
#define P_NAME "hires"
#define P_N 8
static const double p_t1 = 321.8122;
static const double p_y0[P_N] = {1, 0, 0, 0, 0, 0, 0, 0.0057};
static void p_rhs(const double *y, double *dy) {
  dy[0] = -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007;
  dy[1] = 1.71 * y[0] - 8.75 * y[1];
  dy[2] = -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4];
  dy[3] = 8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3];
  dy[4] = -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6];
  dy[5] = -280 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6];
  dy[6] = 280 * y[5] * y[7] - 1.81 * y[6];
  dy[7] = -dy[6];
}
static void p_jac(const double *y, SUNMatrix J) {
#define E(i, j) SM_ELEMENT_D(J, i, j)
  E(0, 0) = -1.71; E(0, 1) = 0.43; E(0, 2) = 8.32;
  E(1, 0) = 1.71; E(1, 1) = -8.75;
  E(2, 2) = -10.03; E(2, 3) = 0.43; E(2, 4) = 0.035;
  E(3, 1) = 8.32; E(3, 2) = 1.71; E(3, 3) = -1.12;
  E(4, 4) = -1.745; E(4, 5) = 0.43; E(4, 6) = 0.43;
  E(5, 3) = 0.69; E(5, 4) = 1.71; E(5, 5) = -0.43 - 280 * y[7]; E(5, 6) = 0.69; E(5, 7) = -280 * y[5];
  E(6, 5) = 280 * y[7]; E(6, 6) = -1.81; E(6, 7) = 280 * y[5];
  E(7, 5) = -280 * y[7]; E(7, 6) = 1.81; E(7, 7) = -280 * y[5];
#undef E
}
