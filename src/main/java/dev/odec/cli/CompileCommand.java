package dev.odec.cli;

import dev.odec.ad.Jacobian;
import dev.odec.ad.JacobianSize;
import dev.odec.runtime.MemoryBudget;
import dev.odec.ad.Scalarize;
import dev.odec.ast.AstPrinter;
import dev.odec.codegen.c.CProgram;
import dev.odec.runtime.Parameters;
import dev.odec.solve.Method;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.ir.InfixPrinter;
import dev.odec.sens.GradientModel;
import java.util.ArrayList;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.IrFunction;
import dev.odec.ir.IrPrinter;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.sema.Frontend;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec compile --emit ast|ir|jacobian|adjoint|java|c|cuda}: show what the compiler made. */
@Command(name = "compile", mixinStandardHelpOptions = true,
    description = "Print what the compiler made: the checked model (ast), the expression graph (ir), the symbolic "
        + "Jacobian (jacobian), the generated adjoint system (adjoint), the generated JVM code (java), or the "
        + "self-contained C or CUDA program of the model, its derivatives and its solver (c, cuda).")
final class CompileCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--emit", required = true, paramLabel = "WHAT",
      description = "ast, ir, jacobian, adjoint, java, c or cuda.")
  String emit;

  @CommandLine.Option(names = "--solver", paramLabel = "NAME", defaultValue = "auto",
      description = "For c and cuda: the solver built into the program (an explicit method, rodas5, or auto: tsit5 "
          + "switching to rodas5).")
  String solver;

  @CommandLine.Option(names = "--set", paramLabel = "NAME=VALUE",
      description = "For c and cuda: override a param or const in the nominal values built into the program. Repeatable.")
  List<String> set = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> valid = List.of("ast", "ir", "jacobian", "adjoint", "java", "c", "cuda");
    if (!valid.contains(emit)) {
      throw InputError.usage("unknown --emit '" + emit + "'; choose one of " + String.join(", ", valid));
    }
    PrintWriter out = spec.commandLine().getOut();
    Frontend.Result r = model.compile(spec.commandLine().getErr());
    OdeSystem s = r.system();
    List<IrFunction> fns = List.of(s.rhs(), s.initial(), s.derived());
    switch (emit) {
      case "ast" -> out.print(AstPrinter.print(r.ast(), s.name(), layoutNotes(s)));
      case "jacobian" -> {
        MemoryBudget.checkJacobian(s.rhs(), "the Jacobian of " + s.name(), TOO_LARGE_TO_PRINT);
        Jacobian j = Jacobian.of(s.graph().fork(), s.rhs(), 0);
        out.println("# the Jacobian d f / d y of " + s.name() + ": " + j.entries().size() + " structurally non-zero of "
            + j.rows() + " x " + j.cols());
        List<String> pNames = new ArrayList<>();
        for (OdeSystem.Var v : s.pVars()) pNames.addAll(v.componentNames());
        java.util.function.Function<dev.odec.ir.Node, String> names = n -> inputName(n, s.stateComponentNames(), pNames);
        checkPrintable(j.entries().stream().map(Jacobian.Entry::value).toList(), names, "the Jacobian of " + s.name());
        out.print(j.print(s.stateComponentNames(), s.stateComponentNames(), names));
      }
      case "adjoint" -> out.print(adjoint(s));
      case "c", "cuda" -> out.print(program(s, emit.equals("c") ? CProgram.Target.C : CProgram.Target.CUDA));
      case "ir" -> {
        out.println("# " + CheckCommand.summary(s));
        out.println("# y = [" + String.join(", ", s.stateComponentNames()) + "]");
        out.println("# p = [" + String.join(", ", s.pVars().stream().map(OdeSystem.Var::name).toList()) + "]");
        for (IrFunction f : fns) out.println(IrPrinter.print(f));
      }
      default -> {
        for (IrFunction f : fns) out.println(JvmBackend.javaSource(f));
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  private static final String TOO_LARGE_TO_PRINT =
      "printing it would be unreadable anyway; --emit ir shows the model's tensor graph";

  /** The self-contained C or CUDA program, with the Jacobian, the VJP and the adjoint system. */
  private String program(OdeSystem s, CProgram.Target target) {
    Method m = SolverOptionsMixin.method(solver);
    String why = CProgram.unsupported(s, m);
    if (why != null) throw InputError.usage(why);
    double[] nominal = Parameters.build(s, Parameters.parseAssignments(set, "--set"), 1);
    GradientModel gm = new GradientModel(s, new Interpreter());
    return CProgram.generate(s, new CProgram.Config(target, m, nominal, gm.forC()));
  }

  /** The generated backsolve adjoint system, one equation per component. */
  private static String adjoint(OdeSystem s) {
    GradientModel gm = new GradientModel(s, new Interpreter());
    IrFunction f = gm.adjointFunction();
    // every equation is printed in scalar form: about one term per dependency on y and on p
    long limit = MemoryBudget.jacobianEntries();
    long terms = JacobianSize.entries(f, 0, limit);
    if (terms <= limit) terms += JacobianSize.entries(f, 1, limit - terms);
    if (terms > limit) {
      throw InputError.usage(String.format(java.util.Locale.ROOT, "the adjoint system of %s printed in full would "
          + "have about %,d terms, more than the %,d odec prints; %s", s.name(), terms, limit, TOO_LARGE_TO_PRINT));
    }
    List<String> x = new ArrayList<>(s.stateComponentNames());
    if (!s.rates().isEmpty()) x.add("q");
    List<String> p = new ArrayList<>();
    for (OdeSystem.Var v : s.pVars()) p.addAll(v.componentNames());
    int named = p.size();
    for (int i = named; i < f.pSize(); i++) p.add(component(List.of(), i - named, false)); // the modes
    List<String> yNames = new ArrayList<>(x);
    for (String n : x) yNames.add("λ_" + n);
    List<String> lhs = new ArrayList<>(yNames);
    for (String n : p) lhs.add("μ_" + n);
    StringBuilder sb = new StringBuilder();
    sb.append("# the augmented adjoint system of ").append(s.name())
        .append(" (Chen et al., Algorithm 1), integrated backwards from t1 to t0:\n")
        .append("#   λ = dL/dy, λ' = -(df/dy)^T λ;  μ accumulates dL/dp, μ' = -(df/dp)^T λ\n");
    if (!s.rates().isEmpty()) sb.append("#   q = the integral of the rates' intensities\n");
    List<dev.odec.ir.Node> equations = new ArrayList<>();
    for (dev.odec.ir.Node out : f.outputs()) equations.addAll(Scalarize.elements(gm.graph(), out));
    java.util.function.Function<dev.odec.ir.Node, String> names = n -> inputName(n, yNames, p);
    checkPrintable(equations, names, "the adjoint system of " + s.name());
    for (int row = 0; row < equations.size(); row++) {
      sb.append("d(").append(lhs.get(row)).append(")/dt = ").append(InfixPrinter.print(equations.get(row), names))
          .append('\n');
    }
    return sb.toString();
  }

  /**
   * Refuses to print expressions whose text would take more memory than the budget allows
   * (InfixPrinter builds each node's text: a sum of 100,000 terms costs about 5·10⁹ characters).
   */
  private static void checkPrintable(List<dev.odec.ir.Node> exprs, java.util.function.Function<dev.odec.ir.Node, String> names,
      String what) {
    long budget = MemoryBudget.bytes() / 2; // two bytes a character at most
    long chars = 0;
    for (dev.odec.ir.Node e : exprs) {
      chars += InfixPrinter.cost(e, names);
      if (chars > budget) break;
    }
    if (chars > budget) {
      throw InputError.usage(String.format(java.util.Locale.ROOT, "printing %s would build more than %,d characters "
          + "of text on the way (each long sum is spelled out again for every term added to it), more than the %,d "
          + "odec may use for it (a quarter of this Java heap); %s", what, chars, budget, TOO_LARGE_TO_PRINT));
    }
  }

  private static String inputName(dev.odec.ir.Node n, List<String> y, List<String> p) {
    boolean isY = n.intAt(0) == 0;
    List<String> names = isY ? y : p;
    int off = n.intAt(1);
    if (n.size() == 1) return component(names, off, isY);
    return component(names, off, isY) + ".." + component(names, off + n.size() - 1, isY);
  }

  /** A component's name; p's entries past the named params and consts are the switches' modes. */
  private static String component(List<String> names, int i, boolean isY) {
    if (i < names.size()) return names.get(i);
    return isY ? "y[" + (i + 1) + "]" : "mode[" + (i - names.size() + 1) + "]";
  }

  private static Map<String, String> layoutNotes(OdeSystem s) {
    Map<String, String> notes = new LinkedHashMap<>();
    for (OdeSystem.Var v : s.states()) notes.put(v.name(), v.shape() + " at " + slice("y", v));
    for (OdeSystem.Var v : s.pVars()) notes.put(v.name(), v.shape() + " at " + slice("p", v));
    return notes;
  }

  private static String slice(String vec, OdeSystem.Var v) {
    int n = v.shape().size();
    return vec + "[" + v.offset() + (n > 1 ? ":" + (v.offset() + n) : "") + "]";
  }
}
