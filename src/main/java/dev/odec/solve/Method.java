package dev.odec.solve;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The integration methods odec offers, with the text names used on the command line, the
 * classical order of the propagated solution, whether the method carries an error estimate (and
 * therefore adapts its step size), and whether it is implicit (for stiff problems, using the
 * model's generated Jacobian).
 */
public enum Method {
  /** Forward Euler, order 1, fixed step. */
  EULER("euler", 1, false),
  /** Explicit midpoint rule, order 2, fixed step. */
  MIDPOINT("midpoint", 2, false),
  /** The classical fourth-order Runge–Kutta method, fixed step. */
  RK4("rk4", 4, false),
  /** Bogacki–Shampine 3(2), adaptive. */
  BS3("bs3", 3, true),
  /** Dormand–Prince 5(4), adaptive. */
  DOPRI5("dopri5", 5, true),
  /** Tsitouras 5(4), adaptive. */
  TSIT5("tsit5", 5, true),
  /** Dormand–Prince 8(5,3), adaptive. */
  DOP853("dop853", 8, true),
  /** Variable-order (1–5), variable-step BDF with Newton iterations (stiff). */
  BDF("bdf", 5, true, true),
  /** Rodas5P, a stiffly accurate Rosenbrock method of order 5 (stiff). */
  RODAS5("rodas5", 5, true, true);

  /** The name used on the command line and in model files. */
  public final String text;
  /** The order of the propagated solution. */
  public final int order;
  /** Whether the method has an error estimator and adapts its step size. */
  public final boolean adaptive;
  /** Whether the method is implicit and needs the Jacobian (a stiff solver). */
  public final boolean stiff;

  private static final List<String> NAMES;

  static {
    List<String> names = new ArrayList<>();
    for (Method m : values()) {
      names.add(m.text);
    }
    NAMES = Collections.unmodifiableList(names);
  }

  Method(String text, int order, boolean adaptive) {
    this(text, order, adaptive, false);
  }

  Method(String text, int order, boolean adaptive, boolean stiff) {
    this.text = text;
    this.order = order;
    this.adaptive = adaptive;
    this.stiff = stiff;
  }

  /** The method called {@code text}, or {@code null} when there is none. */
  public static Method byName(String text) {
    if (text == null) {
      return null;
    }
    for (Method m : values()) {
      if (m.text.equals(text)) {
        return m;
      }
    }
    return null;
  }

  /** The text names in declaration order. */
  public static List<String> names() {
    return NAMES;
  }
}
