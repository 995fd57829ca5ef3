package dev.odec.cli;

import dev.odec.diag.Diagnostic;
import dev.odec.diag.Renderer;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.sema.Frontend;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The model file argument and --debug, shared by every command; compiles and reports. */
public final class ModelOption {
  @CommandLine.Parameters(index = "0", paramLabel = "MODEL.ode", description = "The model file.")
  Path model;

  @CommandLine.Option(names = "--debug", description = "Show stack traces of internal errors.")
  boolean debug;

  @CommandLine.Option(names = "--import-path", paramLabel = "DIR",
      description = "Also read quoted imports from this folder and its subfolders (repeatable); by default only "
          + "the model's own folder tree and the stdlib are read.")
  List<Path> importPath = new ArrayList<>();

  /** The files the last compile read: the model and everything it imports. */
  private List<Path> inputs = List.of();

  /** Compiles the model, printing every diagnostic to {@code err}; throws when there were errors. */
  Frontend.Result compile(PrintWriter err) {
    for (Path dir : importPath) {
      if (!Files.isDirectory(dir)) throw InputError.usage("--import-path " + dir + " is not a folder");
    }
    Frontend.Result r = Frontend.compile(model, importPath);
    if (r.ioError() != null) throw InputError.usage(r.ioError());
    List<Path> read = new ArrayList<>();
    read.add(model);
    read.addAll(r.imports());
    inputs = List.copyOf(read);
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

  /** The model file and the files it imports (after {@link #compile}): outputs never replace them. */
  List<Path> inputs() {
    return inputs.isEmpty() ? List.of(model) : inputs;
  }
}
