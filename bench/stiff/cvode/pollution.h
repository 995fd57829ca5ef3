/* POLLU (IVP Test Set): 20 species, 25 reactions. The rate constants, reactants and products are
 * typed by hand from the test set's pollu.f into a table; the right-hand side and the dense analytic
 * Jacobian are hand-written mass-action loops over that table. */
#define P_NAME "pollution"
#define P_N 20
static const double p_t1 = 60.0;
/* y0: NO = 0.2, O3 = 0.04, HCHO = 0.1, CO = 0.3, ALD = 0.01, SO2 = 0.007 (1-based y2, y4, y7, y8, y9, y17) */
static const double p_y0[P_N] = {0, 0.2, 0, 0.04, 0, 0, 0.1, 0.3, 0.01, 0, 0, 0, 0, 0, 0, 0, 0.007, 0, 0, 0};
/* k, reactants (1-based, 0 = none), products (1-based, 0 = none) */
static const struct { double k; int r[2]; int p[3]; } PR[25] = {
  {0.35, {1, 0}, {2, 3, 0}},     {26.6, {2, 4}, {1, 0, 0}},     {1.23e4, {5, 2}, {1, 6, 0}},
  {8.6e-4, {7, 0}, {5, 5, 8}},   {8.2e-4, {7, 0}, {8, 0, 0}},   {1.5e4, {7, 6}, {5, 8, 0}},
  {1.3e-4, {9, 0}, {10, 5, 8}},  {2.4e4, {9, 6}, {11, 0, 0}},   {1.65e4, {11, 2}, {1, 10, 12}},
  {9.0e3, {11, 1}, {13, 0, 0}},  {0.022, {13, 0}, {11, 1, 0}},  {1.2e4, {10, 2}, {14, 1, 0}},
  {1.88, {14, 0}, {7, 5, 0}},    {1.63e4, {1, 6}, {15, 0, 0}},  {4.8e6, {3, 0}, {4, 0, 0}},
  {3.5e-4, {4, 0}, {16, 0, 0}},  {0.0175, {4, 0}, {3, 0, 0}},   {1.0e8, {16, 0}, {6, 6, 0}},
  {4.44e11, {16, 0}, {3, 0, 0}}, {1.24e3, {17, 6}, {18, 5, 0}}, {2.1, {19, 0}, {2, 0, 0}},
  {5.78, {19, 0}, {1, 3, 0}},    {0.0474, {1, 4}, {19, 0, 0}},  {1.78e3, {19, 1}, {20, 0, 0}},
  {3.12, {20, 0}, {19, 1, 0}},
};
static void p_rhs(const double *y, double *dy) {
  for (int i = 0; i < P_N; i++) dy[i] = 0;
  for (int j = 0; j < 25; j++) {
    double r = PR[j].k * y[PR[j].r[0] - 1] * (PR[j].r[1] ? y[PR[j].r[1] - 1] : 1.0);
    for (int q = 0; q < 2; q++) if (PR[j].r[q]) dy[PR[j].r[q] - 1] -= r;
    for (int q = 0; q < 3; q++) if (PR[j].p[q]) dy[PR[j].p[q] - 1] += r;
  }
}
static void p_jac(const double *y, SUNMatrix J) {
  /* CVODE zeroes J before calling the Jacobian function */
  for (int j = 0; j < 25; j++) {
    int a = PR[j].r[0] - 1, b = PR[j].r[1] - 1;
    double d[2] = {PR[j].k * (b >= 0 ? y[b] : 1.0), b >= 0 ? PR[j].k * y[a] : 0.0};
    for (int s = 0; s < (b >= 0 ? 2 : 1); s++) {
      int c = s == 0 ? a : b;
      for (int q = 0; q < 2; q++) if (PR[j].r[q]) SM_ELEMENT_D(J, PR[j].r[q] - 1, c) -= d[s];
      for (int q = 0; q < 3; q++) if (PR[j].p[q]) SM_ELEMENT_D(J, PR[j].p[q] - 1, c) += d[s];
    }
  }
}
