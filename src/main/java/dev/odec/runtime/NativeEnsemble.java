package dev.odec.runtime;

import dev.odec.codegen.c.CProgram;
import dev.odec.ir.OdeSystem;
import dev.odec.solve.Method;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverInputs;
import dev.odec.solve.SolverOptions;
import dev.odec.solve.Stats;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An ensemble solved by a generated program ({@code --backend c|cuda}): the model and its solver
 * are emitted by {@link CProgram}, compiled once into the {@link NativeCache}, and run as a child
 * process that reads the batch (options, parameters and initial states of every member) on its
 * standard input and writes the results (each member's status, work counters and states) on its
 * standard output, in the little-endian binary format described in the generated source
 * ({@code od_io}). The program's notes on stderr (a batch split into several GPU launches) are
 * passed on. Every member's status becomes a {@link SolverFailure} with the words the JVM's solvers
 * use. Nothing here runs unless {@code --backend c|cuda} is asked for.
 */
public final class NativeEnsemble implements EnsembleRunner {
  /** The program's exit status when it finds no usable CUDA device. */
  static final int NO_DEVICE = 10;
  /** Bytes of one member's record (od_result). */
  static final int RESULT_BYTES = 80;

  private final OdeSystem sys;
  private final Method method;
  private final NativeToolchain toolchain;
  private final NativeCache cache;
  private final PrintWriter err;

  /**
   * @param method the solver (null: auto); {@link CProgram#unsupported} must accept it
   * @param err where the program's notes go
   */
  public NativeEnsemble(OdeSystem sys, Method method, NativeToolchain toolchain, NativeCache cache, PrintWriter err) {
    this.sys = sys;
    this.method = method;
    this.toolchain = toolchain;
    this.cache = cache;
    this.err = err;
  }

  /** The generated source this runner compiles (nominal values: the model's own, so the cache key does not follow --set). */
  public String source() {
    double[] nominal;
    try {
      nominal = Parameters.build(sys, Map.of(), 1);
    } catch (InputError e) {
      nominal = new double[sys.paramSize()];
    }
    return CProgram.generate(sys, new CProgram.Config(toolchain.target(), method, nominal, null));
  }

  @Override
  public EnsembleSolution solve(Ensemble e, double t0, double[] saveat, SolverOptions o, int repeat) {
    int n = sys.stateSize();
    EnsembleSolution.checkSize(e.size(), saveat.length, n);
    Path bin = cache.binary(source(), toolchain);
    double[] rtol = new double[n];
    double[] atol = new double[n];
    for (int c = 0; c < n; c++) {
      rtol[c] = o.rtolPerState != null ? o.rtolPerState[c] : o.rtol;
      atol[c] = o.atolPerState != null ? o.atolPerState[c] : o.atol;
    }
    // the solvers' stiffness detection: auto switches after 15 steps, a named explicit method stops after o.stiffAfter
    long stiffAfter = method == null ? 15 : o.stiffAfter;
    try {
      Process proc = new ProcessBuilder(bin.toString()).start();
      // own threads (not a shared pool, where a busy pool could leave the writer waiting behind the reader)
      CompletableFuture<String> stderr = new CompletableFuture<>();
      Thread errReader = new Thread(() -> stderr.complete(readText(proc.getErrorStream())), "odec-native-stderr");
      CompletableFuture<Void> writer = new CompletableFuture<>();
      Thread batchWriter = new Thread(() -> {
        try (OutputStream in = new BufferedOutputStream(proc.getOutputStream(), 1 << 16)) {
          writeBatch(in, e, t0, saveat, o, rtol, atol, stiffAfter, Math.max(1, repeat));
        } catch (IOException x) {
          // the program ended early; its exit status and stderr say why
        }
        writer.complete(null);
      }, "odec-native-batch");
      errReader.setDaemon(true);
      batchWriter.setDaemon(true);
      errReader.start();
      batchWriter.start();
      EnsembleSolution sol = null;
      IOException readFailure = null;
      try (InputStream out = new BufferedInputStream(proc.getInputStream(), 1 << 16)) {
        sol = readResults(out, e.size(), n, saveat, o);
      } catch (IOException x) {
        readFailure = x;
      }
      writer.join();
      int status = proc.waitFor();
      String messages = stderr.join();
      if (status == NO_DEVICE) {
        throw InputError.usage("--backend cuda cannot run here: " + messages.strip()
            + "; use --backend c (the same code on the CPU) or jvm");
      }
      if (status != 0 || sol == null) {
        throw new IllegalStateException("the generated program " + bin + " failed (exit status " + status + ")"
            + (messages.isBlank() ? "" : ": " + messages.strip())
            + (readFailure != null ? " (reading its results: " + readFailure.getMessage() + ")" : ""));
      }
      for (String line : messages.strip().split("\n")) {
        if (!line.isBlank()) err.println(line);
      }
      err.flush();
      return sol;
    } catch (IOException x) {
      throw new IllegalStateException("cannot run the generated program " + bin + ": " + x.getMessage(), x);
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the generated program ran", x);
    }
  }

  private static String readText(InputStream s) {
    try {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException x) {
      return "";
    }
  }

  /** The input batch; see the generated source's od_io for the layout. */
  private void writeBatch(OutputStream out, Ensemble e, double t0, double[] saveat, SolverOptions o, double[] rtol,
      double[] atol, long stiffAfter, int repeat) throws IOException {
    int n = sys.stateSize();
    int np = sys.paramSize();
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put("ODECIN01".getBytes(StandardCharsets.US_ASCII));
    b.putLong(0x0102030405060708L);
    b.putLong(e.size()).putLong(n).putLong(np).putLong(saveat.length).putLong(o.maxSteps).putLong(stiffAfter)
        .putLong(repeat);
    b.putDouble(t0).putDouble(o.dt).putDouble(o.initialStep);
    BatchWriter w = new BatchWriter(out, b);
    w.doubles(rtol);
    w.doubles(atol);
    w.doubles(saveat);
    for (double[] p : e.p()) w.doubles(p);
    for (double[] y0 : e.y0()) w.doubles(y0);
    w.flush();
  }

  /** Little-endian doubles through one reusable buffer. */
  private record BatchWriter(OutputStream out, ByteBuffer b) {
    void doubles(double[] v) throws IOException {
      for (double x : v) {
        if (b.remaining() < 8) flush();
        b.putDouble(x);
      }
    }

    void flush() throws IOException {
      out.write(b.array(), 0, b.position());
      b.clear();
    }
  }

  private EnsembleSolution readResults(InputStream in, int members, int n, double[] saveat, SolverOptions o)
      throws IOException {
    ByteBuffer head = ByteBuffer.wrap(readFully(in, 8 + 4 * 8 + 2 * 8)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[8];
    head.get(magic);
    if (!new String(magic, StandardCharsets.US_ASCII).equals("ODECOUT1")) throw new IOException("bad magic");
    long gotMembers = head.getLong();
    long gotN = head.getLong();
    long gotSave = head.getLong();
    long launches = head.getLong();
    double solveMs = head.getDouble();
    double totalMs = head.getDouble();
    if (gotMembers != members || gotN != n || gotSave != saveat.length) throw new IOException("the results do not match the batch");
    Stats[] stats = new Stats[members];
    SolverFailure[] failures = new SolverFailure[members];
    ByteBuffer rec = ByteBuffer.allocate(RESULT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int m = 0; m < members; m++) {
      rec.clear();
      rec.put(readFully(in, RESULT_BYTES)).flip();
      int status = rec.getInt();
      int component = rec.getInt();
      int flags = rec.getInt();
      int aux = rec.getInt();
      double time = rec.getDouble();
      double value = rec.getDouble();
      Stats st = new Stats();
      st.nfe = rec.getLong();
      st.steps = rec.getLong();
      st.rejected = rec.getLong();
      st.jacobians = rec.getLong();
      st.lu = rec.getLong();
      st.switches = rec.getLong();
      stats[m] = st;
      failures[m] = failure(status, component, flags, aux, time, value, saveat[saveat.length - 1], o);
    }
    double[] states = new double[members * saveat.length * n];
    ByteBuffer chunk = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
    int filled = 0;
    while (filled < states.length) {
      int count = Math.min(8192, states.length - filled);
      chunk.clear();
      chunk.put(readFully(in, 8 * count)).flip();
      for (int i = 0; i < count; i++) states[filled + i] = chunk.getDouble();
      filled += count;
    }
    for (int m = 0; m < members; m++) {
      if (failures[m] != null) {
        int base = m * saveat.length * n;
        Arrays.fill(states, base, base + saveat.length * n, Double.NaN);
      }
    }
    return new EnsembleSolution(saveat.clone(), states, n, stats, failures, solveMs, totalMs, launches);
  }

  private static byte[] readFully(InputStream in, int count) throws IOException {
    byte[] b = in.readNBytes(count);
    if (b.length != count) throw new EOFException("the results end early");
    return b;
  }

  /** A member's status code (od_common.c) as the failure the JVM's solvers would raise; null for success. */
  private SolverFailure failure(int status, int component, int flags, int aux, double t, double value, double tEnd,
      SolverOptions o) {
    boolean derivative = (flags & 1) != 0;
    boolean atStart = (flags & 2) != 0;
    boolean rosenbrock = (flags & 4) != 0;
    return switch (status) {
      case 0 -> null;
      case 1 -> SolverInputs.stepUnderflow(t, value, rosenbrock ? SolverInputs.IMPLICIT_UNDERFLOW : SolverInputs.EXPLICIT_UNDERFLOW);
      case 2 -> SolverInputs.tooManySteps((long) value, t, tEnd, !Double.isNaN(o.dt));
      case 3 -> SolverInputs.nonFinite(t, component, derivative, value, atStart);
      case 4 -> new SolverFailure(SolverFailure.Reason.STIFF, t, method == null
          ? "the problem is stiff at t = " + fmt(t) + ", and rodas5 on the c and cuda backends handles at most "
              + CProgram.DENSE_LIMIT + " states (this model has " + sys.stateSize() + "); use --backend jvm"
          : SolverInputs.stiffMessage(t, method, value, aux));
      case 5 -> SolverInputs.singular(t, new int[0], aux);
      case 6 -> SolverInputs.jacobianNonFinite(t, component, aux, value);
      case 7 -> new SolverFailure(SolverFailure.Reason.BAD_INPUT, t, component + 1,
          "the initial value of state component " + (component + 1) + " is " + value + "; give it a finite value");
      default -> new SolverFailure(SolverFailure.Reason.BAD_INPUT, t, "the generated solver returned the unknown status "
          + status);
    };
  }

  private static String fmt(double t) {
    return SolverInputs.format(t);
  }
}
