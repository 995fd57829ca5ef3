package dev.odec.cli;

import dev.odec.importer.PetabCache;
import dev.odec.importer.PetabImport;
import dev.odec.importer.SbmlImport;
import dev.odec.runtime.InputError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec import}: an SBML model or a PEtab problem as readable .ode and CSV files. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Translate an SBML model (MODEL.xml) or a PEtab v1 problem (PROBLEM.yaml) into .ode and CSV files:",
        "NAME.ode, and for a PEtab problem data.csv and conditions.csv, which give the same numbers as the problem."})
final class ImportCommand implements Callable<Integer> {
  @CommandLine.Parameters(index = "0", paramLabel = "PROBLEM.yaml|MODEL.xml", description = "What to translate.")
  Path source;

  @CommandLine.Option(names = "--out", paramLabel = "DIR", description = "Folder for the files (default: one named after the model).")
  Path out;

  @CommandLine.Option(names = "--force", description = "Replace files that already exist in the folder.")
  boolean force;

  @CommandLine.Option(names = "--debug", description = "Show stack traces of internal errors.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (!Files.exists(source)) throw InputError.usage("no such file: " + source);
    String n = source.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, String> files = new LinkedHashMap<>();
    String name;
    List<String> warnings = new ArrayList<>();
    if (n.endsWith(".yaml") || n.endsWith(".yml")) {
      PetabImport.Result r = PetabImport.translate(source);
      name = r.name();
      files.put(name + ".ode", r.odeText());
      files.put("data.csv", r.dataCsv());
      files.put("conditions.csv", r.conditionsCsv());
      warnings.addAll(r.warnings());
    } else if (n.endsWith(".xml") || n.endsWith(".sbml")) {
      SbmlImport.Result r = SbmlImport.translate(source);
      name = r.name();
      files.put(name + ".ode", r.odeText());
    } else {
      throw InputError.usage("import reads a PEtab problem (.yaml) or an SBML model (.xml), not " + source);
    }
    Path dir = out != null ? out : Path.of(name);
    if (Files.exists(dir) && !Files.isDirectory(dir)) throw InputError.usage(dir + " exists and is not a folder");
    List<Path> inputs = new ArrayList<>(List.of(source));
    if (n.endsWith(".yaml") || n.endsWith(".yml")) inputs.addAll(PetabCache.problemFiles(source));
    boolean existed = Files.isDirectory(dir);
    if (existed) for (String f : files.keySet()) OutputFiles.check(dir.resolve(f), force, inputs, true);
    Files.createDirectories(dir);
    for (Map.Entry<String, String> f : files.entrySet()) {
      OutputFiles.write(dir.resolve(f.getKey()), force, inputs, true, o -> o.writer().write(f.getValue()));
    }
    for (String w : warnings) err.println("odec: warning: " + w);
    err.flush();
    for (String f : files.keySet()) stdout.println("wrote " + dir.resolve(f));
    stdout.flush();
    return ExitCode.OK;
  }
}
