package dev.odec.api;

import dev.odec.diag.Diagnostics;
import dev.odec.runtime.DeepStack;
import dev.odec.sema.Frontend;
import dev.odec.source.SourceFile;
import java.nio.file.Path;
import java.util.List;

/**
 * The entry point of odec as a library: compiles models written in the {@code .ode} language.
 *
 * <pre>{@code
 * Model m = Odec.compile(Path.of("examples/lotka_volterra.ode")).model();
 * Trajectory tr = m.solve(m.parameters().with("alpha", 1.2), 0, new double[] {5, 10},
 *     SolverSettings.defaults().rtol(1e-8));
 * double prey = tr.state("prey")[1];
 * }</pre>
 *
 * See {@link Model} for what a compiled model does, and the package documentation for the rest.
 */
public final class Odec {
  private Odec() {}

  /**
   * Compiles a model file (quoted imports are {@code .ode} files in its folder and the folders
   * below it; stdlib modules by name). The model's functions are compiled to bytecode by the
   * {@code jvm} backend, on first use.
   *
   * @throws InvalidInputException when the file cannot be read (no such file, a folder, too large)
   */
  public static Compilation compile(Path file) {
    return compile(file, "jvm");
  }

  /**
   * Compiles a model file whose quoted imports may also come from the folders of
   * {@code importPath} and the folders below them (the command line's {@code --import-path}).
   *
   * @throws InvalidInputException when the file cannot be read or an import path is not a folder
   */
  public static Compilation compile(Path file, List<Path> importPath) {
    return compile(file, "jvm", importPath);
  }

  /**
   * Compiles a model file with a backend: {@code jvm} (bytecode), {@code interp} (the reference
   * interpreter) or {@code auto} (jvm).
   *
   * @throws InvalidInputException when the file cannot be read or the backend is unknown
   */
  public static Compilation compile(Path file, String backend) {
    return compile(file, backend, List.of());
  }

  private static Compilation compile(Path file, String backend, List<Path> importPath) {
    List<Path> roots = List.copyOf(importPath);
    Frontend.Result r = DeepStack.call(() -> Frontend.compile(file, roots));
    if (r.ioError() != null) throw Errors.usage(r.ioError());
    return compilation(file.toString(), r, backend);
  }

  /**
   * Compiles a model given as text; diagnostics name it {@code name}, which also names the model
   * when it has no {@code model NAME} line (without a trailing {@code .ode}). Quoted imports are
   * resolved from the working directory.
   */
  public static Compilation compile(String source, String name) {
    Diagnostics diags = new Diagnostics();
    SourceFile file = new SourceFile(name, source);
    Frontend.Result r = DeepStack.call(() -> Frontend.compile(file, Path.of(name.endsWith(".ode") ? name : name + ".ode")
        .getFileName(), diags));
    return compilation(name, r, "jvm");
  }

  private static Compilation compilation(String source, Frontend.Result r, String backend) {
    List<Diagnostic> diags = r.diagnostics().sorted().stream().map(Diagnostic::new).toList();
    return Errors.guard(null, () -> new Compilation(source, diags, r.system(), backend, r.imports()));
  }
}
