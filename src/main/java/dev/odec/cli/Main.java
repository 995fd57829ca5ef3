package dev.odec.cli;

import dev.odec.api.InvalidInputException;
import dev.odec.api.SolverException;
import dev.odec.runtime.InputError;
import dev.odec.runtime.NativeCache;
import dev.odec.solve.SolverFailure;
import dev.odec.syntax.NumberSyntax;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code odec} command: compiles and runs .ode models (see CLI.md and the README). */
@Command(
    name = "odec",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Compile and run differential-equation models written in the .ode language.",
    subcommands = {CheckCommand.class, RunCommand.class, GradCommand.class, FitCommand.class, ProfileCommand.class,
        CompileCommand.class, ImportCommand.class, DensityCommand.class, GenerateCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success, 1 errors in the model or data, 2 bad usage, 3 numerical failure, 4 internal error."})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose check, run or compile");
  }

  public static void main(String[] args) throws InterruptedException {
    System.setProperty("java.awt.headless", "true");
    int[] code = {ExitCode.INTERNAL};
    // a large stack: the front end and the derivative transforms recurse over expressions, and
    // a generated model can nest very deeply (a sum of 20,000 terms is a chain 20,000 deep)
    Thread worker = new Thread(null, () -> {
      code[0] = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }, "odec", 1L << 30);
    worker.start();
    worker.join();
    System.exit(code[0]);
  }

  /** Runs the CLI with the given streams and returns the exit code (the tests drive this). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExpandAtFiles(false); // --set @FILE is ours: picocli must not read @FILE as more arguments
    // numbers on the command line are spelled as in models and data files (no 1f, 0x1p3, NaN)
    // one converter object for both: two method references with the same target make JDK 17's
    // class-data-sharing dump (the launcher's -XX:ArchiveClassesAtExit) crash
    CommandLine.ITypeConverter<Double> number = Main::number;
    cl.registerConverter(Double.class, number);
    cl.registerConverter(Double.TYPE, number);
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("odec: error: " + ex.getMessage());
      CommandLine c = ex.getCommandLine();
      err.println("see '" + c.getCommandSpec().qualifiedName() + " --help'");
      err.flush();
      return ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> handle(ex, err, parsed.matchedOption("--debug") != null
        || hasDebug(args)));
    try {
      return cl.execute(args);
    } catch (StackOverflowError e) {
      err.println("odec: error: the model is nested too deeply to compile (an expression thousands of levels deep); "
          + "split long sums with lets");
      err.flush();
      return ExitCode.MODEL_ERROR;
    } catch (OutOfMemoryError e) {
      err.println("odec: error: out of memory; the model or its data is too large for this Java heap (raise it with "
          + "JAVA_TOOL_OPTIONS=-Xmx...)");
      err.flush();
      return ExitCode.INTERNAL;
    } catch (Throwable e) {
      return handle(e, err, hasDebug(args));
    }
  }

  private static Double number(String text) {
    double v = NumberSyntax.parse(text);
    if (Double.isNaN(v)) throw new CommandLine.TypeConversionException("'" + text + "' is not a number");
    return v;
  }

  private static boolean hasDebug(String[] args) {
    for (String a : args) if (a.equals("--debug")) return true;
    return false;
  }

  /** Maps what went wrong to a message and exit code: only bugs (code 4) can show a stack trace. */
  static int handle(Throwable ex, PrintWriter err, boolean debug) {
    if (ex instanceof InputError ie) {
      err.println(ie.positioned() ? ie.getMessage() : "odec: error: " + ie.getMessage());
      err.flush();
      return ie.kind() == InputError.Kind.USAGE ? ExitCode.USAGE : ExitCode.MODEL_ERROR;
    }
    if (ex instanceof InvalidInputException ie) {
      err.println(ie.positioned() ? ie.getMessage() : "odec: error: " + ie.getMessage());
      err.flush();
      return ie.kind() == InvalidInputException.Kind.USAGE ? ExitCode.USAGE : ExitCode.MODEL_ERROR;
    }
    if (ex instanceof SolverException se) {
      err.println("odec: numerical failure: " + se.getMessage());
      err.flush();
      return ExitCode.NUMERICAL;
    }
    if (ex instanceof SolverFailure sf) {
      err.println("odec: numerical failure: " + sf.getMessage());
      err.flush();
      return ExitCode.NUMERICAL;
    }
    if (ex instanceof ModelErrors) {
      return ExitCode.MODEL_ERROR;
    }
    if (ex instanceof NativeCache.CompileError ce) {
      err.println("odec: internal error: the generated code does not compile (this is a bug in odec; the source is kept at "
          + ce.source() + "):\n" + ce.getMessage());
      err.flush();
      return ExitCode.INTERNAL;
    }
    err.println("odec: internal error: " + ex + " (this is a bug in odec; run again with --debug for a stack trace)");
    if (debug) ex.printStackTrace(err);
    err.flush();
    return ExitCode.INTERNAL;
  }

  /** Thrown after the diagnostics of a model were printed. */
  static final class ModelErrors extends RuntimeException {
    ModelErrors() {
      super(null, null, false, false);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"odec " + (v == null ? "0.1.0" : v)};
    }
  }
}
