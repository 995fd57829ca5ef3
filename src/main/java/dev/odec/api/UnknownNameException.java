package dev.odec.api;

import java.util.Optional;

/**
 * A name the model does not have: a param or const to set, a state of a per-state tolerance, a
 * param to hold in a fit, a variable to read. The message lists what exists and suggests the
 * closest name ({@code did you mean 'alpha'?}), which {@link #closest()} also gives.
 */
public final class UnknownNameException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String closest;

  UnknownNameException(String message, String name, String closest) {
    super(Kind.USAGE, message, false);
    this.name = name;
    this.closest = closest;
  }

  /** The name as it was given. */
  public String name() {
    return name;
  }

  /** The model's name closest to {@link #name()}, when one is close enough to be a likely typo. */
  public Optional<String> closest() {
    return Optional.ofNullable(closest);
  }
}
