package dev.odec.sema;

import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.codegen.CompiledFunction;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.diag.Diagnostic;
import dev.odec.diag.Diagnostics;
import dev.odec.diag.Renderer;
import dev.odec.ir.IrFunction;
import dev.odec.ir.OdeSystem;
import dev.odec.source.SourceFile;
import java.nio.file.Path;

/** Test helpers: compile model text, evaluate its functions with the reference interpreter. */
public final class Models {
  private Models() {}

  public static OdeSystem compile(String text) {
    return compile(text, Path.of("test.ode"));
  }

  public static OdeSystem compile(String text, Path path) {
    Diagnostics diags = new Diagnostics();
    Frontend.Result r = Frontend.compile(new SourceFile(path.toString(), text), path, diags);
    if (!r.ok()) {
      StringBuilder sb = new StringBuilder("model did not compile:\n");
      for (Diagnostic d : diags.sorted()) sb.append(Renderer.render(d, true)).append('\n');
      fail(sb.toString());
    }
    return r.system();
  }

  /** The diagnostics' messages of a model expected to fail. */
  public static String errors(String text) {
    Diagnostics diags = new Diagnostics();
    Frontend.compile(new SourceFile("test.ode", text), Path.of("test.ode"), diags);
    StringBuilder sb = new StringBuilder();
    for (Diagnostic d : diags.sorted()) sb.append(d.span().line()).append(": ").append(d.message()).append('\n');
    return sb.toString();
  }

  public static double[] eval(IrFunction f, double t, double[] y, double[] p) {
    CompiledFunction cf = new Interpreter().compile(f);
    double[] out = new double[cf.outputSize()];
    cf.eval(t, y, p, out);
    return out;
  }
}
