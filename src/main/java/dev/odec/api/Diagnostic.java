package dev.odec.api;

import dev.odec.diag.Renderer;
import dev.odec.source.Span;
import java.util.Objects;

/**
 * One problem the compiler found in a model: where (file, line, column, the length of the marked
 * text), how bad ({@link Severity}) and what is wrong, in the words {@code odec check} prints. A
 * value: the API never prints it; {@link #render()} gives the text the command line shows.
 */
public final class Diagnostic {
  /** How bad a diagnostic is: an error stops the model from compiling; the others do not. */
  public enum Severity {
    /** The model cannot be compiled. */
    ERROR,
    /** Probably a mistake, but the model compiles. */
    WARNING,
    /** More about the diagnostic before it. */
    NOTE
  }

  private final Severity severity;
  private final String file;
  private final int line;
  private final int column;
  private final int length;
  private final String message;
  private final String rendered;

  Diagnostic(dev.odec.diag.Diagnostic d) {
    this.severity = Severity.valueOf(d.severity().name());
    Span s = d.span();
    this.file = s == null || s.file() == null ? null : s.file().name();
    this.line = s == null ? 0 : s.line();
    this.column = s == null ? 0 : s.col();
    this.length = s == null ? 0 : s.length();
    this.message = d.message();
    this.rendered = Renderer.render(d, true);
  }

  /** How bad it is. */
  public Severity severity() {
    return severity;
  }

  /** The file as it was named when compiling (an import's own path for a problem there); null when unknown. */
  public String file() {
    return file;
  }

  /** The 1-based line, or 0 when the problem has no position. */
  public int line() {
    return line;
  }

  /** The 1-based column, or 0 when the problem has no position. */
  public int column() {
    return column;
  }

  /** How many characters the problem spans from {@link #column()} (at least 1 when positioned). */
  public int length() {
    return length;
  }

  /** What is wrong, in plain words, with a suggestion where one is likely ({@code did you mean 'alpha'?}). */
  public String message() {
    return message;
  }

  /** Whether this is an {@link Severity#ERROR}. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /**
   * The text {@code odec} prints for it: {@code FILE:LINE:COL: error: MESSAGE}, then the source
   * line and a caret line under the offending text.
   */
  public String render() {
    return rendered;
  }

  /** The first line of {@link #render()}: {@code FILE:LINE:COL: SEVERITY: MESSAGE}. */
  @Override
  public String toString() {
    int nl = rendered.indexOf('\n');
    return nl < 0 ? rendered : rendered.substring(0, nl);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Diagnostic d && d.severity == severity && Objects.equals(d.file, file) && d.line == line
        && d.column == column && d.length == length && d.message.equals(message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(severity, file, line, column, message);
  }
}
