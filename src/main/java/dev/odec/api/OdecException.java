package dev.odec.api;

/**
 * Something the API could not do, with a message meant for the person who gave the input (the
 * words the command line prints). Unchecked; the subclasses say what kind of problem it is:
 * {@link InvalidInputException} (a setting, a name, a value or a data file), its subclass
 * {@link UnknownNameException}, {@link CompilationException} (a model with errors) and
 * {@link SolverException} (a numerical failure). Anything else an API call throws is a bug in odec.
 */
public abstract class OdecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OdecException(String message) {
    super(message, null, false, false);
  }
}
