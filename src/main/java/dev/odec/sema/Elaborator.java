package dev.odec.sema;

import com.google.common.primitives.Ints;
import dev.odec.ast.Decl;
import dev.odec.ast.Expr;
import dev.odec.ast.ModelFile;
import dev.odec.diag.Diagnostics;
import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.IrVerifier;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.OdeSystem;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import dev.odec.ir.Switches;
import dev.odec.source.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The front end's checking and lowering in one walk: resolves names, checks shapes and contexts,
 * and builds the IR directly (type errors are found while building, so the graph is never built
 * from an ill-typed expression). Every problem is reported into {@link Diagnostics} with its
 * source position and the walk goes on, so that all errors of a file are found in one run.
 *
 * <p>Lowering inlines {@code fn}s and {@code let}s, expands reactions into their species'
 * derivatives with stoichiometric coefficients, and lets the {@link Graph} share common
 * subexpressions and fold constants.
 */
public final class Elaborator {
  /** What a name may refer to in the expression being lowered, and how it lowers. */
  private enum Mode {
    /** params/consts as their compile-time nominal values; nothing else. */
    STATIC,
    /** like STATIC, states as their compile-time initial values (shape inference only). */
    STATIC_INIT,
    /** params/consts as inputs p. */
    PARAMS,
    /** params/consts as inputs, states as their initial-value expressions. */
    INITIAL,
    /** everything: t, states as inputs y, lets, params/consts as inputs. */
    DYNAMIC
  }

  private enum Kind {
    PARAM("param"), CONST("const"), STATE("state"), LET("let"), FN("fn");

    final String text;

    Kind(String text) {
      this.text = text;
    }
  }

  private record Sym(Kind kind, String name, Decl decl, String module) {}

  /** The largest array a declaration may have. */
  static final long MAX_ELEMENTS = 10_000_000;

  private final Diagnostics diags;
  private final Graph g = new Graph();
  private final Map<String, Sym> symbols = new LinkedHashMap<>();
  private final Map<String, Decl.Deriv> derivs = new LinkedHashMap<>();
  private final Map<String, Shape> shapes = new HashMap<>();
  private final Map<String, Integer> offsets = new HashMap<>();
  private final Map<String, Node> staticMemo = new HashMap<>();
  private final Map<String, Node> staticInitMemo = new HashMap<>();
  private final Map<String, Node> initialMemo = new HashMap<>();
  private final Map<String, Node> letMemo = new HashMap<>();
  private final Deque<String> inProgress = new ArrayDeque<>();
  private final Deque<String> fnStack = new ArrayDeque<>();
  private final Deque<Map<String, Node>> locals = new ArrayDeque<>();
  private final Set<String> shapeInProgress = new HashSet<>();
  /** Names whose declared type was rejected: their uses are not checked again (no cascade). */
  private final Set<String> badType = new HashSet<>();
  /** Expressions that folded to a non-finite constant (reported at the innermost one). */
  private final Set<Expr> nonFinite = new HashSet<>();
  private final Set<String> structuralConsts = new TreeSet<>();
  /** p variables in dependency order (a set: models with 20,000 params must not be quadratic). */
  private final Set<String> defaultOrderNames = new LinkedHashSet<>();
  private final Set<Set<String>> reportedCycles = new HashSet<>();
  /** Where each switching node (comparison, abs, min, ...) was written, for messages. */
  private final Map<Node, Span> switchSpans = new HashMap<>();
  private boolean structural;
  /** The const whose value is being lowered, or null. */
  private String constValue;
  private String context = "";

  private Elaborator(Diagnostics diags) {
    this.diags = diags;
  }

  /**
   * Checks and lowers {@code file} with its imported modules. Returns null when errors were
   * reported (the diagnostics say why).
   */
  public static OdeSystem elaborate(ModelFile file, List<ModuleLoader.Module> imports, String defaultName,
      Diagnostics diags) {
    Elaborator e = new Elaborator(diags);
    OdeSystem sys = e.run(file, imports, defaultName);
    return diags.hasErrors() ? null : sys;
  }

  // ---- declarations ------------------------------------------------------------------------

  private OdeSystem run(ModelFile file, List<ModuleLoader.Module> imports, String defaultName) {
    declareImports(imports, file);
    List<Decl.Reaction> reactions = new ArrayList<>();
    List<Decl.Observe> observes = new ArrayList<>();
    List<Decl.Rate> rates = new ArrayList<>();
    List<Decl.Flow> flows = new ArrayList<>();
    List<Decl> events = new ArrayList<>();
    for (Decl d : file.decls()) {
      if (d instanceof Decl.Param p) declare(Kind.PARAM, p.name(), p.nameSpan(), p, null);
      else if (d instanceof Decl.Const c) declare(Kind.CONST, c.name(), c.nameSpan(), c, null);
      else if (d instanceof Decl.State s) declare(Kind.STATE, s.name(), s.nameSpan(), s, null);
      else if (d instanceof Decl.Let l) declare(Kind.LET, l.name(), l.nameSpan(), l, null);
      else if (d instanceof Decl.Fn f) declare(Kind.FN, f.name(), f.nameSpan(), f, null);
      else if (d instanceof Decl.Deriv dv) {
        Decl.Deriv prev = derivs.putIfAbsent(dv.state(), dv);
        if (prev != null) {
          diags.error(dv.stateSpan(), "state '" + dv.state() + "' already has d(" + dv.state()
              + ")/dt at line " + prev.span().line() + "; a state has exactly one source of dynamics");
        }
      } else if (d instanceof Decl.Reaction r) reactions.add(r);
      else if (d instanceof Decl.Observe o) observes.add(o);
      else if (d instanceof Decl.Rate r) rates.add(r);
      else if (d instanceof Decl.Flow f) flows.add(f);
      else if (d instanceof Decl.At || d instanceof Decl.When) events.add(d);
    }
    checkFunctions();
    List<String> stateNames = namesOf(Kind.STATE);
    if (stateNames.isEmpty()) {
      diags.error(new Span(file.source(), 1, 1, 1), "the model declares no states: add at least one "
          + "'state NAME = VALUE' with its dynamics 'd(NAME)/dt = ...'");
    }

    // shapes, then layout
    for (Sym s : symbols.values()) {
      if (s.kind == Kind.PARAM || s.kind == Kind.CONST || s.kind == Kind.STATE) shapeOf(s);
    }
    int y = 0;
    for (String s : stateNames) {
      offsets.put(s, y);
      y += shapeOf(symbols.get(s)).size();
    }
    int p = 0;
    List<String> pNames = new ArrayList<>(namesOf(Kind.PARAM));
    pNames.addAll(namesOf(Kind.CONST));
    for (String n : pNames) {
      offsets.put(n, p);
      p += shapeOf(symbols.get(n)).size();
    }

    // dynamics
    Map<String, List<Node>> contributions = new LinkedHashMap<>();
    Map<String, Span> reactionOf = new HashMap<>();
    for (Decl.Reaction r : reactions) reaction(r, contributions, reactionOf);
    for (Decl.Deriv dv : derivs.values()) {
      Sym s = symbols.get(dv.state());
      if (s == null || s.kind != Kind.STATE) {
        diags.error(dv.stateSpan(), (s == null ? "unknown state '" + dv.state() + "'" + hint(dv.state(), Kind.STATE)
            : "'" + dv.state() + "' is a " + s.kind.text + ", not a state") + " in d(" + dv.state() + ")/dt");
      } else if (reactionOf.containsKey(dv.state())) {
        diags.error(dv.stateSpan(), "state '" + dv.state() + "' has both d(" + dv.state()
            + ")/dt and reactions (line " + reactionOf.get(dv.state()).line()
            + "); a state has exactly one source of dynamics");
      }
    }
    List<Node> rhsOut = new ArrayList<>();
    List<Node> initOut = new ArrayList<>();
    Set<String> flowStates = new HashSet<>();
    for (Decl.Flow f : flows) flowStates.add(f.name());
    for (String s : stateNames) {
      Decl.State decl = (Decl.State) symbols.get(s).decl;
      Shape shape = shapes.get(s);
      Node rate = null;
      if (derivs.containsKey(s)) {
        Decl.Deriv dv = derivs.get(s);
        context = "d(" + s + ")/dt";
        rate = fit(lower(dv.value(), Mode.DYNAMIC), shape, dv.value().span(), "d(" + s + ")/dt", "state '" + s + "'");
      } else if (contributions.containsKey(s)) {
        rate = pairwiseSum(contributions.get(s));
      } else {
        diags.error(decl.nameSpan(), "state '" + s + "' has no dynamics: add 'd(" + s + ")/dt = ...' or a "
            + "reaction that involves it (write d(" + s + ")/dt = 0 for a constant state)");
      }
      rhsOut.add(rate == null ? g.constant(0.0) : rate);
      if (decl.value() == null && !flowStates.contains(s)) {
        diags.error(decl.nameSpan(), "state '" + s + "' needs an initial value: 'state " + s + " = VALUE'");
      }
      Node init = initialValue(s);
      initOut.add(init == null ? zeros(shape) : init);
    }

    // lets, observables, rates, flows
    List<Node> derivedOut = new ArrayList<>();
    List<String> derivedNames = new ArrayList<>();
    for (String l : namesOf(Kind.LET)) {
      Node v = letValue(l, symbols.get(l).decl.span());
      if (v != null) {
        derivedOut.add(v);
        derivedNames.addAll(new OdeSystem.Var(l, v.shape, 0, null).componentNames());
      }
    }
    Set<String> columns = new HashSet<>();
    List<OdeSystem.Observable> observables = new ArrayList<>();
    for (Decl.Observe o : observes) {
      uniqueColumn(o.name(), o.nameSpan(), columns);
      context = "observe " + o.name();
      List<Node> args = distribution(o.dist(), Mode.DYNAMIC, false, null);
      if (args != null) {
        observables.add(new OdeSystem.Observable(o.name(), o.dist().name(), args, o.span()));
        Node mean = mean(o.dist().name(), args);
        derivedOut.add(mean);
        derivedNames.addAll(new OdeSystem.Var(o.name(), mean.shape, 0, null).componentNames());
      }
    }
    List<OdeSystem.Rate> rateList = new ArrayList<>();
    for (Decl.Rate r : rates) {
      uniqueColumn(r.name(), r.nameSpan(), columns);
      context = "rate " + r.name();
      Node v = lower(r.value(), Mode.DYNAMIC);
      if (v != null && !v.shape.isScalar()) {
        diags.error(r.value().span(), "the intensity of rate '" + r.name() + "' must be a scalar, not " + v.shape);
      } else if (v != null) {
        rateList.add(new OdeSystem.Rate(r.name(), v, v, r.span()));
      }
    }
    List<OdeSystem.Flow> flowList = new ArrayList<>();
    Set<String> flowSeen = new HashSet<>();
    for (Decl.Flow f : flows) {
      Sym s = symbols.get(f.name());
      if (s == null || s.kind != Kind.STATE) {
        diags.error(f.nameSpan(), (s == null ? "unknown state '" + f.name() + "'" + hint(f.name(), Kind.STATE)
            : "'" + f.name() + "' is a " + s.kind.text + ", not a state") + " in flow");
        continue;
      }
      if (!flowSeen.add(f.name())) {
        diags.error(f.nameSpan(), "state '" + f.name() + "' already has a flow statement");
        continue;
      }
      context = "flow " + f.name();
      List<Node> args = distribution(f.dist(), Mode.PARAMS, false, shapes.get(f.name()));
      if (args != null) flowList.add(new OdeSystem.Flow(f.name(), f.dist().name(), args, f.span()));
    }

    // switches held in modes, then the events (their when-conditions get modes after those)
    List<Node> toFreeze = new ArrayList<>(rhsOut);
    for (OdeSystem.Rate r : rateList) toFreeze.add(r.intensity());
    Switches.Frozen frozen = Switches.freeze(g, toFreeze, p, switchSpans);
    List<Switches.Mode> modes = new ArrayList<>(frozen.modes());
    rhsOut = new ArrayList<>(frozen.outputs().subList(0, rhsOut.size()));
    List<OdeSystem.Rate> heldRates = new ArrayList<>();
    for (int i = 0; i < rateList.size(); i++) {
      OdeSystem.Rate r = rateList.get(i);
      heldRates.add(new OdeSystem.Rate(r.name(), r.intensity(), frozen.outputs().get(rhsOut.size() + i), r.span()));
    }
    rateList = heldRates;
    List<EventParts> eventParts = new ArrayList<>();
    for (Decl d : events) {
      EventParts ev = event(d, modes, stateNames);
      if (ev != null) eventParts.add(ev);
    }

    // parameters: bounds, scales, priors; nominal-value functions
    List<OdeSystem.ParamInfo> params = new ArrayList<>();
    for (String n : namesOf(Kind.PARAM)) params.add(paramInfo((Decl.Param) symbols.get(n).decl));
    List<OdeSystem.Var> consts = new ArrayList<>();
    for (String n : namesOf(Kind.CONST)) consts.add(var(n));
    List<IrFunction> defaults = new ArrayList<>();
    int ySize = y;
    int pSize = p + modes.size();
    for (String n : pNames) {
      Sym s = symbols.get(n);
      Expr value = s.decl instanceof Decl.Param pd ? pd.value() : ((Decl.Const) s.decl).value();
      if (value == null) {
        defaults.add(null);
        continue;
      }
      context = "the value of " + s.kind.text + " '" + n + "'";
      constValue = s.kind == Kind.CONST ? n : null;
      Node v = fit(lower(value, Mode.PARAMS), shapes.get(n), value.span(), "the value of '" + n + "'",
          s.kind.text + " '" + n + "'");
      constValue = null;
      defaults.add(v == null ? null : new IrFunction("default_" + n, List.of(v), ySize, pSize));
    }
    for (String n : pNames) defaultClosure(n);
    List<OdeSystem.Event> eventList = new ArrayList<>();
    for (EventParts ev : eventParts) {
      int k = eventList.size();
      eventList.add(new OdeSystem.Event(k, ev.span(), ev.time(), ev.period(), ev.until(), ev.trigger(), ev.targets(),
          new IrFunction("event_" + (k + 1), ev.jump(), ySize, pSize)));
    }
    OdeSystem.Hybrid hybrid = new OdeSystem.Hybrid(p, List.copyOf(modes), List.copyOf(eventList));
    Map<String, Integer> pIndex = new HashMap<>();
    for (int i = 0; i < pNames.size(); i++) pIndex.put(pNames.get(i), i);
    int[] order = defaultOrderNames.stream().mapToInt(pIndex::get).toArray();

    if (diags.hasErrors()) return null;
    String name = file.name() != null ? file.name() : defaultName;
    List<OdeSystem.Var> states = new ArrayList<>();
    for (String s : stateNames) states.add(var(s));
    OdeSystem sys = new OdeSystem(name, g, states, params, consts,
        new IrFunction("rhs", rhsOut, ySize, pSize),
        new IrFunction("initial", initOut, ySize, pSize),
        new IrFunction("derived", derivedOut, ySize, pSize), derivedNames, defaults, order,
        observables, rateList, flowList, Set.copyOf(structuralConsts), Set.copyOf(reactionOf.keySet()), hybrid);
    IrVerifier.verify(sys.rhs());
    for (OdeSystem.Event ev : eventList) IrVerifier.verify(ev.jump());
    IrVerifier.verify(sys.initial());
    IrVerifier.verify(sys.derived());
    for (IrFunction f : defaults) if (f != null) IrVerifier.verify(f);
    return sys;
  }

  private void declareImports(List<ModuleLoader.Module> imports, ModelFile file) {
    Set<String> local = new HashSet<>();
    for (Decl d : file.decls()) {
      if (d instanceof Decl.Fn f) local.add(f.name());
      if (d instanceof Decl.Const c) local.add(c.name());
      if (d instanceof Decl.Param p) local.add(p.name());
      if (d instanceof Decl.State s) local.add(s.name());
      if (d instanceof Decl.Let l) local.add(l.name());
    }
    for (ModuleLoader.Module m : imports) {
      for (Decl d : m.file().decls()) {
        String name = d instanceof Decl.Fn f ? f.name() : d instanceof Decl.Const c ? c.name() : null;
        if (name == null || local.contains(name)) continue;
        Sym prev = symbols.get(name);
        if (prev != null) {
          if (!prev.module.equals(m.displayName())) {
            diags.error(m.via().span(), "'" + name + "' is defined by both imported modules '" + prev.module
                + "' and '" + m.displayName() + "'; declare your own '" + name + "' to choose, or import only one");
          }
          continue;
        }
        symbols.put(name, new Sym(d instanceof Decl.Fn ? Kind.FN : Kind.CONST, name, d, m.displayName()));
      }
    }
  }

  private void declare(Kind kind, String name, Span span, Decl decl, String module) {
    if (name.equals("time") && (kind == Kind.STATE || kind == Kind.LET)) {
      diags.error(span, "'time' is the first column of every output and data file and cannot name a " + kind.text);
      return;
    }
    if (name.equals("t") || name.equals("pi")) {
      diags.error(span, "'" + name + "' is built in (" + (name.equals("t") ? "the time" : "the constant pi")
          + ") and cannot be declared");
      return;
    }
    Sym prev = symbols.get(name);
    if (prev != null && prev.module == null) {
      diags.error(span, "'" + name + "' is already declared as a " + prev.kind.text + " at line "
          + prev.decl.span().line());
      return;
    }
    symbols.put(name, new Sym(kind, name, decl, module));
  }

  /**
   * Checks every fn, called or not: its argument names are distinct, and no fn reaches itself
   * through the fns its body calls (LANGUAGE.md §7: recursion is an error even in a fn that is
   * never called, since fns are inlined).
   */
  private void checkFunctions() {
    for (Sym s : symbols.values()) {
      if (s.kind != Kind.FN) continue;
      Decl.Fn fn = (Decl.Fn) s.decl;
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < fn.params().size(); i++) {
        if (!seen.add(fn.params().get(i))) {
          diags.error(fn.paramSpans().get(i), "function '" + fn.name() + "' has two arguments named '"
              + fn.params().get(i) + "'");
        }
      }
    }
    Set<String> done = new HashSet<>();
    for (Sym s : symbols.values()) {
      if (s.kind == Kind.FN) findRecursion((Decl.Fn) s.decl, new ArrayList<>(), done);
    }
  }

  /** Depth-first over the fns that {@code fn} calls; {@code path} holds the fns being visited. */
  private void findRecursion(Decl.Fn fn, List<String> path, Set<String> done) {
    if (done.contains(fn.name())) return;
    path.add(fn.name());
    List<Expr.Call> calls = new ArrayList<>();
    callsIn(fn.body(), calls);
    for (Expr.Call c : calls) {
      Sym callee = symbols.get(c.name());
      if (callee == null || callee.kind != Kind.FN) continue;
      int at = path.indexOf(c.name());
      if (at >= 0) {
        List<String> cycle = path.subList(at, path.size());
        // the same message the inliner gives for this call, so a called fn is reported once
        diags.error(c.nameSpan(), "recursion: function '" + c.name() + "' calls itself"
            + (cycle.size() > 1 ? " through '" + String.join("' -> '", cycle.subList(1, cycle.size())) + "'" : "")
            + "; functions are inlined and cannot be recursive");
      } else {
        findRecursion((Decl.Fn) callee.decl, path, done);
      }
    }
    path.remove(path.size() - 1);
    done.add(fn.name());
  }

  /** The calls in an expression (not looking into the bodies of the fns called). */
  private static void callsIn(Expr e, List<Expr.Call> out) {
    if (e instanceof Expr.Call c) out.add(c);
    for (Expr x : e.children()) callsIn(x, out);
  }

  private List<String> namesOf(Kind kind) {
    List<String> out = new ArrayList<>();
    for (Sym s : symbols.values()) if (s.kind == kind) out.add(s.name);
    return out;
  }

  private OdeSystem.Var var(String name) {
    Sym s = symbols.get(name);
    Span span = s.decl instanceof Decl.Param p ? p.nameSpan()
        : s.decl instanceof Decl.Const c ? c.nameSpan()
        : s.decl instanceof Decl.State st ? st.nameSpan() : s.decl.span();
    return new OdeSystem.Var(name, shapes.get(name), offsets.get(name), span);
  }

  private void uniqueColumn(String name, Span span, Set<String> columns) {
    if (!columns.add(name)) diags.error(span, "data column '" + name + "' is already used by another observe or rate");
    if (name.equals("time") || name.equals("experiment")) {
      diags.error(span, "'" + name + "' is a reserved data column and cannot name an observable");
    }
  }

  // ---- shapes --------------------------------------------------------------------------------

  private Shape shapeOf(Sym s) {
    Shape known = shapes.get(s.name);
    if (known != null) return known;
    if (!shapeInProgress.add(s.name)) return Shape.SCALAR; // cycle: reported by value lowering
    Decl.TypeSpec type = s.decl instanceof Decl.Param p ? p.type()
        : s.decl instanceof Decl.Const c ? c.type()
        : s.decl instanceof Decl.State st ? st.type() : null;
    Shape shape;
    if (type != null) {
      shape = typeShape(type);
      if (shape == null) {
        badType.add(s.name);
        shape = Shape.SCALAR;
      }
    } else {
      Expr value = s.decl instanceof Decl.Param p ? p.value()
          : s.decl instanceof Decl.Const c ? c.value()
          : s.decl instanceof Decl.State st ? st.value() : null;
      Node v = null;
      if (value != null) {
        String saved = context;
        context = s.kind == Kind.STATE ? initialContext(s.name) : "the value of " + s.kind.text + " '" + s.name + "'";
        v = lower(value, s.kind == Kind.STATE ? Mode.STATIC_INIT : Mode.STATIC);
        context = saved;
      }
      shape = v == null ? Shape.SCALAR : v.shape;
    }
    shapes.put(s.name, shape);
    shapeInProgress.remove(s.name);
    return shape;
  }

  /** The declared shape, or null when it was rejected (reported). */
  private Shape typeShape(Decl.TypeSpec type) {
    if (type.dims().isEmpty()) return Shape.SCALAR;
    int[] dims = new int[type.dims().size()];
    long total = 1;
    for (int i = 0; i < dims.length; i++) {
      dims[i] = staticInt(type.dims().get(i), "an array size", 1, Integer.MAX_VALUE);
      if (dims[i] < 1) dims[i] = 1;
      total *= dims[i];
    }
    if (total > MAX_ELEMENTS) {
      diags.error(type.span(), "an array of " + total + " elements is too large (at most " + MAX_ELEMENTS + ")");
      return null;
    }
    return new Shape(dims);
  }

  /** Evaluates a compile-time integer (sizes, indices): literals and consts only. */
  private int staticInt(Expr e, String what, int lo, int hi) {
    boolean saved = structural;
    String savedCtx = context;
    structural = true;
    context = what;
    Node v = lower(e, Mode.STATIC);
    structural = saved;
    context = savedCtx;
    if (v == null) return -1;
    if (!v.isConst() || !v.shape.isScalar()) {
      diags.error(e.span(), what + " must be a constant integer (a number or a const), not " + describe(e));
      return -1;
    }
    double d = v.valueAt(0);
    if (d != Math.rint(d) || d < lo || d > hi) {
      String range = hi == Integer.MAX_VALUE ? "a positive integer" : "an integer from " + lo + " to " + hi;
      diags.error(e.span(), what + " must be " + range + ", got " + fmt(d));
      return -1;
    }
    return (int) d;
  }

  // ---- names -----------------------------------------------------------------------------------

  private Node resolve(String name, Span span, Mode mode) {
    for (Map<String, Node> scope : locals) {
      if (scope.containsKey(name)) return scope.get(name);
      break; // fn bodies see their own arguments only, not their caller's
    }
    if (name.equals("t")) {
      if (mode == Mode.DYNAMIC) return g.time();
      diags.error(span, "the time 't' cannot be used in " + context);
      return null;
    }
    if (name.equals("pi")) return g.constant(Math.PI);
    Sym s = symbols.get(name);
    if (s == null) {
      diags.error(span, "unknown name '" + name + "'" + hint(name, null));
      return null;
    }
    if (badType.contains(name)) return null; // its type was rejected: nothing more to say about this use
    switch (s.kind) {
      case PARAM, CONST -> {
        if (s.kind == Kind.PARAM && constValue != null) {
          diags.error(span, "const '" + constValue + "' cannot depend on param '" + name + "': a const is fixed and "
              + "never estimated; make '" + constValue + "' a param, or use a let");
          return null;
        }
        if (mode == Mode.STATIC || mode == Mode.STATIC_INIT) {
          if (structural && s.kind == Kind.CONST) structuralConsts.add(name);
          if (structural && s.kind == Kind.PARAM) {
            diags.error(span, "'" + name + "' is a param, but " + context + " must be fixed at compile time: "
                + "use a const");
            return null;
          }
          return staticValue(s, span);
        }
        return g.input(1, offsets.get(name), shapes.get(name));
      }
      case STATE -> {
        return switch (mode) {
          case DYNAMIC -> g.input(0, offsets.get(name), shapes.get(name));
          case INITIAL -> initialValue(name);
          case STATIC_INIT -> staticInitValue(name, span);
          default -> {
            diags.error(span, "'" + name + "' is a state and cannot be used in " + context
                + " (only params and consts can)");
            yield null;
          }
        };
      }
      case LET -> {
        if (mode == Mode.DYNAMIC) return letValue(name, span);
        diags.error(span, "'" + name + "' is a let (a function of time and states) and cannot be used in " + context);
        return null;
      }
      case FN -> {
        diags.error(span, "'" + name + "' is a function; call it with arguments: " + name + "(...)");
        return null;
      }
    }
    return null;
  }

  /**
   * Suggestions are looked for in the first this many unknown names of a file only: each search
   * is over every name the model declares, so a generated model with 20,000 misspelt names
   * would otherwise cost 20,000 × 20,000 comparisons.
   */
  static final int MAX_HINTS = 100;

  private int hints;

  private String hint(String name, Kind only) {
    if (++hints > MAX_HINTS) return "";
    List<String> names = new ArrayList<>();
    for (Sym s : symbols.values()) if (only == null || s.kind == only) names.add(s.name);
    if (only == null) {
      names.add("t");
      names.add("pi");
      if (!locals.isEmpty()) names.addAll(locals.peek().keySet());
    }
    return Suggest.hint(name, names);
  }

  private boolean enter(String key, Span span, String what) {
    if (inProgress.contains(key)) {
      List<String> path = new ArrayList<>();
      boolean on = false;
      for (java.util.Iterator<String> it = inProgress.descendingIterator(); it.hasNext(); ) {
        String k = it.next();
        if (k.equals(key)) on = true;
        if (on) path.add("'" + k.substring(k.indexOf(':') + 1) + "'");
      }
      path.add("'" + key.substring(key.indexOf(':') + 1) + "'");
      if (reportedCycles.add(new TreeSet<>(path))) {
        diags.error(span, "cycle among " + what + ": " + String.join(" -> ", path));
      }
      return false;
    }
    inProgress.push(key);
    return true;
  }

  private void leave() {
    inProgress.pop();
  }

  private Node staticValue(Sym s, Span use) {
    Node memo = staticMemo.get(s.name);
    if (memo != null) return memo;
    if (!enter("static:" + s.name, use, "initial values")) return null;
    String saved = context;
    Deque<Map<String, Node>> savedLocals = new ArrayDeque<>(locals);
    locals.clear();
    Node v;
    Shape shape = shapeOf(s);
    if (s.decl instanceof Decl.Param p && p.value() == null) {
      v = startValue(p, shape);
    } else {
      Expr value = s.decl instanceof Decl.Param p ? p.value() : ((Decl.Const) s.decl).value();
      context = "the value of " + s.kind.text + " '" + s.name + "'";
      String savedConst = constValue;
      constValue = s.kind == Kind.CONST ? s.name : null;
      v = fit(lower(value, Mode.STATIC), shape, value.span(), "the value of '" + s.name + "'", s.kind.text + " '" + s.name + "'");
      constValue = savedConst;
    }
    locals.addAll(savedLocals);
    context = saved;
    leave();
    if (v != null) staticMemo.put(s.name, v);
    return v;
  }

  /** The compile-time stand-in for a param without '=': midpoint of the bounds, or 0. */
  private Node startValue(Decl.Param p, Shape shape) {
    double lo = Double.NaN;
    double hi = Double.NaN;
    if (p.lo() != null && p.hi() != null) {
      Node l = lower(p.lo(), Mode.STATIC);
      Node h = lower(p.hi(), Mode.STATIC);
      if (l != null && h != null && l.isConst() && h.isConst()) {
        lo = l.valueAt(0);
        hi = h.valueAt(0);
      }
    }
    double v = Double.isNaN(lo) ? 0.0 : 0.5 * (lo + hi);
    return shape.isScalar() ? g.constant(v) : g.constant(shape, filled(shape.size(), v));
  }

  private Node staticInitValue(String state, Span use) {
    Node memo = staticInitMemo.get(state);
    if (memo != null) return memo;
    Decl.State d = (Decl.State) symbols.get(state).decl;
    if (d.value() == null) return zeros(shapeOf(symbols.get(state)));
    if (!enter("init:" + state, use, "initial values")) return null;
    String saved = context;
    context = initialContext(state);
    Node v = lower(d.value(), Mode.STATIC_INIT);
    context = saved;
    leave();
    if (v != null) staticInitMemo.put(state, v);
    return v;
  }

  private static String initialContext(String state) {
    return "the initial value of state '" + state + "' (only params, consts and other states' initial values can)";
  }

  private Node initialValue(String state) {
    Node memo = initialMemo.get(state);
    if (memo != null) return memo;
    Decl.State d = (Decl.State) symbols.get(state).decl;
    Shape shape = shapes.get(state);
    if (d.value() == null) return zeros(shape);
    if (!enter("init:" + state, d.nameSpan(), "initial values")) return null;
    String saved = context;
    Deque<Map<String, Node>> savedLocals = new ArrayDeque<>(locals);
    locals.clear();
    context = initialContext(state);
    Node v = fit(lower(d.value(), Mode.INITIAL), shape, d.value().span(), "the initial value", "state '" + state + "'");
    locals.addAll(savedLocals);
    context = saved;
    leave();
    if (v != null) initialMemo.put(state, v);
    return v;
  }

  private Node letValue(String name, Span use) {
    Node memo = letMemo.get(name);
    if (memo != null) return memo;
    Decl.Let d = (Decl.Let) symbols.get(name).decl;
    if (!enter("let:" + name, use, "lets")) return null;
    String saved = context;
    Deque<Map<String, Node>> savedLocals = new ArrayDeque<>(locals);
    locals.clear();
    context = "let " + name;
    Node v = lower(d.value(), Mode.DYNAMIC);
    locals.addAll(savedLocals);
    context = saved;
    leave();
    if (v != null) letMemo.put(name, v);
    return v;
  }

  /** Records p variables in an order where each default comes after what it depends on. */
  private void defaultClosure(String name) {
    if (defaultOrderNames.contains(name)) return;
    Sym s = symbols.get(name);
    Expr value = s.decl instanceof Decl.Param p ? p.value() : ((Decl.Const) s.decl).value();
    if (value != null && !inProgress.contains("order:" + name)) {
      inProgress.push("order:" + name);
      Set<String> deps = new LinkedHashSet<>();
      namesIn(value, deps, new HashSet<>());
      for (String d : deps) {
        Sym ds = symbols.get(d);
        if (ds != null && (ds.kind == Kind.PARAM || ds.kind == Kind.CONST) && !d.equals(name)) defaultClosure(d);
      }
      inProgress.pop();
    }
    defaultOrderNames.add(name);
  }

  /** The global names an expression mentions, looking through fn bodies. */
  private void namesIn(Expr e, Set<String> out, Set<String> fnsSeen) {
    if (e instanceof Expr.Name n) out.add(n.name());
    for (Expr x : e.children()) namesIn(x, out, fnsSeen);
    if (e instanceof Expr.Call c) {
      Sym f = symbols.get(c.name());
      if (f != null && f.kind == Kind.FN && fnsSeen.add(c.name())) namesIn(((Decl.Fn) f.decl).body(), out, fnsSeen);
    }
  }

  // ---- events --------------------------------------------------------------------------------

  /** An event's lowered parts; its jump function is built once the size of p is known. */
  private record EventParts(Span span, Node time, Node period, Node until, int trigger, List<String> targets,
      List<Node> jump) {}

  /**
   * Checks and lowers {@code at t = ...: ...} or {@code when A > B: ...}. A time event's times are
   * functions of params and consts; a when-condition gets a mode (appended to {@code modes}) that
   * fires the event when it turns from 0 to 1. The assignments are evaluated with the values just
   * before the event, so their right-hand sides see the states and lets of that instant.
   */
  private EventParts event(Decl d, List<Switches.Mode> modes, List<String> stateNames) {
    Node time = null;
    Node period = null;
    Node until = null;
    int trigger = -1;
    List<Decl.Assignment> assignments;
    String what = "the event at line " + d.span().line();
    if (d instanceof Decl.At at) {
      assignments = at.assignments();
      time = eventTime(at.time(), "the time of " + what);
      if (at.period() != null) period = eventTime(at.period(), "the period of " + what);
      if (at.until() != null) until = eventTime(at.until(), "the end ('until') of " + what);
      if (period != null && period.isConst() && !(period.valueAt(0) > 0)) {
        diags.error(at.period().span(), "the period of a repeated event must be > 0, got " + fmt(period.valueAt(0)));
      }
    } else {
      Decl.When w = (Decl.When) d;
      assignments = w.assignments();
      context = "the condition of " + what;
      Node cond = lower(w.cond(), Mode.DYNAMIC);
      if (cond == null) return null;
      boolean comparison = w.cond() instanceof Expr.Binary b && switch (b.op()) {
        case LT, LE, GT, GE -> true;
        default -> false;
      };
      if (!comparison || !cond.shape.isScalar()) {
        diags.error(w.cond().span(), "the condition of 'when' must be one comparison of scalars, 'A > B' or 'A < B' "
            + "(the event fires when it turns from false to true)");
        return null;
      }
      if (!(cond.op == Op.LT || cond.op == Op.LE || cond.op == Op.GT || cond.op == Op.GE)
          || !Switches.dependsOnTimeOrState(cond)) {
        diags.warning(w.cond().span(), "the condition of this 'when' depends on neither 't' nor the states, so it "
            + "never changes and the event never fires");
        trigger = -2;
      } else {
        trigger = modes.size();
        modes.add(Switches.trigger(g, trigger, cond, w.cond().span()));
      }
    }
    Map<String, Node> assigned = new LinkedHashMap<>();
    boolean ok = time != null || trigger != -1;
    for (Decl.Assignment a : assignments) {
      Sym s = symbols.get(a.target());
      if (s == null || s.kind != Kind.STATE) {
        diags.error(a.targetSpan(), (s == null ? "unknown state '" + a.target() + "'" + hint(a.target(), Kind.STATE)
            : "'" + a.target() + "' is a " + s.kind.text + ", not a state") + "; an event can only assign states "
            + "(params and consts are fixed during a solve: use a state with d(" + a.target() + ")/dt = 0)");
        ok = false;
        continue;
      }
      if (assigned.containsKey(a.target())) {
        diags.error(a.targetSpan(), "state '" + a.target() + "' is assigned twice in " + what);
        ok = false;
        continue;
      }
      context = "the assignment to '" + a.target() + "' in " + what;
      Node v = fit(lower(a.value(), Mode.DYNAMIC), shapes.get(a.target()), a.value().span(), "the new value",
          "state '" + a.target() + "'");
      if (v == null) {
        ok = false;
        continue;
      }
      assigned.put(a.target(), v);
    }
    if (!ok || trigger == -2) return null;
    List<Node> jump = new ArrayList<>();
    for (String st : stateNames) {
      Node v = assigned.get(st);
      jump.add(v != null ? v : g.input(0, offsets.get(st), shapes.get(st)));
    }
    return new EventParts(d.span(), time, period, until, trigger, List.copyOf(assigned.keySet()), jump);
  }

  /** A time of an event: a scalar function of params and consts. */
  private Node eventTime(Expr e, String what) {
    context = what;
    Node v = lower(e, Mode.PARAMS);
    if (v != null && !v.shape.isScalar()) {
      diags.error(e.span(), what + " must be a scalar, not " + v.shape);
      return null;
    }
    return v;
  }

  // ---- parameters ----------------------------------------------------------------------------

  private OdeSystem.ParamInfo paramInfo(Decl.Param p) {
    Shape shape = shapes.get(p.name());
    context = "the bounds of param '" + p.name() + "'";
    double lo = Double.NaN;
    double hi = Double.NaN;
    if (p.lo() != null) {
      structural = true; // bounds are fixed when the model is compiled: their consts too
      lo = staticScalar(p.lo(), "a bound");
      hi = staticScalar(p.hi(), "a bound");
      structural = false;
      if (!Double.isNaN(lo) && !Double.isNaN(hi) && !(lo < hi)) {
        diags.error(p.lo().span(), "the bounds of param '" + p.name() + "' are empty: [" + fmt(lo) + ", " + fmt(hi)
            + "] (the lower bound must be below the upper)");
      }
    }
    String scale = p.scale() == null ? "lin" : p.scale();
    if (!List.of("lin", "log", "log10").contains(scale)) {
      diags.error(p.scaleSpan(), "unknown scale '" + scale + "'" + Suggest.hint(scale, List.of("lin", "log", "log10"))
          + "; choose one of lin, log, log10");
    } else if (!scale.equals("lin") && !Double.isNaN(lo) && lo <= 0) {
      diags.error(p.scaleSpan(), "scale " + scale + " needs a lower bound > 0, but param '" + p.name()
          + "' has lower bound " + fmt(lo));
    }
    String prior = null;
    List<double[]> priorArgs = List.of();
    if (p.prior() != null) {
      context = "the prior of param '" + p.name() + "'";
      structural = true; // so are a prior's arguments
      List<Node> args = distribution(p.prior(), Mode.STATIC, true, shape);
      structural = false;
      if (args != null) {
        prior = p.prior().name();
        priorArgs = args.stream().map(n -> n.isConst() ? n.values() : new double[] {Double.NaN}).toList();
        String bad = badPriorArguments(prior, priorArgs);
        if (bad != null) diags.error(p.prior().nameSpan(), "the prior of param '" + p.name() + "': " + bad);
      }
    }
    if (p.value() == null && p.prior() == null && p.lo() == null) {
      diags.error(p.nameSpan(), "param '" + p.name() + "' has no value, no bounds and no prior: give it '= VALUE', "
          + "'in [LO, HI]' or '~ DIST(...)'");
    }
    if (p.value() != null && !Double.isNaN(lo) && !Double.isNaN(hi)) {
      Node v = staticMemo.containsKey(p.name()) ? staticMemo.get(p.name()) : staticValue(symbols.get(p.name()), p.nameSpan());
      if (v != null && v.isConst()) {
        for (int i = 0; i < v.size(); i++) {
          double x = v.valueAt(i);
          if (x < lo || x > hi) {
            // bounds are for inference: a run uses the value as written, a fit starts on the nearest bound
            diags.warning(p.value().span(), "the value " + fmt(x) + " of param '" + p.name() + "' is outside its bounds ["
                + fmt(lo) + ", " + fmt(hi) + "]; run uses it, fit starts from the nearest bound");
            break;
          }
        }
      }
    }
    return new OdeSystem.ParamInfo(var(p.name()), lo, hi, scale, prior, priorArgs);
  }

  /** Why a prior's constant arguments are impossible, or null. */
  private static String badPriorArguments(String dist, List<double[]> args) {
    for (int i = 0; i < args.get(0).length || (args.size() > 1 && i < args.get(1).length); i++) {
      double a = args.get(0)[Math.min(i, args.get(0).length - 1)];
      double b = args.size() > 1 ? args.get(1)[Math.min(i, args.get(1).length - 1)] : Double.NaN;
      switch (dist) {
        case "normal", "lognormal" -> {
          if (!(b > 0)) return "sigma of " + dist + " must be > 0, got " + fmt(b);
        }
        case "laplace", "loglaplace" -> {
          if (!(b > 0)) return "the scale b of " + dist + " must be > 0, got " + fmt(b);
        }
        case "poisson" -> {
          if (!(a > 0)) return "lambda of poisson must be > 0, got " + fmt(a);
        }
        default -> {
          if (!(a < b)) return "uniform needs lo < hi, got " + fmt(a) + " and " + fmt(b);
        }
      }
    }
    return null;
  }

  private double staticScalar(Expr e, String what) {
    Node v = lower(e, Mode.STATIC);
    if (v == null) return Double.NaN;
    if (!v.isConst() || !v.shape.isScalar()) {
      diags.error(e.span(), what + " must be a constant scalar");
      return Double.NaN;
    }
    return v.valueAt(0);
  }

  /**
   * Checks a distribution's name and arguments and lowers them. {@code target} is the shape the
   * arguments must broadcast to (null: any common shape).
   */
  private List<Node> distribution(Decl.Dist d, Mode mode, boolean prior, Shape target) {
    Integer arity = Builtins.DISTRIBUTIONS.get(d.name());
    if (arity == null) {
      diags.error(d.nameSpan(), "unknown distribution '" + d.name() + "'" + Suggest.hint(d.name(), Builtins.DISTRIBUTIONS.keySet())
          + "; choose one of " + String.join(", ", Builtins.DISTRIBUTIONS.keySet()));
      return null;
    }
    if (d.args().size() != arity) {
      diags.error(d.nameSpan(), "distribution '" + d.name() + "' takes " + arity + " argument" + (arity == 1 ? "" : "s")
          + " (" + distArgs(d.name()) + "), but " + d.args().size() + (d.args().size() == 1 ? " was" : " were") + " given");
      return null;
    }
    if (!prior && d.name().equals("uniform")) {
      diags.error(d.nameSpan(), "'uniform' is for priors only; an observation's noise model is normal, lognormal, laplace or poisson");
      return null;
    }
    List<Node> args = new ArrayList<>();
    Shape common = target;
    boolean ok = true;
    for (Expr a : d.args()) {
      Node n = lower(a, mode);
      if (n == null) {
        ok = false;
        continue;
      }
      if (!n.shape.isScalar()) {
        if (common == null) common = n.shape;
        else if (!common.equals(n.shape)) {
          diags.error(a.span(), "argument of '" + d.name() + "' has shape " + n.shape + ", but " + common + " was expected");
          ok = false;
        }
      }
      args.add(n);
    }
    return ok ? args : null;
  }

  private static String distArgs(String name) {
    return switch (name) {
      case "normal" -> "mu, sigma";
      case "lognormal" -> "mu, sigma";
      case "laplace", "loglaplace" -> "mu, b";
      case "poisson" -> "lambda";
      default -> "lo, hi";
    };
  }

  /** The distribution's mean: the model's prediction of the observed value. */
  private Node mean(String dist, List<Node> args) {
    Node mean = switch (dist) {
      // E[y] = exp(mu + sigma^2 / 2) for log(y) ~ normal(mu, sigma)
      case "lognormal" -> g.unary(Op.EXP, g.add(args.get(0), g.mul(g.constant(0.5), g.mul(args.get(1), args.get(1)))));
      // the median exp(mu) for log(y) ~ laplace(mu, b): its mean exp(mu)/(1 − b²) is infinite from b = 1 on
      case "loglaplace" -> g.unary(Op.EXP, args.get(0));
      default -> args.get(0);
    };
    Shape shape = mean.shape;
    for (Node a : args) if (!a.shape.isScalar()) shape = a.shape;
    return broadcastTo(mean, shape);
  }

  // ---- reactions -----------------------------------------------------------------------------

  private void reaction(Decl.Reaction r, Map<String, List<Node>> contributions, Map<String, Span> reactionOf) {
    String label = r.name() == null ? "reaction at line " + r.span().line() : "reaction '" + r.name() + "'";
    context = label;
    Map<String, Integer> net = new LinkedHashMap<>();
    boolean ok = side(r.lhs(), -1, net, label) & side(r.rhs(), +1, net, label);
    Node flux = lower(r.flux(), Mode.DYNAMIC);
    if (flux != null && !flux.shape.isScalar()) {
      diags.error(r.flux().span(), "the flux of " + label + " must be a scalar, not " + flux.shape);
      return;
    }
    if (!ok || flux == null) return;
    for (Map.Entry<String, Integer> e : net.entrySet()) {
      reactionOf.putIfAbsent(e.getKey(), r.span());
      int c = e.getValue();
      if (c == 0) continue;
      contributions.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(g.mul(g.constant(c), flux));
    }
  }

  private boolean side(List<Decl.Species> side, int sign, Map<String, Integer> net, String label) {
    boolean ok = true;
    for (Decl.Species sp : side) {
      if (sp.coeff() < 0) {
        diags.error(sp.span(), "a stoichiometric coefficient must be a positive integer");
        ok = false;
        continue;
      }
      if (sp.name() == null) {
        if (side.size() > 1) {
          diags.error(sp.span(), "'0' (nothing) must stand alone on its side of a reaction");
          ok = false;
        }
        continue;
      }
      Sym s = symbols.get(sp.name());
      if (s == null || s.kind != Kind.STATE) {
        diags.error(sp.span(), (s == null ? "unknown species '" + sp.name() + "'" + hint(sp.name(), Kind.STATE)
            : "'" + sp.name() + "' is a " + s.kind.text + ", but every species of a reaction must be a state") + " in " + label);
        ok = false;
        continue;
      }
      if (!shapes.get(sp.name()).isScalar()) {
        diags.error(sp.span(), "species '" + sp.name() + "' is " + shapes.get(sp.name()) + "; reactions take scalar states");
        ok = false;
        continue;
      }
      net.merge(sp.name(), sign * sp.coeff(), Integer::sum);
    }
    return ok;
  }

  /** Sums as a balanced tree, so long sums do not make deep graphs. */
  private Node pairwiseSum(List<Node> terms) {
    List<Node> level = terms;
    while (level.size() > 1) {
      List<Node> next = new ArrayList<>();
      for (int i = 0; i + 1 < level.size(); i += 2) next.add(g.add(level.get(i), level.get(i + 1)));
      if (level.size() % 2 == 1) next.add(level.get(level.size() - 1));
      level = next;
    }
    return level.get(0);
  }

  // ---- expressions ---------------------------------------------------------------------------

  /**
   * Lowers an expression, or reports why it cannot be and returns null. A constant that folds to
   * infinity or NaN ({@code 1/0}, {@code log(0)}, {@code 0/0}) is an error at the innermost
   * expression that made it, where the constant is the expression's own (literals, consts in
   * compile-time positions), not a stand-in for a param's value.
   */
  private Node lower(Expr e, Mode mode) {
    Node v = lowerUnchecked(e, mode);
    if (v != null && v.isConst() && !allFinite(v)) {
      boolean inherited = e instanceof Expr.Name || e instanceof Expr.Num;
      for (Expr c : e.children()) inherited |= nonFinite.contains(c);
      nonFinite.add(e);
      boolean own = structural || (mode != Mode.STATIC && mode != Mode.STATIC_INIT);
      if (!inherited && own) {
        diags.error(e.span(), "this constant expression evaluates to " + fmt(firstNonFinite(v))
            + "; values in a model must be finite");
      }
    }
    return v;
  }

  private static boolean allFinite(Node c) {
    return Double.isFinite(firstNonFinite(c));
  }

  /** The first non-finite element of a constant, or 0 when all are finite. */
  private static double firstNonFinite(Node c) {
    for (int i = 0; i < c.size(); i++) if (!Double.isFinite(c.valueAt(i))) return c.valueAt(i);
    return 0.0;
  }

  private Node lowerUnchecked(Expr e, Mode mode) {
    if (e instanceof Expr.Num n) return g.constant(n.value());
    if (e instanceof Expr.Name n) return resolve(n.name(), n.span(), mode);
    if (e instanceof Expr.Unary u) {
      Node x = lower(u.operand(), mode);
      return x == null ? null : g.unary(u.op() == Expr.UnOp.NEG ? Op.NEG : Op.NOT, x);
    }
    if (e instanceof Expr.Binary b) return binary(b, mode);
    if (e instanceof Expr.If i) {
      Node c = lower(i.cond(), mode);
      Node a = lower(i.then(), mode);
      Node b = lower(i.otherwise(), mode);
      if (c == null || a == null || b == null) return null;
      Shape s = common(a.shape, b.shape);
      if (s == null) {
        diags.error(i.span(), "the branches of 'if' have different shapes: " + a.shape + " and " + b.shape);
        return null;
      }
      if (common(c.shape, s) == null) {
        diags.error(i.cond().span(), "the condition of 'if' has shape " + c.shape + ", but the branches are " + s);
        return null;
      }
      return g.select(c, a, b);
    }
    if (e instanceof Expr.Call c) return call(c, mode);
    if (e instanceof Expr.Index ix) return index(ix, mode);
    return list((Expr.ListLit) e, mode);
  }

  private Node binary(Expr.Binary b, Mode mode) {
    Node l = lower(b.left(), mode);
    Node r = lower(b.right(), mode);
    if (l == null || r == null) return null;
    if (b.op() == Expr.BinOp.MATMUL) {
      Shape s = Kernels.MatmulDims.resultShape(l.shape, r.shape);
      if (s == null) {
        String why = l.shape.isScalar() || r.shape.isScalar()
            ? "'@' needs a matrix and a matrix or vector (use '*' to scale by a scalar)"
            : l.shape.rank() == 1 && r.shape.rank() == 1 ? "'@' of two vectors is not defined (use dot(u, v))"
            : "the inner dimensions differ";
        diags.error(b.span(), "shape mismatch in '@': " + l.shape + " @ " + r.shape + ": " + why);
        return null;
      }
      return g.matmul(l, r);
    }
    if (common(l.shape, r.shape) == null) {
      diags.error(b.span(), "shape mismatch in '" + b.op().text + "': " + l.shape + " and " + r.shape
          + (b.op() == Expr.BinOp.MUL && l.shape.rank() == 2 ? " (for a matrix product use '@')" : ""));
      return null;
    }
    Op op = switch (b.op()) {
      case ADD -> Op.ADD;
      case SUB -> Op.SUB;
      case MUL -> Op.MUL;
      case DIV -> Op.DIV;
      case POW -> Op.POW;
      case LT -> Op.LT;
      case LE -> Op.LE;
      case GT -> Op.GT;
      case GE -> Op.GE;
      case EQ -> Op.EQ;
      case NE -> Op.NE;
      case AND -> Op.AND;
      case OR -> Op.OR;
      case MATMUL -> throw new IllegalStateException();
    };
    Node n = g.binary(op, l, r);
    switchSpans.putIfAbsent(n, b.span());
    return n;
  }

  private Node call(Expr.Call c, Mode mode) {
    Sym s = symbols.get(c.name());
    if (s != null && s.kind == Kind.FN) return inline(c, (Decl.Fn) s.decl, mode);
    if (s != null && !Builtins.isFunction(c.name())) {
      diags.error(c.nameSpan(), "'" + c.name() + "' is a " + s.kind.text + ", not a function");
      return null;
    }
    if (!Builtins.isFunction(c.name())) {
      Set<String> fns = new TreeSet<>(Builtins.functionNames());
      for (Sym x : symbols.values()) if (x.kind == Kind.FN) fns.add(x.name);
      String h = Suggest.hint(c.name(), fns);
      if (Builtins.DISTRIBUTIONS.containsKey(c.name())) h = " ('" + c.name() + "' is a distribution: use it after '~')";
      diags.error(c.nameSpan(), "unknown function '" + c.name() + "'" + h);
      return null;
    }
    List<Node> args = new ArrayList<>();
    boolean ok = true;
    for (Expr a : c.args()) {
      Node n = lower(a, mode);
      ok &= n != null;
      args.add(n);
    }
    String name = c.name();
    int want = Builtins.UNARY.containsKey(name) ? 1 : Builtins.BINARY.containsKey(name) ? 2
        : switch (name) {
          case "sum", "length", "transpose" -> 1;
          case "dot" -> 2;
          default -> -1; // concat: one or more
        };
    if (want >= 0 && c.args().size() != want || want < 0 && c.args().isEmpty()) {
      diags.error(c.nameSpan(), "'" + name + "' takes " + (want < 0 ? "one or more arguments" : want + " argument" + (want == 1 ? "" : "s"))
          + ", but " + c.args().size() + (c.args().size() == 1 ? " was" : " were") + " given");
      return null;
    }
    if (!ok) return null;
    if (Builtins.UNARY.containsKey(name)) {
      Node n = g.unary(Builtins.UNARY.get(name), args.get(0));
      switchSpans.putIfAbsent(n, c.span());
      return n;
    }
    if (Builtins.BINARY.containsKey(name)) {
      if (common(args.get(0).shape, args.get(1).shape) == null) {
        diags.error(c.span(), "shape mismatch in '" + name + "': " + args.get(0).shape + " and " + args.get(1).shape);
        return null;
      }
      Node n = g.binary(Builtins.BINARY.get(name), args.get(0), args.get(1));
      switchSpans.putIfAbsent(n, c.span());
      return n;
    }
    Node x = args.get(0);
    switch (name) {
      case "sum":
        return g.sum(x);
      case "length":
        if (x.shape.rank() != 1) {
          diags.error(c.args().get(0).span(), "'length' takes a vector, not " + describeShape(x.shape));
          return null;
        }
        return g.constant(x.shape.dim(0));
      case "transpose":
        if (x.shape.rank() != 2) {
          diags.error(c.args().get(0).span(), "'transpose' takes a matrix, not " + describeShape(x.shape));
          return null;
        }
        int m = x.shape.dim(0);
        int n = x.shape.dim(1);
        int[] idx = new int[m * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) idx[i * m + j] = j * n + i;
        return g.gather(x, idx, Shape.matrix(n, m));
      case "dot":
        Node y = args.get(1);
        if (x.shape.rank() != 1 || !x.shape.equals(y.shape)) {
          diags.error(c.span(), "'dot' takes two vectors of equal length, not " + x.shape + " and " + y.shape);
          return null;
        }
        return g.sum(g.mul(x, y));
      default: // concat
        int total = 0;
        for (int i = 0; i < args.size(); i++) {
          if (args.get(i).shape.rank() > 1) {
            diags.error(c.args().get(i).span(), "'concat' joins scalars and vectors, not " + describeShape(args.get(i).shape));
            return null;
          }
          total += args.get(i).size();
        }
        return g.pack(args, Shape.vector(total));
    }
  }

  private Node inline(Expr.Call c, Decl.Fn fn, Mode mode) {
    if (c.args().size() != fn.params().size()) {
      diags.error(c.nameSpan(), "function '" + fn.name() + "' takes " + fn.params().size() + " argument"
          + (fn.params().size() == 1 ? "" : "s") + " (" + String.join(", ", fn.params()) + "), but " + c.args().size()
          + (c.args().size() == 1 ? " was" : " were") + " given");
      return null;
    }
    if (fnStack.contains(fn.name())) {
      List<String> path = new ArrayList<>(fnStack);
      java.util.Collections.reverse(path);
      path = path.subList(path.indexOf(fn.name()), path.size());
      diags.error(c.nameSpan(), "recursion: function '" + fn.name() + "' calls itself"
          + (path.size() > 1 ? " through '" + String.join("' -> '", path.subList(1, path.size())) + "'" : "")
          + "; functions are inlined and cannot be recursive");
      return null;
    }
    Map<String, Node> scope = new HashMap<>();
    boolean ok = true;
    for (int i = 0; i < fn.params().size(); i++) {
      Node a = lower(c.args().get(i), mode);
      ok &= a != null;
      scope.put(fn.params().get(i), a);
    }
    if (!ok) return null;
    fnStack.push(fn.name());
    locals.push(scope);
    Node v = lower(fn.body(), mode);
    locals.pop();
    fnStack.pop();
    return v;
  }

  private Node index(Expr.Index ix, Mode mode) {
    Node x = lower(ix.target(), mode);
    if (x == null) return null;
    int rank = x.shape.rank();
    List<Expr.Subscript> subs = ix.subscripts();
    if (rank == 0 || subs.size() != rank) {
      diags.error(ix.span(), rank == 0 ? "cannot index a scalar"
          : "a " + describeShape(x.shape) + " takes " + rank + " subscript" + (rank == 1 ? "" : "s") + ", but " + subs.size()
          + (subs.size() == 1 ? " was" : " were") + " given");
      return null;
    }
    int[][] picks = new int[rank][];
    List<Integer> keptDims = new ArrayList<>();
    for (int d = 0; d < rank; d++) {
      Expr.Subscript s = subs.get(d);
      int n = x.shape.dim(d);
      if (s.all()) {
        picks[d] = range(0, n);
        keptDims.add(n);
      } else if (s.at() != null) {
        int i = staticInt(s.at(), "an index", 1, n);
        if (i < 0) return null;
        picks[d] = new int[] {i - 1};
      } else {
        int lo = staticInt(s.lo(), "a slice bound", 1, n);
        int hi = staticInt(s.hi(), "a slice bound", 1, n);
        if (lo < 0 || hi < 0) return null;
        if (hi < lo) {
          diags.error(s.span(), "empty slice " + lo + ":" + hi + " (slices are inclusive, first:last)");
          return null;
        }
        picks[d] = range(lo - 1, hi);
        keptDims.add(hi - lo + 1);
      }
    }
    List<Integer> flat = new ArrayList<>();
    if (rank == 1) {
      for (int i : picks[0]) flat.add(i);
    } else {
      int cols = x.shape.dim(1);
      for (int i : picks[0]) for (int j : picks[1]) flat.add(i * cols + j);
    }
    Shape shape = new Shape(Ints.toArray(keptDims));
    return g.gather(x, Ints.toArray(flat), shape);
  }

  private Node list(Expr.ListLit l, Mode mode) {
    List<Node> items = new ArrayList<>();
    boolean ok = true;
    for (Expr e : l.items()) {
      Node n = lower(e, mode);
      ok &= n != null;
      items.add(n);
    }
    if (!ok) return null;
    Shape first = items.get(0).shape;
    for (int i = 1; i < items.size(); i++) {
      if (!items.get(i).shape.equals(first)) {
        diags.error(l.items().get(i).span(), "the items of a literal must have one shape: " + first + " and "
            + items.get(i).shape + " (use concat to join vectors)");
        return null;
      }
    }
    if (first.rank() == 0) return g.pack(items, Shape.vector(items.size()));
    if (first.rank() == 1) return g.pack(items, Shape.matrix(items.size(), first.dim(0)));
    diags.error(l.span(), "a literal of matrices would have rank 3; only scalars, vectors and matrices exist");
    return null;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Checks that {@code v} has {@code shape} (a scalar broadcasts) and returns it at that shape. */
  private Node fit(Node v, Shape shape, Span span, String what, String owner) {
    if (v == null) return null;
    if (v.shape.equals(shape)) return v;
    if (v.shape.isScalar()) return broadcastTo(v, shape);
    diags.error(span, "shape mismatch: " + what + " has shape " + v.shape + ", but " + owner + " is " + shape);
    return null;
  }

  private Node broadcastTo(Node v, Shape shape) {
    if (v.shape.equals(shape)) return v;
    if (v.isConst()) return g.constant(shape, filled(shape.size(), v.valueAt(0)));
    Node[] copies = new Node[shape.size()];
    Arrays.fill(copies, v);
    return g.pack(List.of(copies), shape);
  }

  private Node zeros(Shape shape) {
    return shape.isScalar() ? g.constant(0.0) : g.constant(shape, new double[shape.size()]);
  }

  private static Shape common(Shape a, Shape b) {
    if (a.equals(b) || b.isScalar()) return a;
    if (a.isScalar()) return b;
    return null;
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }

  private static double[] filled(int n, double v) {
    double[] d = new double[n];
    Arrays.fill(d, v);
    return d;
  }

  private static String describeShape(Shape s) {
    return s.isScalar() ? "a scalar" : s.rank() == 1 ? "vector " + s : "matrix " + s;
  }

  private static String describe(Expr e) {
    return e instanceof Expr.Name n ? "'" + n.name() + "'" : "this expression";
  }

  static String fmt(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    return Double.toString(d);
  }
}
