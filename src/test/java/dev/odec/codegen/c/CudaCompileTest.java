package dev.odec.codegen.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.odec.codegen.interp.Interpreter;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.NativeToolchain;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.sens.GradientModel;
import dev.odec.solve.Method;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated CUDA programs compile with nvcc: an explicit solver on a small model to PTX, and
 * to sm_90 cubins (PTX, then ptxas) the auto solver (tsit5 and rodas5 with its LU) on a stiff
 * model and DOP853 (extra dense-output stages) on the neural ODE with matrices, each with the
 * derivative functions that {@code --emit cuda} prints. Skipped, with the reason, where nvcc is not
 * installed; no GPU is needed.
 */
class CudaCompileTest {
  private static NativeToolchain nvcc() {
    NativeToolchain tc = null;
    String why = null;
    try {
      tc = NativeToolchain.find(CProgram.Target.CUDA, null, "sm_90");
    } catch (RuntimeException e) {
      why = e.getMessage();
    }
    assumeTrue(tc != null, "nvcc not found: " + why);
    return tc;
  }

  private static String program(String model, Method method) {
    Frontend.Result r = Frontend.compile(Path.of(model));
    assertTrue(r.ok(), model);
    OdeSystem sys = r.system();
    GradientModel gm = new GradientModel(sys, new Interpreter());
    return CProgram.generate(sys, new CProgram.Config(CProgram.Target.CUDA, method, Parameters.build(sys, Map.of(), 1),
        gm.forC()));
  }

  private static void compile(NativeToolchain tc, Path source, String... how) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(tc.compiler().toString(), "-arch=sm_90"));
    cmd.addAll(List.of(how));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.directory(source.getParent().toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
  }

  @Test
  void generatedCudaCompilesToPtxAndCubin(@TempDir Path dir) throws Exception {
    NativeToolchain tc = nvcc();
    String[][] cases = {
      {"examples/lotka_volterra.ode", "tsit5"},
      {"examples/stiff/robertson.ode", "auto"},
      {"examples/neural.ode", "dop853"},
    };
    for (String[] c : cases) {
      Method m = c[1].equals("auto") ? null : Method.byName(c[1]);
      String src = program(c[0], m);
      assertTrue(src.contains("__global__ void od_kernel"), "one kernel");
      Path cu = dir.resolve(Path.of(c[0]).getFileName().toString().replace(".ode", ".cu"));
      Files.writeString(cu, src);
      if (c == cases[0]) { // nvcc takes seconds a run: PTX for the small one, cubins (PTX and ptxas) for the others
        compile(tc, cu, "--ptx", "-o", "model.ptx", cu.getFileName().toString());
        String ptx = Files.readString(dir.resolve("model.ptx"));
        assertTrue(ptx.contains(".entry") && ptx.contains("od_kernel"), c[0] + ": the PTX has the kernel");
      } else {
        compile(tc, cu, "-cubin", "-o", "model.cubin", cu.getFileName().toString());
        assertTrue(Files.size(dir.resolve("model.cubin")) > 0, c[0] + ": a cubin");
      }
    }
  }
}
