package dev.odec.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long command on stderr (CLI.md): a bar (me.tongfei:progressbar) with the count,
 * the elapsed time and a message when stderr is a terminal, plain lines when it is not and
 * {@code --progress} asks for them, nothing otherwise. Whether stderr is a terminal is passed by
 * the launcher as {@code -Dodec.stderr.tty=true} (the JDK cannot tell for stderr alone).
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;
  private final PrintWriter lines;
  private final long begin = System.nanoTime();

  private Progress(ProgressBar bar, PrintWriter lines) {
    this.bar = bar;
    this.lines = lines;
  }

  static boolean stderrIsTerminal() {
    return Boolean.getBoolean("odec.stderr.tty");
  }

  static Progress open(PrintWriter err, boolean forced, String task, int total) {
    if (stderrIsTerminal()) {
      ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(200).build();
      return new Progress(bar, null);
    }
    return new Progress(null, forced ? err : null);
  }

  /** One more unit done; {@code message} says what (the best objective so far). */
  void step(int done, int total, String message) {
    if (bar != null) {
      bar.stepTo(done);
      bar.setExtraMessage(message);
    } else if (lines != null) {
      lines.println("odec: " + done + "/" + total + " " + message + ", "
          + String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - begin) / 1e9));
      lines.flush();
    }
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
