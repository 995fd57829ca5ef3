package dev.odec.ir;

import dev.odec.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A lowered model: the expression graph and the functions built on it.
 *
 * <p>Layout: the state vector y holds the states' components in declaration order; the parameter
 * vector p holds every param's components, then every const's (consts are inputs rather than
 * folded, so overriding one per run or per experiment needs no recompilation), then the modes of
 * the switching conditions ({@link Hybrid}), which solvers set; every function takes the whole p.
 *
 * @param rhs f(t, y, p) = dy/dt, with its switches held in modes (see {@link Switches})
 * @param initial y0(p) (y is not read)
 * @param derived the lets, then the observables' means, in {@link #derivedNames} order
 * @param defaults one function per p variable computing its nominal value from p, to be run in
 *     {@link #defaultOrder} so that a default can use other params and consts
 * @param structuralConsts consts used as sizes or indices: fixed at compile time
 * @param species the states that take part in reactions
 */
public record OdeSystem(
    String name,
    Graph graph,
    List<Var> states,
    List<ParamInfo> params,
    List<Var> consts,
    IrFunction rhs,
    IrFunction initial,
    IrFunction derived,
    List<String> derivedNames,
    List<IrFunction> defaults,
    int[] defaultOrder,
    List<Observable> observables,
    List<Rate> rates,
    List<Flow> flows,
    Set<String> structuralConsts,
    Set<String> species,
    Hybrid hybrid) {

  /** A named, shaped slice of y or p. */
  public record Var(String name, Shape shape, int offset, Span span) {
    /** The names of the components as in CSV headers: {@code x}, {@code z[1]}, {@code W[2,1]}. */
    public List<String> componentNames() {
      List<String> out = new ArrayList<>();
      if (shape.isScalar()) {
        out.add(name);
      } else if (shape.rank() == 1) {
        for (int i = 1; i <= shape.dim(0); i++) out.add(name + "[" + i + "]");
      } else {
        for (int i = 1; i <= shape.dim(0); i++) {
          for (int j = 1; j <= shape.dim(1); j++) out.add(name + "[" + i + "," + j + "]");
        }
      }
      return out;
    }
  }

  /**
   * A parameter with what inference needs: bounds (NaN when absent), the optimizer's scale, and
   * its prior (null when absent) with the prior's arguments evaluated at nominal values.
   */
  public record ParamInfo(Var var, double lo, double hi, String scale, String prior, List<double[]> priorArgs) {}

  /** {@code observe NAME ~ dist(args)}: args are nodes of (t, y, p). */
  public record Observable(String name, String dist, List<Node> args, Span span) {}

  /**
   * {@code rate NAME = intensity}: {@code intensity} as written (for log λ at event times) and
   * {@code held} with its switches held in modes (integrated with the states).
   */
  public record Rate(String name, Node intensity, Node held, Span span) {}

  /**
   * The switches and events of a model (LANGUAGE.md §9): the modes read from p at
   * {@code modeOffset} (the dynamics' switches, then one per {@code when} condition) and the events
   * in the order written.
   */
  public record Hybrid(int modeOffset, List<Switches.Mode> modes, List<Event> events) {
    public static Hybrid none(int modeOffset) {
      return new Hybrid(modeOffset, List.of(), List.of());
    }

    public boolean isEmpty() {
      return modes.isEmpty() && events.isEmpty();
    }

    public int modeCount() {
      return modes.size();
    }
  }

  /**
   * An event: a time event ({@code time} set: {@code at t = time [every period [until until]]},
   * functions of p; period and until null when absent) or a state event ({@code trigger}: the mode
   * of its {@code when} condition, which fires it by turning from 0 to 1). {@code jump} maps the
   * state just before, (t, y⁻, p), to the whole state just after.
   */
  public record Event(int index, Span span, Node time, Node period, Node until, int trigger, List<String> targets,
      IrFunction jump) {
    public boolean timed() {
      return time != null;
    }
  }

  /** {@code flow STATE ~ dist(args)}. */
  public record Flow(String state, String dist, List<Node> args, Span span) {}

  /** Every p variable, params first then consts, in layout order. */
  public List<Var> pVars() {
    List<Var> out = new ArrayList<>();
    for (ParamInfo p : params) out.add(p.var());
    out.addAll(consts);
    return out;
  }

  public int stateSize() {
    return rhs.ySize();
  }

  public int paramSize() {
    return rhs.pSize();
  }

  /** State component names in y order. */
  public List<String> stateComponentNames() {
    List<String> out = new ArrayList<>();
    for (Var v : states) out.addAll(v.componentNames());
    return out;
  }
}
