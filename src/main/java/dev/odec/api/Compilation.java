package dev.odec.api;

import dev.odec.ir.OdeSystem;
import java.nio.file.Path;
import java.util.List;

/**
 * What compiling a model gave: its diagnostics (every error of every file in one go, plus warnings)
 * and, when there were no errors, the {@link Model}. Nothing is printed; a program shows the
 * diagnostics as it likes ({@link Diagnostic#render()} gives the command line's text).
 */
public final class Compilation {
  private final String source;
  private final List<Diagnostic> diagnostics;
  private final Model model;
  private final List<Path> imports;

  Compilation(String source, List<Diagnostic> diagnostics, OdeSystem system, String backend, List<Path> imports) {
    this.source = source;
    this.diagnostics = List.copyOf(diagnostics);
    this.imports = List.copyOf(imports);
    boolean errors = this.diagnostics.stream().anyMatch(Diagnostic::isError);
    this.model = errors || system == null ? null : new Model(system, backend);
  }

  /** The name of what was compiled: the file as given, or the name given to a string. */
  public String source() {
    return source;
  }

  /**
   * The files read for the model's quoted imports, directly or not (real paths, links resolved):
   * what a program that writes files next to the model should not overwrite.
   */
  public List<Path> imports() {
    return imports;
  }

  /** Every diagnostic, ordered by file, line and column. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** The errors among them. */
  public List<Diagnostic> errors() {
    return diagnostics.stream().filter(Diagnostic::isError).toList();
  }

  /** Whether the model compiled (no errors). */
  public boolean ok() {
    return model != null;
  }

  /**
   * The compiled model.
   *
   * @throws CompilationException when there were errors (it carries the diagnostics)
   */
  public Model model() {
    if (model != null) return model;
    List<Diagnostic> errors = errors();
    String first = errors.isEmpty() ? "the model did not compile" : errors.get(0).toString();
    int n = errors.size();
    throw new CompilationException(diagnostics, first + (n > 1 ? " (and " + (n - 1) + " more error"
        + (n == 2 ? "" : "s") + ")" : "") + " in " + source);
  }
}
