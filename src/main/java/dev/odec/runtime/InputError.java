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
    super(message, null, false, false);
    this.kind = kind;
  }

  public static InputError usage(String message) {
    return new InputError(Kind.USAGE, message);
  }

  public static InputError input(String message) {
    return new InputError(Kind.INPUT, message);
  }

  public Kind kind() {
    return kind;
  }
}
