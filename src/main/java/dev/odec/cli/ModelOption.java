package dev.odec.cli;

import dev.odec.diag.Diagnostic;
import dev.odec.diag.Renderer;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.sema.Frontend;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** The model file argument and --debug, shared by every command; compiles and reports. */
public final class ModelOption {
  @CommandLine.Parameters(index = "0", paramLabel = "MODEL.ode", description = "The model file.")
  Path model;

  @CommandLine.Option(names = "--debug", description = "Show stack traces of internal errors.")
  boolean debug;

  /** Compiles the model, printing every diagnostic to {@code err}; throws when there were errors. */
  Frontend.Result compile(PrintWriter err) {
    Frontend.Result r = Frontend.compile(model);
    if (r.ioError() != null) throw InputError.usage(r.ioError());
    for (Diagnostic d : r.diagnostics().sorted()) err.println(Renderer.render(d, true));
    if (!r.ok()) {
      int n = r.diagnostics().errorCount();
      err.println(n + " error" + (n == 1 ? "" : "s") + " in " + model);
      err.flush();
      throw new Main.ModelErrors();
    }
    err.flush();
    return r;
  }

  OdeSystem system(PrintWriter err) {
    return compile(err).system();
  }
}
