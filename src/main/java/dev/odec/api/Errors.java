package dev.odec.api;

import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.solve.SolverFailure;
import java.util.List;
import java.util.function.Supplier;

/** Turns the internal errors into the API's exceptions, keeping their messages. */
final class Errors {
  private Errors() {}

  /** Runs {@code body}, translating input errors and solver failures (state names from {@code sys}, may be null). */
  static <T> T guard(OdeSystem sys, Supplier<T> body) {
    try {
      return body.get();
    } catch (InputError e) {
      throw input(e);
    } catch (SolverFailure e) {
      throw solver(e, sys);
    }
  }

  static InvalidInputException input(InputError e) {
    if (e.unknownName() != null) return new UnknownNameException(e.getMessage(), e.unknownName(), e.closest());
    InvalidInputException.Kind kind = e.kind() == InputError.Kind.USAGE ? InvalidInputException.Kind.USAGE
        : InvalidInputException.Kind.INPUT;
    return new InvalidInputException(kind, e.getMessage(), e.positioned());
  }

  static SolverException solver(SolverFailure e, OdeSystem sys) {
    List<String> names = sys == null ? List.of() : sys.stateComponentNames();
    SolverFailure named = e.withStateNames(names);
    int c = e.component();
    String state = c >= 1 && c <= names.size() ? names.get(c - 1) : null;
    return new SolverException(SolverException.Reason.valueOf(e.reason().name()), e.time(), state, named.getMessage());
  }

  /** A usage error with the message odec prints. */
  static InvalidInputException usage(String message) {
    return new InvalidInputException(InvalidInputException.Kind.USAGE, message, false);
  }
}
