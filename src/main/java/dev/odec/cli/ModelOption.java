package dev.odec.cli;

import dev.odec.api.Compilation;
import dev.odec.api.Model;
import dev.odec.api.Odec;
import dev.odec.diag.Renderer;
import dev.odec.importer.PetabCache;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.sema.Frontend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @CommandLine.Option(names = "--import-path", paramLabel = "DIR",
      description = "Also read quoted imports from this folder and its subfolders (repeatable); by default only "
          + "the model's own folder tree and the stdlib are read.")
  List<Path> importPath = new ArrayList<>();

  /** The files the last compile read: the model and everything it imports. */
  private List<Path> inputs = List.of();

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
    Frontend.Result r = Frontend.compile(file, importPath);
    if (r.ioError() != null) throw InputError.usage(r.ioError());
    read(r.imports());
    report(r.diagnostics().sorted().stream().map(d -> Renderer.render(d, true)).toList(), r.diagnostics().errorCount(),
        file, err);
    return r;
  }

  /**
   * The model through the Java API (the commands that are its clients: check, run, grad),
   * compiled by {@code backend} ({@code nd4j}: jvm, as every command that does not solve in
   * batches); diagnostics printed as {@link #compile} prints them.
   */
  Model api(PrintWriter err, String backend) {
    Path file = isPetab() ? petab(err).model() : model;
    Compilation c = Odec.compile(file, importPath);
    read(c.imports());
    report(c.diagnostics().stream().map(dev.odec.api.Diagnostic::render).toList(), c.errors().size(), file, err);
    return backend.equals("jvm") || backend.equals("nd4j") ? c.model() : c.model().withBackend(backend);
  }

  /** Records what a compile read (see {@link #inputs}): the model argument and {@code imports}. */
  private void read(List<Path> imports) {
    List<Path> read = new ArrayList<>();
    read.add(model);
    read.addAll(imports);
    inputs = List.copyOf(read);
  }

  /** Prints the rendered diagnostics and, when there were errors, their count, and stops. */
  private static void report(List<String> rendered, int errors, Path file, PrintWriter err) {
    for (String d : rendered) err.println(d);
    if (errors > 0) {
      err.println(errors + " error" + (errors == 1 ? "" : "s") + " in " + file);
      err.flush();
      throw new Main.ModelErrors();
    }
    err.flush();
  }

  OdeSystem system(PrintWriter err) {
    return compile(err).system();
  }

  /** The model file and the files it imports (after {@link #compile}): outputs never replace them. */
  List<Path> inputs() {
    return inputs.isEmpty() ? List.of(model) : inputs;
  }
}
