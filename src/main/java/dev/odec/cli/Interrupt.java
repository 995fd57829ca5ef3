package dev.odec.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during a long command: the first SIGINT only sets a flag, which the optimizers check
 * at every iteration, so that the command can write its best result so far and exit with 130
 * (128 + SIGINT, what a shell expects of an interrupted program); the handler is then restored,
 * so a second Ctrl-C stops the JVM at once. Uses {@code sun.misc.Signal} (module jdk.unsupported,
 * present in every JDK); without it, Ctrl-C stops the JVM as usual.
 */
final class Interrupt implements AutoCloseable {
  final AtomicBoolean flag = new AtomicBoolean();
  private Object previous;

  @SuppressWarnings("removal")
  static Interrupt install() {
    Interrupt it = new Interrupt();
    try {
      sun.misc.Signal sig = new sun.misc.Signal("INT");
      it.previous = sun.misc.Signal.handle(sig, s -> {
        it.flag.set(true);
        it.restore();
      });
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      it.previous = null; // no signal support here: Ctrl-C ends the JVM as usual
    }
    return it;
  }

  boolean interrupted() {
    return flag.get();
  }

  private synchronized void restore() {
    if (previous instanceof sun.misc.SignalHandler h) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
      } catch (IllegalArgumentException e) {
        // nothing to restore
      }
      previous = null;
    }
  }

  @Override
  public void close() {
    restore();
  }
}
