package dev.odec.cli;

import dev.odec.diag.Diagnostic;
import dev.odec.diag.Renderer;
import dev.odec.importer.PetabCache;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.sema.Frontend;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The model argument and --debug, shared by every command; compiles and reports. The model is an
 * {@code .ode} file or a PEtab problem ({@code PROBLEM.yaml}), which is translated once into an
 * {@code .ode} model, a data file and a conditions file (kept in the cache, see {@link PetabCache})
 * that the command then uses like the user's own.
 */
public final class ModelOption {
  @CommandLine.Parameters(index = "0", paramLabel = "MODEL.ode|PROBLEM.yaml",
      description = "The model file, or a PEtab v1 problem file (.yaml), which brings its data and conditions.")
  Path model;

  @CommandLine.Option(names = "--debug", description = "Show stack traces of internal errors.")
  boolean debug;

  private PetabCache.Files petab;

  /** Whether the model argument is a PEtab problem file. */
  boolean isPetab() {
    String n = model.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  /** The translated PEtab problem (warnings printed once); only when {@link #isPetab}. */
  PetabCache.Files petab(PrintWriter err) {
    if (petab == null) {
      petab = PetabCache.get(model);
      for (String w : petab.warnings()) err.println("odec: warning: " + w);
      err.flush();
    }
    return petab;
  }

  /** The problem's data file for a PEtab problem, else {@code given} (which the command then requires). */
  Path data(Path given, PrintWriter err) {
    if (!isPetab()) {
      if (given == null) throw InputError.usage("--data is required: give the data file (DATA.csv)");
      return given;
    }
    if (given != null) throw InputError.usage("a PEtab problem brings its own measurements: leave out --data");
    return petab(err).data();
  }

  /** The problem's conditions file for a PEtab problem, else {@code given} (may be null). */
  Path conditions(Path given, PrintWriter err) {
    if (!isPetab()) return given;
    if (given != null) throw InputError.usage("a PEtab problem brings its own conditions: leave out --conditions");
    return petab(err).conditions();
  }

  /** Compiles the model, printing every diagnostic to {@code err}; throws when there were errors. */
  Frontend.Result compile(PrintWriter err) {
    Path file = isPetab() ? petab(err).model() : model;
    Frontend.Result r = Frontend.compile(file);
    if (r.ioError() != null) throw InputError.usage(r.ioError());
    for (Diagnostic d : r.diagnostics().sorted()) err.println(Renderer.render(d, true));
    if (!r.ok()) {
      int n = r.diagnostics().errorCount();
      err.println(n + " error" + (n == 1 ? "" : "s") + " in " + file);
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
