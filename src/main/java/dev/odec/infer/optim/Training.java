package dev.odec.infer.optim;

import dev.odec.runtime.InputError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a long Adam run keeps on disk ({@code odec fit --optimizer adam}): the loss curve (one CSV
 * row per epoch: {@code epoch,loss,best}), a checkpoint every {@code every} epochs — Adam's whole
 * state (the iterate, both moment vectors, the step count, the epoch, the best iterate and its
 * loss), written to a temporary file and renamed so that a crash never leaves half a checkpoint —
 * and the state to resume from. A checkpoint is written only after an epoch whose loss was finite,
 * so after a NaN loss the file holds the last good state.
 *
 * @param checkpoint where to write checkpoints (null: none)
 * @param every epochs between checkpoints
 * @param resume a checkpoint to start from (null: start afresh)
 * @param lossCurve where to write the loss curve (null: nowhere)
 */
public record Training(Path checkpoint, int every, Path resume, Path lossCurve) {
  /** Adam's state after an epoch. */
  public record State(int epoch, long step, double[] x, double[] m, double[] v, double best, double[] bestX) {}

  /** The loss of each finished epoch, in order (the curve written to {@link #lossCurve}). */
  private static final String HEADER = "epoch,loss,best";

  /** Reads the checkpoint to resume from; its dimension must be n. */
  public State readResume(int n) {
    if (resume == null) return null;
    List<String> lines;
    try {
      lines = Files.readAllLines(resume, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw InputError.input("cannot read the checkpoint " + resume + ": " + e.getMessage());
    }
    try {
      if (lines.size() != 6 || !lines.get(0).startsWith("odec-adam-checkpoint ")) {
        throw new IllegalArgumentException("not an odec Adam checkpoint");
      }
      String[] head = lines.get(0).split(" ");
      int epoch = Integer.parseInt(head[1]);
      long step = Long.parseLong(head[2]);
      double best = Double.parseDouble(head[3]);
      double[] x = vector(lines.get(1), n);
      double[] m = vector(lines.get(2), n);
      double[] v = vector(lines.get(3), n);
      double[] bestX = vector(lines.get(4), n);
      if (!lines.get(5).equals("end")) throw new IllegalArgumentException("the checkpoint is cut short");
      return new State(epoch, step, x, m, v, best, bestX);
    } catch (RuntimeException e) {
      throw InputError.input("the checkpoint " + resume + " cannot be resumed: " + e.getMessage());
    }
  }

  private static double[] vector(String line, int n) {
    String[] cells = line.split(",");
    if (cells.length != n) {
      throw new IllegalArgumentException("it has " + cells.length + " parameters, the fit has " + n
          + " (was it written for another model or other --fix options?)");
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = Double.parseDouble(cells[i]);
    return v;
  }

  /** Called after every epoch with a finite loss: the loss curve row, and the checkpoint when due. */
  public void epochDone(State s, double loss) {
    if (lossCurve != null) {
      String row = String.format(Locale.ROOT, "%d,%s,%s%n", s.epoch(), repr(loss), repr(s.best()));
      try {
        if (s.epoch() == 1 || !Files.exists(lossCurve)) {
          Files.writeString(lossCurve, HEADER + "\n" + row, StandardCharsets.UTF_8);
        } else {
          Files.writeString(lossCurve, row, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
      } catch (IOException e) {
        throw InputError.usage("cannot write the loss curve " + lossCurve + ": " + e.getMessage());
      }
    }
    if (checkpoint != null && s.epoch() % Math.max(1, every) == 0) write(s);
  }

  private void write(State s) {
    StringBuilder sb = new StringBuilder("odec-adam-checkpoint ").append(s.epoch()).append(' ').append(s.step())
        .append(' ').append(repr(s.best())).append('\n');
    for (double[] v : new double[][] {s.x(), s.m(), s.v(), s.bestX()}) {
      List<String> cells = new ArrayList<>(v.length);
      for (double d : v) cells.add(repr(d));
      sb.append(String.join(",", cells)).append('\n');
    }
    sb.append("end\n");
    Path abs = checkpoint.toAbsolutePath();
    try {
      Path tmp = Files.createTempFile(abs.getParent(), ".odec-checkpoint-", ".tmp");
      try {
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw InputError.usage("cannot write the checkpoint " + checkpoint + ": " + e.getMessage());
    }
  }

  /** The shortest decimal that reads back to the same double. */
  private static String repr(double d) {
    return Double.toString(d);
  }
}
