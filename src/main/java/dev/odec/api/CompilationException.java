package dev.odec.api;

import java.util.List;

/**
 * Asked for the model of a {@link Compilation} that has errors. The diagnostics are the
 * compilation's; the message is the first error and how many there are.
 */
public final class CompilationException extends OdecException {
  private static final long serialVersionUID = 1L;

  private final transient List<Diagnostic> diagnostics;

  CompilationException(List<Diagnostic> diagnostics, String message) {
    super(message);
    this.diagnostics = List.copyOf(diagnostics);
  }

  /** Every diagnostic of the compilation, in file, line and column order. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
