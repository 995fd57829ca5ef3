package dev.odec.cli;

import dev.odec.api.Compilation;
import dev.odec.api.Model;
import dev.odec.api.Odec;
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
    report(r.diagnostics().sorted().stream().map(d -> Renderer.render(d, true)).toList(), r.diagnostics().errorCount(),
        err);
    return r;
  }

  /**
   * The model through the Java API (the commands that are its clients: check, run, grad),
   * compiled by {@code backend}; diagnostics printed as {@link #compile} prints them.
   */
  Model api(PrintWriter err, String backend) {
    Compilation c = Odec.compile(model);
    report(c.diagnostics().stream().map(dev.odec.api.Diagnostic::render).toList(), c.errors().size(), err);
    return backend.equals("jvm") ? c.model() : c.model().withBackend(backend);
  }

  /** Prints the rendered diagnostics and, when there were errors, their count, and stops. */
  private void report(java.util.List<String> rendered, int errors, PrintWriter err) {
    for (String d : rendered) err.println(d);
    if (errors > 0) {
      err.println(errors + " error" + (errors == 1 ? "" : "s") + " in " + model);
      err.flush();
      throw new Main.ModelErrors();
    }
    err.flush();
  }

  OdeSystem system(PrintWriter err) {
    return compile(err).system();
  }
}
