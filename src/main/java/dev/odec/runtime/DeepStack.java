package dev.odec.runtime;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs the recursive passes (the front end, symbolic differentiation, code generation) on a
 * thread with a deep stack: they recurse over expressions, and a generated model can nest very
 * deeply (a sum of 20,000 terms is a chain 20,000 deep), far past a default thread's stack. The
 * command line runs everything on such a thread; a thread of a program that embeds odec (the Java
 * API) is whatever it is, so what generates code goes through here.
 */
public final class DeepStack {
  /** Reserved, not committed: the memory is used only as deep as the recursion goes. */
  private static final long STACK_BYTES = 1L << 30;

  private DeepStack() {}

  /** {@code body}'s result, computed on a deep-stack thread; what it throws is rethrown here. */
  public static <T> T call(Supplier<T> body) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(body.get());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "odec-compile", STACK_BYTES);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the pass cannot be cut short safely: finish it, then restore the flag
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    Throwable e = failure.get();
    if (e instanceof RuntimeException re) throw re;
    if (e instanceof Error err) throw err;
    if (e != null) throw new IllegalStateException(e);
    return result.get();
  }
}
