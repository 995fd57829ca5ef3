package dev.odec.solve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: the stiff problems of the IVP Test Set (F. Mazzia, C. Magherini, "Test Set for
 * Initial Value Problem Solvers", release 2.4, 2008) as the models in {@code examples/stiff/},
 * with the test set's reference solutions at the end of each problem's interval.
 *
 * <p>The reference values are read from {@code src/test/resources/stiff/reference.csv}, which
 * copies the numbers of the subroutine {@code solut} of each problem's Fortran file. They were
 * cross-checked offline with scipy's {@code solve_ivp} (Radau) on the equations typed in
 * independently ({@code src/test/resources/stiff/scipy_crosscheck.py}, output in
 * {@code scipy_crosscheck.txt}): HIRES, POLLU, OREGO and VDPOL agree to 1e-13 relative or better,
 * ROBER to 5e-13 (rtol 1e-13, atol 1e-24), E5's y2 and y3 to 2e-6 (the best scipy reaches over
 * [0, 1e13]), and E5's y1 (1.15e-291) and y4 (0) are below 1e-280 in both.
 *
 * <p>{@link Problem#atol} is the absolute tolerance a solver should be given with a relative
 * tolerance of 1e-10, following the test set's conventions for its runs: atol = rtol for HIRES,
 * POLLU, OREGO and VDPOL; atol = 1e-4 · rtol for ROBER (its y2 ends near 8.3e-14); and the fixed
 * atol = 1.7e-24 for E5, whose components fall to about 1e-22.
 */
public final class StiffTestSet {
  private StiffTestSet() {}

  /**
   * One problem: its name (the model's), the model file, the end of the interval (the start is
   * 0 for all six), the reference solution at {@code tEnd} by state name in the model's state
   * order, and the suggested absolute tolerance.
   */
  public record Problem(String name, Path model, double tEnd, Map<String, Double> reference, double atol) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The suggested relative tolerance that {@link Problem#atol} goes with. */
  public static final double RTOL = 1e-10;

  private static final String RESOURCE = "/stiff/reference.csv";

  private static List<Problem> all;

  /** The six problems: robertson, hires, pollution, orego, vanderpol, e5. */
  public static synchronized List<Problem> all() {
    if (all == null) all = load();
    return all;
  }

  /** The problem of that name; an {@link IllegalArgumentException} if there is none. */
  public static Problem get(String name) {
    for (Problem p : all()) {
      if (p.name().equals(name)) return p;
    }
    throw new IllegalArgumentException("no stiff test problem named " + name);
  }

  private static double atol(String name) {
    return switch (name) {
      case "robertson" -> 1e-4 * RTOL;
      case "hires", "pollution", "orego", "vanderpol" -> RTOL;
      case "e5" -> 1.7e-24;
      default -> throw new IllegalStateException("reference.csv names an unknown problem " + name);
    };
  }

  private static List<Problem> load() {
    Map<String, Map<String, Double>> refs = new LinkedHashMap<>();
    Map<String, Double> ends = new LinkedHashMap<>();
    try (InputStream in = StiffTestSet.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing test resource " + RESOURCE);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = null;
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank() || line.startsWith("#")) continue;
        if (header == null) {
          header = line;
          if (!header.equals("model,t_end,component,value,source")) {
            throw new IllegalStateException(RESOURCE + ": unexpected header " + header);
          }
          continue;
        }
        String[] f = line.split(",", 5);
        if (f.length != 5) throw new IllegalStateException(RESOURCE + ":" + lineNo + ": expected 5 fields");
        String model = f[0];
        double tEnd = Double.parseDouble(f[1]);
        Double previous = ends.putIfAbsent(model, tEnd);
        if (previous != null && previous != tEnd) {
          throw new IllegalStateException(RESOURCE + ":" + lineNo + ": two end times for " + model);
        }
        refs.computeIfAbsent(model, k -> new LinkedHashMap<>()).put(f[2], Double.parseDouble(f[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Problem> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, Double>> e : refs.entrySet()) {
      String name = e.getKey();
      out.add(new Problem(name, Path.of("examples", "stiff", name + ".ode"), ends.get(name),
          Collections.unmodifiableMap(e.getValue()), atol(name)));
    }
    return List.copyOf(out);
  }
}
