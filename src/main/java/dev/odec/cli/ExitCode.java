package dev.odec.cli;

/** The exit codes of CLI.md. */
public final class ExitCode {
  private ExitCode() {}

  public static final int OK = 0;
  /** The model or data has errors (diagnostics printed). */
  public static final int MODEL_ERROR = 1;
  /** Bad command-line usage. */
  public static final int USAGE = 2;
  /** Numerical failure, reported with the time where it happened. */
  public static final int NUMERICAL = 3;
  /** An internal error: a bug. */
  public static final int INTERNAL = 4;
}
