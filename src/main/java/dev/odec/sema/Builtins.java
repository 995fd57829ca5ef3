package dev.odec.sema;

import dev.odec.ir.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The built-in functions and distributions of the language (LANGUAGE.md §4, §5). */
public final class Builtins {
  private Builtins() {}

  /** Element-wise functions of one argument and their ops. */
  public static final Map<String, Op> UNARY = new LinkedHashMap<>();

  /** Element-wise functions of two arguments (scalar arguments broadcast). */
  public static final Map<String, Op> BINARY = new LinkedHashMap<>();

  /** Functions with tensor rules of their own. */
  public static final Set<String> TENSOR = Set.of("sum", "dot", "length", "concat", "transpose");

  /** Distribution name -> number of arguments. */
  public static final Map<String, Integer> DISTRIBUTIONS = new LinkedHashMap<>();

  static {
    for (Op op : List.of(Op.EXP, Op.LOG, Op.LOG10, Op.SQRT, Op.ABS, Op.SIGN, Op.SIN, Op.COS, Op.TAN,
        Op.ASIN, Op.ACOS, Op.ATAN, Op.SINH, Op.COSH, Op.TANH, Op.SIGMOID, Op.SOFTPLUS, Op.RELU, Op.ERF,
        Op.FLOOR, Op.CEIL)) {
      UNARY.put(op.text, op);
    }
    BINARY.put("atan2", Op.ATAN2);
    BINARY.put("min", Op.MIN);
    BINARY.put("max", Op.MAX);
    BINARY.put("pow", Op.POW);
    DISTRIBUTIONS.put("normal", 2);
    DISTRIBUTIONS.put("lognormal", 2);
    DISTRIBUTIONS.put("laplace", 2);
    DISTRIBUTIONS.put("loglaplace", 2);
    DISTRIBUTIONS.put("poisson", 1);
    DISTRIBUTIONS.put("uniform", 2);
  }

  public static boolean isFunction(String name) {
    return UNARY.containsKey(name) || BINARY.containsKey(name) || TENSOR.contains(name);
  }

  public static Set<String> functionNames() {
    Set<String> s = new TreeSet<>(UNARY.keySet());
    s.addAll(BINARY.keySet());
    s.addAll(TENSOR);
    return s;
  }
}
