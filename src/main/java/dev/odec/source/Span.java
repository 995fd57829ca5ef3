package dev.odec.source;

/** A place in a source file: 1-based line and column, and the length of the marked text. */
public record Span(SourceFile file, int line, int col, int length) {
  public static Span at(SourceFile file, int line, int col) {
    return new Span(file, line, col, 1);
  }

  /** The span from the start of {@code a} to the end of {@code b} when on one line, else {@code a}. */
  public static Span cover(Span a, Span b) {
    if (a.line == b.line && b.col >= a.col) {
      return new Span(a.file, a.line, a.col, Math.max(a.length, b.col + b.length - a.col));
    }
    return a;
  }

  @Override
  public String toString() {
    return (file == null ? "<input>" : file.name()) + ":" + line + ":" + col;
  }
}
