/* ---- odec C runtime: portability macros and the scalar kernels of dev.odec.ir.Scalar ----------
 * Every helper reproduces Java's semantics (java.lang.Math and dev.odec.ir.Scalar) where C99's
 * differ: min/max propagate NaN and order -0.0 below 0.0, pow(x, NaN) and pow(+-1, +-inf) are NaN,
 * erf is W. J. Cody's rational approximation (Math. Comp. 23 (1969) 631-637) exactly as odec's
 * Java code evaluates it. Compile without fused multiply-add (-ffp-contract=off) for results
 * bit-identical to the JVM's in +, -, *, / and sqrt. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __CUDACC__
#pragma nv_diag_suppress 177 /* helpers a model does not use */
#define OD_FN static __device__ inline
#define OD_CONST static __device__ const
#define OD_RESTRICT __restrict__
#else
#define OD_FN static inline
#define OD_CONST static const
#define OD_RESTRICT restrict
#endif

OD_FN double od_sign(double x) {
  return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; /* NaN and +-0 are returned as they are */
}

OD_FN double od_min(double a, double b) {
  if (a != a) return a;
  if (b != b) return b;
  if (a == 0.0 && b == 0.0) return signbit(a) ? a : b;
  return a <= b ? a : b;
}

OD_FN double od_max(double a, double b) {
  if (a != a) return a;
  if (b != b) return b;
  if (a == 0.0 && b == 0.0) return signbit(a) ? b : a;
  return a >= b ? a : b;
}

/* Math.pow: C99's pow returns 1 for pow(1, NaN) and pow(-1, +-inf), Java NaN. */
OD_FN double od_java_pow(double x, double y) {
  if (y != y) return y;
  if (y == 0.0) return 1.0;
  if ((x == 1.0 || x == -1.0) && isinf(y)) return NAN;
  return pow(x, y);
}

/* Scalar.pow: small integer exponents multiplied out. */
OD_FN double od_pow(double x, double y) {
  if (y == 2.0) return x * x;
  if (y == 3.0) return x * x * x;
  if (y == 1.0) return x;
  if (y == 0.5) return sqrt(x);
  return od_java_pow(x, y);
}

OD_FN double od_sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + exp(-x));
  double e = exp(x);
  return e / (1.0 + e);
}

OD_FN double od_softplus(double x) {
  return od_max(x, 0.0) + log1p(exp(-fabs(x)));
}

OD_FN double od_relu(double x) {
  return x > 0.0 ? x : 0.0;
}

OD_FN double od_erf(double x) {
  double ax = fabs(x);
  if (x != x) return x;
  if (ax < 0.5) {
    double z = x * x;
    double num = ((((1.857777061846031526730e-1 * z + 3.161123743870565596947e0) * z
        + 1.138641541510501556495e2) * z + 3.774852376853020208137e2) * z
        + 3.209377589138469472562e3);
    double den = ((((z + 2.360129095234412093499e1) * z + 2.440246379344441733056e2) * z
        + 1.282616526077372275645e3) * z + 2.844236833439170622273e3);
    return x * num / den;
  }
  double erfc;
  if (ax < 4.0) {
    double num = ((((((((2.15311535474403846343e-8 * ax + 5.64188496988670089180e-1) * ax
        + 8.88314979438837594118e0) * ax + 6.61191906371416294775e1) * ax
        + 2.98635138197400131132e2) * ax + 8.81952221241769090411e2) * ax
        + 1.71204761263407058314e3) * ax + 2.05107837782607146532e3) * ax
        + 1.23033935479799725272e3);
    double den = ((((((((ax + 1.57449261107098347253e1) * ax + 1.17693950891312499305e2) * ax
        + 5.37181101862009857509e2) * ax + 1.62138957456669018874e3) * ax
        + 3.29079923573345962678e3) * ax + 4.36261909014324715820e3) * ax
        + 3.43936767414372163696e3) * ax + 1.23033935480374942043e3);
    erfc = exp(-ax * ax) * num / den;
  } else if (ax < 27.0) {
    double z = 1.0 / (ax * ax);
    double num = (((((1.63153871373020978498e-2 * z + 3.05326634961232344035e-1) * z
        + 3.60344899949804439429e-1) * z + 1.25781726111229246204e-1) * z
        + 1.60837851487422766278e-2) * z + 6.58749161529837803157e-4);
    double den = (((((z + 2.56852019228982242072e0) * z + 1.87295284992346725209e0) * z
        + 5.27905102951428412248e-1) * z + 6.05183413124413191178e-2) * z
        + 2.33520497626869185443e-3);
    double r = z * num / den;
    erfc = exp(-ax * ax) / ax * (0.56418958354775628695 - r);
  } else {
    erfc = 0.0;
  }
  double v = 1.0 - erfc;
  return x < 0 ? -v : v;
}
