/* ---- the dense LU of rodas5's iteration matrix W = I - h gamma J ---------------------------------
 * W is formed from the generated sparse Jacobian (od_jac, pattern od_jac_row_start/od_jac_col) and
 * factored by the same left-looking LU with partial pivoting as the JVM's IterationMatrix (EJML's
 * LUDecompositionAlt_DDRM, from JAMA), and solved the same way, so the two agree to rounding. */

/* Forms W = I - hg J (row by row: 1 on the diagonal, then J's entries subtracted in pattern order)
 * and factors it in place; returns 0 when W is singular to working precision. */
OD_FN int od_lu_factor(double hg, const double *jv, double (*w)[OD_NA], int *indx) {
  for (int i = 0; i < OD_N; i++) {
    for (int j = 0; j < OD_N; j++) w[i][j] = 0.0;
  }
  for (int i = 0; i < OD_N; i++) {
    w[i][i] = 1.0;
    for (int e = od_jac_row_start[i]; e < od_jac_row_start[i + 1]; e++) w[i][od_jac_col[e]] -= hg * jv[e];
  }
  double col[OD_NA];
  for (int j = 0; j < OD_N; j++) {
    for (int i = 0; i < OD_N; i++) col[i] = w[i][j];
    for (int i = 0; i < OD_N; i++) {
      int kmax = i < j ? i : j;
      double sum = 0.0;
      for (int q = 0; q < kmax; q++) sum += w[i][q] * col[q];
      col[i] -= sum;
      w[i][j] = col[i];
    }
    int piv = j;
    double max = fabs(col[piv]);
    for (int i = j + 1; i < OD_N; i++) {
      double v = fabs(col[i]);
      if (v > max) {
        piv = i;
        max = v;
      }
    }
    if (piv != j) {
      for (int q = 0; q < OD_N; q++) {
        double tmp = w[piv][q];
        w[piv][q] = w[j][q];
        w[j][q] = tmp;
      }
    }
    indx[j] = piv;
    double ujj = w[j][j];
    if (ujj != 0.0) {
      for (int i = j + 1; i < OD_N; i++) w[i][j] /= ujj;
    }
  }
  for (int i = 0; i < OD_N; i++) {
    double u = w[i][i];
    if (u == 0.0 || !isfinite(u)) return 0;
  }
  return 1;
}

/* Solves W x = b in place: the row interchanges and forward substitution of EJML's
 * _solveVectorInternal, then back substitution. */
OD_FN void od_lu_solve(double (*w)[OD_NA], const int *indx, double *b) {
  int ii = 0;
  for (int i = 0; i < OD_N; i++) {
    int ip = indx[i];
    double sum = b[ip];
    b[ip] = b[i];
    if (ii != 0) {
      for (int j = ii - 1; j < i; j++) sum -= w[i][j] * b[j];
    } else if (sum != 0.0) {
      ii = i + 1;
    }
    b[i] = sum;
  }
  for (int i = OD_N - 1; i >= 0; i--) {
    double sum = b[i];
    for (int j = i + 1; j < OD_N; j++) sum -= w[i][j] * b[j];
    b[i] = sum / w[i][i];
  }
}

