package dev.odec.cli;

import dev.odec.ast.AstPrinter;
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

/** {@code odec compile --emit ast|ir|java}: show what the compiler made. */
@Command(name = "compile", mixinStandardHelpOptions = true,
    description = "Print what the compiler made: the checked model (ast), the expression graph (ir) or the generated code (java).")
final class CompileCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--emit", required = true, paramLabel = "WHAT", description = "ast, ir or java.")
  String emit;

  @Override
  public Integer call() {
    List<String> valid = List.of("ast", "ir", "java");
    if (!valid.contains(emit)) {
      if (emit.equals("jacobian") || emit.equals("adjoint")) {
        throw InputError.usage("--emit " + emit + " comes with symbolic differentiation, which this version does not "
            + "have yet; choose one of " + String.join(", ", valid));
      }
      throw InputError.usage("unknown --emit '" + emit + "'; choose one of " + String.join(", ", valid));
    }
    PrintWriter out = spec.commandLine().getOut();
    Frontend.Result r = model.compile(spec.commandLine().getErr());
    OdeSystem s = r.system();
    List<IrFunction> fns = List.of(s.rhs(), s.initial(), s.derived());
    switch (emit) {
      case "ast" -> out.print(AstPrinter.print(r.ast(), s.name(), layoutNotes(s)));
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
