package dev.odec.fuzz;

import dev.odec.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seeded, grammar-aware mutation fuzzer of the whole CLI. Each input is derived from one
 * model of the corpus (the examples, the stdlib, the test models, the golden diagnostics, each
 * with its data files where it has some) by no mutation (a fifth of the inputs: the options and data are fuzzed), one number replaced (three tenths), or one to four mutations on the model's tokens — a
 * number replaced by an extreme one, a name by another name or a keyword, tokens deleted,
 * repeated or swapped, lines repeated, dropped or spliced in from another model, a random
 * statement or expression of the language inserted, odd characters (NUL, a BOM, control
 * characters, right-to-left marks) — half of them keeping the grammar, so that the checker,
 * compiler and solvers are reached — and sometimes of its data file's cells; then odec runs it in-process:
 * {@code check}, and for a model that checks, one of {@code compile --emit ...}, {@code run}
 * with random solver options, or {@code grad} on the (mutated) data.
 *
 * <p>Every outcome must be exit code 0, 1, 2 or 3 with a clean message: never 4, never a Java
 * exception name or stack trace, never an empty message on failure. Input {@code i} of seed
 * {@code s} is the same on every machine ({@link #input}), so a failure is reproduced from
 * those two numbers. Runs are bounded (small end times, {@code --max-steps 5000}, at most 1,000
 * output times) so that every input terminates quickly; the long runs documented in
 * docs/FUZZING.md are {@link #main} with a per-input hang guard.
 */
public final class Fuzzer {
  /**
   * A corpus entry: a model's text and, when it has them, its data and conditions files;
   * {@code valid} when the model checks as it is (the golden diagnostics and the stdlib modules
   * do not).
   */
  record Seed(String name, String model, String data, String conditions, boolean valid) {}

  /** One generated input: the files' texts and the commands to run on them. */
  record Input(long index, Seed seed, String model, String data, String conditions, List<List<String>> commands) {}

  /** A violated invariant, with what reproduces it. */
  record Failure(long seed, long index, String why, List<String> command, String model, String data, String err) {
    @Override
    public String toString() {
      return "fuzz input " + index + " of seed " + seed + ": " + why + "\n  command: odec " + String.join(" ", command)
          + "\n  stderr: " + abbreviate(err, 2000) + "\n  model:\n" + abbreviate(model, 4000)
          + (data == null ? "" : "\n  data:\n" + abbreviate(data, 1000));
    }
  }

  private final long seed;
  private final List<Seed> corpus;
  private final Path work;
  private final List<Seed> valid;

  /** Counts of what happened, for the report. */
  final long[] exitCodes = new long[5];
  long invocations;

  Fuzzer(long seed, List<Seed> corpus, Path work) {
    this.seed = seed;
    this.corpus = corpus;
    this.work = work;
    this.valid = corpus.stream().filter(Seed::valid).toList();
  }

  // ---- corpus --------------------------------------------------------------------------------

  /** The models of the project (run from the repository root) and their data files. */
  static List<Seed> corpus(Path root) throws IOException {
    List<Seed> out = new ArrayList<>();
    for (String dir : List.of("examples", "stdlib", "src/test/resources")) {
      try (var s = Files.walk(root.resolve(dir))) {
        for (Path p : s.filter(f -> f.toString().endsWith(".ode")).sorted().toList()) {
          boolean valid = dev.odec.sema.Frontend.compile(p).ok();
          out.add(new Seed(root.relativize(p).toString(), read(p), data(p, "data"), data(p, "conditions"), valid));
        }
      }
    }
    return out;
  }

  /** The data file paired with a model: NAME_data.csv, or the known pairs of the test folders. */
  private static String data(Path model, String kind) throws IOException {
    String name = model.getFileName().toString().replace(".ode", "");
    Path dir = model.getParent();
    for (String candidate : List.of(name + "_" + kind + ".csv", pair(name) + "_" + kind + ".csv")) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) return read(p);
    }
    return null;
  }

  private static String pair(String model) {
    return switch (model) {
      case "lotka_volterra", "lv_lognormal" -> "lv";
      case "enzyme_experiments" -> "enzyme";
      case "robertson_obs" -> "robertson";
      case "spiral_nn" -> "spiral";
      default -> model;
    };
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  // ---- inputs --------------------------------------------------------------------------------

  /** Input {@code index}: a function of the seed and the index only. */
  Input input(long index) {
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L);
    // three inputs in four start from a model that checks, so that most reach the deeper stages
    List<Seed> from = r.nextInt(4) > 0 ? valid : corpus;
    Seed s = from.get(r.nextInt(from.size()));
    String model = s.model();
    int kind = r.nextInt(10);
    if (kind >= 2) { // else the model as it is: the options and the data are what is fuzzed
      Mutator mutator = new Mutator(r, corpus);
      int mutations = kind < 5 ? 1 : r.nextInt(3) == 0 ? 2 + r.nextInt(3) : 1;
      for (int m = 0; m < mutations; m++) model = kind < 5 ? mutator.mutateNumber(model) : mutator.mutate(model);
    }
    String data = s.data() != null && r.nextInt(3) == 0 ? new Mutator(r, corpus).mutateCsv(s.data()) : s.data();
    String cond = s.conditions();
    List<List<String>> commands = new ArrayList<>();
    commands.add(List.of("check", "MODEL"));
    commands.add(followUp(r, data != null));
    return new Input(index, s, model, data, cond, commands);
  }

  private static final String[] SOLVERS = {"auto", "tsit5", "dopri5", "dop853", "bs3", "bdf", "rodas5", "rk4", "euler",
      "midpoint", "dopri"};
  private static final String[] TOLERANCES = {"1e-6", "1e-3", "1e-10", "1e-300", "0", "-1", "nan", "1f", "0x1p-10",
      "1e-8,x=1e-10", "1e-6,nope=1"};
  private static final String[] TIMES = {"1", "0.5", "10", "-1", "0", "1e300", "inf", "2.5e-3", "1e-320"};
  private static final String[] SAVEAT = {"0:0.1:1", "0,0.5,1", "1:-0.1:0", "0:1e-300:1", "0:0:1", "5", "", ",", "a:b:c",
      "0:0.001:1"};

  /** The command run after {@code check}: compile, run or grad with random, often odd, options. */
  private static List<String> followUp(Random r, boolean hasData) {
    List<String> c = new ArrayList<>();
    int kind = r.nextInt(hasData ? 10 : 7);
    if (kind < 2) {
      c.addAll(List.of("compile", "MODEL", "--emit", pick(r, "ast", "ir", "jacobian", "adjoint", "java", "cuda")));
      return c;
    }
    c.addAll(kind < 7 ? List.of("run", "MODEL", "--t1", pick(r, TIMES)) : List.of("grad", "MODEL", "--data", "DATA"));
    if (r.nextInt(2) == 0) c.addAll(List.of("--solver", pick(r, SOLVERS)));
    if (r.nextInt(3) == 0) c.addAll(List.of("--rtol", pick(r, TOLERANCES)));
    if (r.nextInt(3) == 0) c.addAll(List.of("--atol", pick(r, TOLERANCES)));
    if (r.nextInt(4) == 0) c.addAll(List.of("--dt", pick(r, "0.01", "0", "1e-300", "-1")));
    if (r.nextInt(4) == 0) c.addAll(List.of("--t0", pick(r, TIMES)));
    if (r.nextInt(4) == 0) c.addAll(List.of("--backend", pick(r, "jvm", "interp", "nd4j", "c", "auto")));
    if (r.nextInt(4) == 0) c.addAll(List.of("--set", pick(r, "k=2", "alpha=0", "x=1", "W[1,1]=3", "beta=1e308", "k=nan", "=1")));
    if (kind < 7) {
      if (r.nextInt(3) == 0) c.addAll(List.of("--saveat", pick(r, SAVEAT)));
      if (r.nextInt(4) == 0) c.add("--derived");
      if (r.nextInt(6) == 0) c.addAll(List.of("--out", pick(r, "OUT.csv", "OUT.ode", "MODEL", "/dev/null")));
    } else {
      c.addAll(List.of("--method", pick(r, "auto", "adjoint", "checkpoint", "forward", "discrete", "bogus")));
      if (r.nextInt(3) == 0) c.add("--wrt-times");
      if (r.nextInt(4) == 0) c.add("--map");
      if (r.nextInt(4) == 0) c.addAll(List.of("--format", pick(r, "json", "csv", "xml")));
      if (r.nextInt(5) == 0) c.addAll(List.of("--conditions", "COND"));
    }
    c.addAll(List.of("--max-steps", "5000"));
    return c;
  }

  static String pick(Random r, String... options) {
    return options[r.nextInt(options.length)];
  }

  // ---- running -------------------------------------------------------------------------------

  /** Runs input {@code index}; returns the first violated invariant, or null. */
  Failure run(long index) {
    Input in = input(index);
    Path dir = work.resolve("w" + Thread.currentThread().getId());
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("model.ode"), in.model(), StandardCharsets.UTF_8);
      if (in.data() != null) Files.writeString(dir.resolve("data.csv"), in.data(), StandardCharsets.UTF_8);
      if (in.conditions() != null) Files.writeString(dir.resolve("conditions.csv"), in.conditions(), StandardCharsets.UTF_8);
      Files.deleteIfExists(dir.resolve("out.csv"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (List<String> command : in.commands()) {
      List<String> args = new ArrayList<>();
      for (String a : command) {
        args.add(switch (a) {
          case "MODEL" -> dir.resolve("model.ode").toString();
          case "DATA" -> dir.resolve("data.csv").toString();
          case "COND" -> dir.resolve("conditions.csv").toString();
          case "OUT.csv" -> dir.resolve("out.csv").toString();
          case "OUT.ode" -> dir.resolve("out.ode").toString();
          default -> a;
        });
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.execute(args.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
      String why = violation(code, err.toString());
      synchronized (this) {
        invocations++;
        exitCodes[Math.max(0, Math.min(4, code))]++;
      }
      if (why != null) return new Failure(seed, index, why, command, in.model(), in.data(), err.toString());
      if (command.get(0).equals("check") && code != 0) break;
    }
    return null;
  }

  private static final Pattern JAVA_NAMES = Pattern.compile("Exception|java\\.|\\tat |Error:|Throwable");

  /** What is wrong with an outcome, or null. */
  static String violation(int code, String err) {
    if (code < 0 || code > 3) return "exit code " + code;
    Matcher m = JAVA_NAMES.matcher(err);
    if (m.find()) return "Java internals in the message ('" + m.group() + "')";
    if (code != 0 && err.isBlank()) return "exit code " + code + " without a message";
    return null;
  }

  static String abbreviate(String s, int max) {
    if (s == null) return "";
    return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " characters)";
  }

  // ---- long runs -----------------------------------------------------------------------------

  /**
   * {@code Fuzzer [--seed S] [--inputs N] [--from I] [--threads T] [--hang SECONDS] [--failures DIR]}:
   * runs inputs I .. I+N-1 of seed S (from the repository root) and prints a summary; each
   * failing input is written to DIR. An input still running after the hang limit is a failure.
   */
  public static void main(String[] args) throws Exception {
    long seed = 1;
    long inputs = 1000;
    long from = 0;
    int threads = 1;
    int hang = 60;
    Path failures = Path.of("target/fuzz-failures");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--inputs" -> inputs = Long.parseLong(args[i + 1]);
        case "--from" -> from = Long.parseLong(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--hang" -> hang = Integer.parseInt(args[i + 1]);
        case "--failures" -> failures = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.setProperty("java.awt.headless", "true");
    Path work = Files.createTempDirectory("odec-fuzz");
    Fuzzer f = new Fuzzer(seed, corpus(Path.of("")), work);
    Files.createDirectories(failures);
    ExecutorService pool = Executors.newFixedThreadPool(threads, bigStacks());
    long failed = 0;
    long hangs = 0;
    long done = 0;
    List<Future<Failure>> window = new ArrayList<>();
    List<Long> indices = new ArrayList<>();
    for (long i = from; i < from + inputs; i++) {
      long index = i;
      window.add(pool.submit(() -> f.run(index)));
      indices.add(index);
      if (window.size() < 4L * threads && i + 1 < from + inputs) continue;
      for (int k = 0; k < window.size(); k++) {
        Failure fail;
        try {
          fail = window.get(k).get(hang, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          window.get(k).cancel(true);
          hangs++;
          Input in = f.input(indices.get(k));
          fail = new Failure(seed, indices.get(k), "still running after " + hang + " s", in.commands().get(1),
              in.model(), in.data(), "");
        } catch (ExecutionException e) {
          fail = new Failure(seed, indices.get(k), "the fuzzer itself failed: " + e.getCause(), List.of(), "", null, "");
        }
        done++;
        if (fail != null) {
          failed++;
          Files.writeString(failures.resolve("seed" + seed + "_input" + fail.index() + ".txt"), fail.toString());
          System.out.println(fail);
        }
      }
      window.clear();
      indices.clear();
      if (done % 10_000 < 4L * threads) {
        System.out.printf("%d inputs, %d invocations, exit codes 0..4: %s, %d failures (%d hangs)%n", done, f.invocations,
            Arrays.toString(f.exitCodes), failed, hangs);
      }
    }
    pool.shutdownNow();
    System.out.printf("done: seed %d, inputs %d..%d: %d invocations, exit codes 0..4: %s, %d failures (%d hangs)%n", seed,
        from, from + inputs - 1, f.invocations, Arrays.toString(f.exitCodes), failed, hangs);
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Threads with the CLI's large stack (deeply nested models recurse deeply, as in Main). */
  static java.util.concurrent.ThreadFactory bigStacks() {
    return task -> {
      Thread t = new Thread(null, task, "fuzz", 1L << 29);
      t.setDaemon(true);
      return t;
    };
  }
}
