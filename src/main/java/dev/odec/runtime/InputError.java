package dev.odec.runtime;

/**
 * A mistake in what the user gave (a command-line value, a data file), as a value: the CLI turns
 * it into a one-line message and an exit code. {@link Kind#USAGE} is a bad command line,
 * {@link Kind#INPUT} a model or data problem.
 */
public final class InputError extends RuntimeException {
  public enum Kind { USAGE, INPUT }

  private final Kind kind;

  public InputError(Kind kind, String message) {
    this(kind, message, false);
  }

  public static InputError usage(String message) {
    return new InputError(Kind.USAGE, message);
  }

  public static InputError input(String message) {
    return new InputError(Kind.INPUT, message);
  }

  /**
   * A problem at a place in an input file (a data or conditions CSV), rendered like a model
   * diagnostic: {@code FILE:LINE:COL: error: MESSAGE}. Line and column are 1-based.
   */
  public static InputError at(String file, int line, int col, String message) {
    return new InputError(Kind.INPUT, file + ":" + line + ":" + col + ": error: " + message, true);
  }

  /**
   * A model problem at a declaration: {@code FILE:LINE:COL: error: MESSAGE} when the span has a
   * file, else the message alone.
   */
  public static InputError at(dev.odec.source.Span span, String message) {
    if (span == null || span.file() == null) return input(message);
    return at(span.file().name(), span.line(), span.col(), message);
  }

  private final boolean positioned;

  private InputError(Kind kind, String message, boolean positioned) {
    super(message, null, false, false);
    this.kind = kind;
    this.positioned = positioned;
  }

  /** True when the message already starts with {@code FILE:LINE:COL: error:}. */
  public boolean positioned() {
    return positioned;
  }

  public Kind kind() {
    return kind;
  }
}
