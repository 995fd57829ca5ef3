package dev.odec.importer;

import dev.odec.sema.Builtins;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code .ode} names of an imported model's ids. An SBML or PEtab id is already an identifier
 * of the language, so it is kept unless it is a keyword, a built-in name ({@code t}, {@code pi},
 * a function) or a reserved data column ({@code time}, {@code experiment}); then it gets a
 * trailing underscore (and a number if that is taken too), and the declaration's comment gives
 * the original id.
 */
final class Names {
  static final Set<String> RESERVED = new HashSet<>(Set.of(
      "model", "param", "const", "state", "let", "fn", "reaction", "observe", "rate", "flow", "import", "in", "scale",
      "if", "then", "else", "and", "or", "not", "real", "at", "every", "until", "when",
      "t", "pi", "time", "experiment"));

  static {
    RESERVED.addAll(Builtins.functionNames());
    RESERVED.addAll(Builtins.DISTRIBUTIONS.keySet());
  }

  private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final java.util.regex.Pattern NOT_IDENTIFIER = java.util.regex.Pattern.compile("[^A-Za-z0-9_]");

  private final Map<String, String> byId = new LinkedHashMap<>();
  private final Set<String> taken = new HashSet<>();
  private final Map<String, String> idOf = new HashMap<>();

  /** Gives {@code id} its name (the first call decides; later calls return the same). */
  String declare(String id) {
    String known = byId.get(id);
    if (known != null) return known;
    String base = IDENTIFIER.matcher(id).matches() ? id : NOT_IDENTIFIER.matcher(id).replaceAll("_");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0)) && base.charAt(0) != '_') base = "_" + base;
    String name = RESERVED.contains(base) ? base + "_" : base;
    for (int k = 2; taken.contains(name); k++) name = base + "_" + k;
    taken.add(name);
    byId.put(id, name);
    idOf.put(name, id);
    return name;
  }

  /** A fresh name for something the import adds (not an id of the source), e.g. {@code X_init}. */
  String fresh(String wanted) {
    String name = wanted;
    for (int k = 2; taken.contains(name) || RESERVED.contains(name) || byId.containsKey(name); k++) name = wanted + "_" + k;
    taken.add(name);
    byId.put("\u0000" + name, name);
    return name;
  }

  /** The name of a declared id, or the id itself (sanitised alike) when it was never declared. */
  String of(String id) {
    String n = byId.get(id);
    return n != null ? n : declare(id);
  }

  boolean isDeclared(String id) {
    return byId.containsKey(id);
  }

  /** Whether the name differs from the id it stands for. */
  boolean renamed(String id) {
    return !of(id).equals(id);
  }
}
