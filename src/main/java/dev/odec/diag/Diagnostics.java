package dev.odec.diag;

import dev.odec.source.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A sink for diagnostics: stages report into it and carry on, so that every error of a file is
 * found in one run. Nothing here prints; the CLI renders the list at the edge.
 */
public final class Diagnostics {
  private final List<Diagnostic> items = new ArrayList<>();
  private final java.util.Set<Diagnostic> seen = new java.util.HashSet<>();

  /** Reports an error; an identical report at the same place (e.g. from a twice-inlined fn) is kept once. */
  public void error(Span span, String message) {
    Diagnostic d = new Diagnostic(Diagnostic.Severity.ERROR, span, message);
    if (seen.add(d)) items.add(d);
  }

  public void warning(Span span, String message) {
    items.add(new Diagnostic(Diagnostic.Severity.WARNING, span, message));
  }

  public void note(Span span, String message) {
    items.add(new Diagnostic(Diagnostic.Severity.NOTE, span, message));
  }

  public boolean hasErrors() {
    return items.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
  }

  public int errorCount() {
    return (int) items.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).count();
  }

  /** All diagnostics, ordered by file, line and column (stable for equal positions). */
  public List<Diagnostic> sorted() {
    List<Diagnostic> copy = new ArrayList<>(items);
    copy.sort(
        Comparator.comparing((Diagnostic d) -> d.span() == null || d.span().file() == null ? "" : d.span().file().name())
            .thenComparingInt(d -> d.span() == null ? 0 : d.span().line())
            .thenComparingInt(d -> d.span() == null ? 0 : d.span().col()));
    return copy;
  }
}
