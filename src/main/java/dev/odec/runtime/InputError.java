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
  private final String unknownName;
  private final String closest;

  private InputError(Kind kind, String message, boolean positioned) {
    this(kind, message, positioned, null, null);
  }

  private InputError(Kind kind, String message, boolean positioned, String unknownName, String closest) {
    super(message, null, false, false);
    this.kind = kind;
    this.positioned = positioned;
    this.unknownName = unknownName;
    this.closest = closest;
  }

  /**
   * A name that the model does not have (a usage error): {@code name} as given and the closest
   * name the model has, or null when none is close (the message suggests it too).
   */
  public static InputError unknownName(String message, String name, String closest) {
    return new InputError(Kind.USAGE, message, false, name, closest);
  }

  /** The unknown name this error is about, or null when it is about something else. */
  public String unknownName() {
    return unknownName;
  }

  /** The closest known name to {@link #unknownName()}, or null. */
  public String closest() {
    return closest;
  }

  /** True when the message already starts with {@code FILE:LINE:COL: error:}. */
  public boolean positioned() {
    return positioned;
  }

  public Kind kind() {
    return kind;
  }
}
