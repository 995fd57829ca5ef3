package dev.odec.ir;

/**
 * The operations of the IR. Every consumer that must handle each op (interpreter, code generator,
 * differentiation rules) switches over this enum exhaustively, so adding an op without handling it
 * everywhere is a compile error.
 *
 * <p>Semantics (all arithmetic IEEE double, tensors flattened row-major):
 * <ul>
 *   <li>{@code CONST}: the node's {@code values} (length = shape size).
 *   <li>{@code TIME}: the scalar time t.
 *   <li>{@code INPUT}: {@code ints = {arg, offset}}; the slice {@code arg[offset .. offset+size)} of
 *       input vector {@code arg} (0 = y, the state vector; 1 = p, the parameter vector).
 *   <li>Unary and binary element-wise ops: an operand is either scalar (broadcast) or has exactly
 *       the result's shape. Scalar kernels are {@link Scalar#apply1} and {@link Scalar#apply2}; every
 *       backend must compute bit-identical results (call the same methods where not a single
 *       bytecode).
 *   <li>{@code SELECT(c, a, b)}: element-wise {@code c != 0 ? a : b}; broadcasting as above.
 *   <li>{@code MATMUL(a, b)}: [m,k]@[k,n] -> [m,n], [m,k]@[k] -> [m], [k]@[k,n] -> [n]. Each output
 *       element is {@code acc = 0.0; for j in 0..k-1: acc += a[.., j] * b[j, ..]} in that order.
 *   <li>{@code SUM(x)}: scalar {@code acc = 0.0; for i: acc += x[i]} in index order.
 *   <li>{@code GATHER(x)}: {@code ints} are flat indices into x; {@code out[i] = x[ints[i]]}. Covers
 *       indexing, slices, rows and transposes.
 *   <li>{@code PACK(a, b, ...)}: the concatenation of the flattened operands, with the node's shape
 *       (vector and matrix literals, {@code concat}).
 * </ul>
 */
public enum Op {
  CONST(Kind.LEAF, "const"),
  TIME(Kind.LEAF, "t"),
  INPUT(Kind.LEAF, "input"),

  NEG(Kind.UNARY, "neg"),
  EXP(Kind.UNARY, "exp"),
  LOG(Kind.UNARY, "log"),
  LOG10(Kind.UNARY, "log10"),
  SQRT(Kind.UNARY, "sqrt"),
  ABS(Kind.UNARY, "abs"),
  SIGN(Kind.UNARY, "sign"),
  SIN(Kind.UNARY, "sin"),
  COS(Kind.UNARY, "cos"),
  TAN(Kind.UNARY, "tan"),
  ASIN(Kind.UNARY, "asin"),
  ACOS(Kind.UNARY, "acos"),
  ATAN(Kind.UNARY, "atan"),
  SINH(Kind.UNARY, "sinh"),
  COSH(Kind.UNARY, "cosh"),
  TANH(Kind.UNARY, "tanh"),
  SIGMOID(Kind.UNARY, "sigmoid"),
  SOFTPLUS(Kind.UNARY, "softplus"),
  RELU(Kind.UNARY, "relu"),
  ERF(Kind.UNARY, "erf"),
  FLOOR(Kind.UNARY, "floor"),
  CEIL(Kind.UNARY, "ceil"),
  NOT(Kind.UNARY, "not"),

  ADD(Kind.BINARY, "add"),
  SUB(Kind.BINARY, "sub"),
  MUL(Kind.BINARY, "mul"),
  DIV(Kind.BINARY, "div"),
  POW(Kind.BINARY, "pow"),
  ATAN2(Kind.BINARY, "atan2"),
  MIN(Kind.BINARY, "min"),
  MAX(Kind.BINARY, "max"),
  LT(Kind.BINARY, "lt"),
  LE(Kind.BINARY, "le"),
  GT(Kind.BINARY, "gt"),
  GE(Kind.BINARY, "ge"),
  EQ(Kind.BINARY, "eq"),
  NE(Kind.BINARY, "ne"),
  AND(Kind.BINARY, "and"),
  OR(Kind.BINARY, "or"),

  SELECT(Kind.TERNARY, "select"),

  MATMUL(Kind.TENSOR, "matmul"),
  SUM(Kind.TENSOR, "sum"),
  GATHER(Kind.TENSOR, "gather"),
  PACK(Kind.TENSOR, "pack");

  /** How an op combines its operands. */
  public enum Kind { LEAF, UNARY, BINARY, TERNARY, TENSOR }

  public final Kind kind;
  public final String text;

  Op(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
  }

  public boolean elementwise() {
    return kind == Kind.UNARY || kind == Kind.BINARY || kind == Kind.TERNARY;
  }
}
