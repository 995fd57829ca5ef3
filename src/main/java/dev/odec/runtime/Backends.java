package dev.odec.runtime;

import dev.odec.codegen.Backend;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.codegen.jvm.JvmBackend;
import java.util.List;

/** Backend selection by the names of {@code --backend}. */
public final class Backends {
  private Backends() {}

  /** The names {@code --backend} accepts in this version. */
  public static final List<String> NAMES = List.of("jvm", "interp", "c", "cuda", "auto");

  /**
   * The backend that compiles a model's functions for the JVM. For {@code c} and {@code cuda} that
   * is the JVM backend too: they generate a whole program for the solves (see
   * {@link NativeEnsemble}), and the JVM computes what is around them (initial states, derived
   * quantities).
   */
  public static Backend byName(String name) {
    return switch (name) {
      case "jvm", "auto", "c", "cuda" -> new JvmBackend();
      case "interp" -> new Interpreter();
      case "nd4j" -> throw InputError.usage("the nd4j backend is not available in this version; choose one of "
          + String.join(", ", NAMES));
      default -> throw InputError.usage("unknown backend '" + name + "'; choose one of " + String.join(", ", NAMES));
    };
  }
}
