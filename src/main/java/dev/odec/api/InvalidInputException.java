package dev.odec.api;

/**
 * A mistake in what was given: a setting out of range, an unknown solver or method, a value a
 * param cannot take, a data or conditions file that does not fit the model. The message is the one
 * {@code odec} prints for the same mistake (it names settings as the command line spells them,
 * {@code --rtol}); problems inside a file start with {@code FILE:LINE:COL: error:}.
 */
public class InvalidInputException extends OdecException {
  private static final long serialVersionUID = 1L;

  /** What was wrong: the request itself, or a model or data file it names. */
  public enum Kind {
    /** A setting or argument of the call (the command line's exit code 2). */
    USAGE,
    /** A model or data file, or a value a model computes from the input (exit code 1). */
    INPUT
  }

  private final Kind kind;
  private final boolean positioned;

  InvalidInputException(Kind kind, String message, boolean positioned) {
    super(message);
    this.kind = kind;
    this.positioned = positioned;
  }

  /** Whether a setting or a file (or what a model computes from it) is at fault. */
  public Kind kind() {
    return kind;
  }

  /** Whether the message starts with the place in a file: {@code FILE:LINE:COL: error: ...}. */
  public boolean positioned() {
    return positioned;
  }
}
