package dev.odec.infer.optim;

/**
 * The objective could not be evaluated at a point: an optimizer rejects that trial point (a
 * smaller step follows), and a start whose first point fails is counted as failed with this
 * reason. {@link #kind()} groups failures for the summary ("integration failure", ...).
 */
public final class EvaluationFailure extends RuntimeException {
  private final String kind;

  public EvaluationFailure(String kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }
}
