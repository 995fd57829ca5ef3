package dev.odec.diag;

import dev.odec.source.Span;

/** One problem found in a model or its data: where, how bad, and what is wrong in plain words. */
public record Diagnostic(Severity severity, Span span, String message) {
  public enum Severity {
    ERROR("error"),
    WARNING("warning"),
    NOTE("note");

    public final String text;

    Severity(String text) {
      this.text = text;
    }
  }
}
