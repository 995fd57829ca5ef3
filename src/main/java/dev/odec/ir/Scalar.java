package dev.odec.ir;

/**
 * The scalar kernels of the element-wise ops: the single definition used by constant folding,
 * the interpreter and (by static calls) generated code, so that every backend agrees to the bit.
 */
public final class Scalar {
  private Scalar() {}

  public static double apply1(Op op, double x) {
    return switch (op) {
      case NEG -> -x;
      case EXP -> Math.exp(x);
      case LOG -> Math.log(x);
      case LOG10 -> Math.log10(x);
      case SQRT -> Math.sqrt(x);
      case ABS -> Math.abs(x);
      case SIGN -> Math.signum(x);
      case SIN -> Math.sin(x);
      case COS -> Math.cos(x);
      case TAN -> Math.tan(x);
      case ASIN -> Math.asin(x);
      case ACOS -> Math.acos(x);
      case ATAN -> Math.atan(x);
      case SINH -> Math.sinh(x);
      case COSH -> Math.cosh(x);
      case TANH -> Math.tanh(x);
      case SIGMOID -> sigmoid(x);
      case SOFTPLUS -> softplus(x);
      case RELU -> relu(x);
      case ERF -> erf(x);
      case FLOOR -> Math.floor(x);
      case CEIL -> Math.ceil(x);
      case NOT -> x == 0.0 ? 1.0 : 0.0;
      default -> throw new IllegalArgumentException("not a unary op: " + op);
    };
  }

  public static double apply2(Op op, double a, double b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
      case POW -> pow(a, b);
      case ATAN2 -> Math.atan2(a, b);
      case MIN -> Math.min(a, b);
      case MAX -> Math.max(a, b);
      case LT -> a < b ? 1.0 : 0.0;
      case LE -> a <= b ? 1.0 : 0.0;
      case GT -> a > b ? 1.0 : 0.0;
      case GE -> a >= b ? 1.0 : 0.0;
      case EQ -> a == b ? 1.0 : 0.0;
      case NE -> a != b ? 1.0 : 0.0;
      case AND -> (a != 0.0 && b != 0.0) ? 1.0 : 0.0;
      case OR -> (a != 0.0 || b != 0.0) ? 1.0 : 0.0;
      default -> throw new IllegalArgumentException("not a binary op: " + op);
    };
  }

  /** x^y, with small integer exponents multiplied out (faster than Math.pow, and exact for x^2). */
  public static double pow(double x, double y) {
    if (y == 2.0) return x * x;
    if (y == 3.0) return x * x * x;
    if (y == 1.0) return x;
    if (y == 0.5) return Math.sqrt(x);
    return Math.pow(x, y);
  }

  /** The logistic function 1 / (1 + e^-x), written to avoid overflow for large |x|. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /** log(1 + e^x), stable for large |x|. */
  public static double softplus(double x) {
    return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  public static double relu(double x) {
    return x > 0.0 ? x : 0.0;
  }

  /**
   * The error function, to about 1e-16 relative: W. J. Cody's rational Chebyshev approximations
   * (Math. Comp. 23 (1969) 631–637) on |x| < 0.5, [0.5, 4] and > 4.
   */
  public static double erf(double x) {
    double ax = Math.abs(x);
    if (Double.isNaN(x)) return x;
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
      erfc = Math.exp(-ax * ax) * num / den;
    } else if (ax < 27.0) {
      double z = 1.0 / (ax * ax);
      double num = (((((1.63153871373020978498e-2 * z + 3.05326634961232344035e-1) * z
          + 3.60344899949804439429e-1) * z + 1.25781726111229246204e-1) * z
          + 1.60837851487422766278e-2) * z + 6.58749161529837803157e-4);
      double den = (((((z + 2.56852019228982242072e0) * z + 1.87295284992346725209e0) * z
          + 5.27905102951428412248e-1) * z + 6.05183413124413191178e-2) * z
          + 2.33520497626869185443e-3);
      double r = z * num / den;
      erfc = Math.exp(-ax * ax) / ax * (0.56418958354775628695 - r);
    } else {
      erfc = 0.0;
    }
    double v = 1.0 - erfc;
    return x < 0 ? -v : v;
  }
}
