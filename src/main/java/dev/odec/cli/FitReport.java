package dev.odec.cli;

import dev.odec.infer.optim.Fit;
import dev.odec.infer.optim.FitProblem;
import dev.odec.infer.optim.MultiStart;
import dev.odec.infer.optim.ParameterSpace;
import dev.odec.infer.optim.Uncertainty;
import dev.odec.ir.OdeSystem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code fit} prints and writes: the table, the JSON of CLI.md, the NAME=VALUE file. */
final class FitReport {
  private final FitProblem problem;
  private final String optimizer;
  private final Fit.Result result;
  private final ParameterSpace space;
  private final double[] p;

  FitReport(FitProblem problem, String optimizer, Fit.Result result) {
    this.problem = problem;
    this.optimizer = optimizer;
    this.result = result;
    this.space = problem.space;
    this.p = result.theta() == null ? space.base() : space.toP(result.theta());
  }

  /** Every param component (estimated and held) with its value at the optimum. */
  private Map<String, Double> parameters() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (OdeSystem.ParamInfo info : problem.system.params()) {
      List<String> comps = info.var().componentNames();
      for (int i = 0; i < comps.size(); i++) out.put(comps.get(i), p[info.var().offset() + i]);
    }
    return out;
  }

  private int converged() {
    int n = 0;
    for (MultiStart.StartResult s : result.starts()) if (!s.failed() && s.result().converged()) n++;
    return n;
  }

  private int failed() {
    int n = 0;
    for (MultiStart.StartResult s : result.starts()) if (s.failed()) n++;
    return n;
  }

  String table() {
    StringBuilder sb = new StringBuilder();
    int total = result.starts().size();
    sb.append("objective: ").append(Numbers.format(result.objective())).append("  (").append(optimizer).append(", best of ")
        .append(total).append(total == 1 ? " start" : " starts").append(": start ").append(result.best() + 1).append("; ")
        .append(converged()).append(" converged, ").append(failed()).append(" failed)\n");
    Uncertainty u = result.uncertainty();
    sb.append(String.format(Locale.ROOT, "%-16s %-14s %-12s %-14s %-14s %s%n", "parameter", "estimate", "std_error",
        "lower_95", "upper_95", "scale"));
    for (int j = 0; j < space.size(); j++) {
      ParameterSpace.Component c = space.components().get(j);
      String se = u == null ? "-" : u.nonIdentifiable[j] ? "non-ident." : fmt(u.seNatural[j]);
      String lo = u == null || u.nonIdentifiable[j] ? "-" : fmt(u.lower[j]);
      String hi = u == null || u.nonIdentifiable[j] ? "-" : fmt(u.upper[j]);
      sb.append(String.format(Locale.ROOT, "%-16s %-14s %-12s %-14s %-14s %s%n", c.name(), fmt(p[c.index()]), se, lo, hi,
          c.scale()));
    }
    List<String> fixedNames = new ArrayList<>();
    java.util.Set<Integer> free = new java.util.HashSet<>();
    for (ParameterSpace.Component c : space.components()) free.add(c.index());
    parameters().forEach((name, v) -> {
      int idx = indexOf(name);
      if (!free.contains(idx)) fixedNames.add(name + " = " + Numbers.format(v));
    });
    if (!fixedNames.isEmpty()) sb.append("fixed: ").append(String.join(", ", fixedNames)).append('\n');
    return sb.toString();
  }

  private int indexOf(String componentName) {
    for (OdeSystem.ParamInfo info : problem.system.params()) {
      int i = info.var().componentNames().indexOf(componentName);
      if (i >= 0) return info.var().offset() + i;
    }
    return -1;
  }

  private static String fmt(double v) {
    if (!Double.isFinite(v)) return Numbers.format(v);
    return String.format(Locale.ROOT, "%.6g", v);
  }

  String assignments() {
    StringBuilder sb = new StringBuilder("# best params of odec fit (objective " + Numbers.format(result.objective())
        + "); use with --set @FILE\n");
    parameters().forEach((k, v) -> sb.append(k).append('=').append(Numbers.format(v)).append('\n'));
    return sb.toString();
  }

  private static String num(double v) {
    return Double.isFinite(v) ? Numbers.format(v) : "null";
  }

  String json() {
    StringBuilder sb = new StringBuilder("{\n  \"objective\": ").append(num(result.objective()));
    sb.append(",\n  \"parameters\": {");
    int k = 0;
    for (Map.Entry<String, Double> e : parameters().entrySet()) {
      sb.append(k++ == 0 ? "" : ", ").append(Json.string(e.getKey())).append(": ").append(num(e.getValue()));
    }
    sb.append("},\n  \"starts\": [");
    for (int i = 0; i < result.starts().size(); i++) {
      MultiStart.StartResult s = result.starts().get(i);
      sb.append(i == 0 ? "\n    " : ",\n    ").append("{\"start\": ").append(i + 1);
      sb.append(", \"initial\": {");
      for (int j = 0; j < space.size(); j++) {
        sb.append(j == 0 ? "" : ", ").append(Json.string(space.components().get(j).name())).append(": ")
            .append(num(space.natural(j, s.start()[j])));
      }
      sb.append('}');
      if (s.failed()) {
        sb.append(", \"objective\": null, \"converged\": false, \"iterations\": 0, \"evaluations\": 0, \"exit\": ")
            .append(Json.string(s.failureKind())).append(", \"failure\": ").append(Json.string(s.failure()));
      } else {
        sb.append(", \"objective\": ").append(num(s.result().objective())).append(", \"converged\": ")
            .append(s.result().converged()).append(", \"iterations\": ").append(s.result().iterations())
            .append(", \"evaluations\": ").append(s.result().evaluations()).append(", \"exit\": ")
            .append(Json.string(s.result().exit()));
      }
      sb.append(", \"time_s\": ").append(String.format(Locale.ROOT, "%.4f", s.seconds())).append('}');
    }
    sb.append("\n  ],\n  \"best_start\": ").append(result.best() + 1);
    sb.append(",\n  \"optimizer\": ").append(Json.string(optimizer));
    sb.append(",\n  \"estimated\": [");
    for (int j = 0; j < space.size(); j++) sb.append(j == 0 ? "" : ", ").append(Json.string(space.components().get(j).name()));
    sb.append(']');
    Uncertainty u = result.uncertainty();
    if (u != null) {
      sb.append(",\n  \"uncertainty_from\": ").append(Json.string(result.uncertaintyFrom()));
      sb.append(",\n  \"standard_errors\": {");
      for (int j = 0; j < space.size(); j++) {
        sb.append(j == 0 ? "" : ", ").append(Json.string(space.components().get(j).name())).append(": ").append(num(u.seNatural[j]));
      }
      sb.append("},\n  \"standard_errors_scaled\": {");
      for (int j = 0; j < space.size(); j++) {
        sb.append(j == 0 ? "" : ", ").append(Json.string(space.components().get(j).name())).append(": ").append(num(u.se[j]));
      }
      sb.append("},\n  \"intervals_95\": {");
      for (int j = 0; j < space.size(); j++) {
        sb.append(j == 0 ? "" : ", ").append(Json.string(space.components().get(j).name())).append(": [")
            .append(u.nonIdentifiable[j] ? "null" : num(u.lower[j])).append(", ")
            .append(u.nonIdentifiable[j] ? "null" : num(u.upper[j])).append(']');
      }
      sb.append("},\n  \"correlation\": [");
      for (int i = 0; i < space.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append('[');
        for (int j = 0; j < space.size(); j++) sb.append(j == 0 ? "" : ", ").append(num(u.correlation[i][j]));
        sb.append(']');
      }
      sb.append("],\n  \"non_identifiable\": [");
      int n = 0;
      for (int j = 0; j < space.size(); j++) {
        if (u.nonIdentifiable[j]) sb.append(n++ == 0 ? "" : ", ").append(Json.string(space.components().get(j).name()));
      }
      sb.append("],\n  \"null_directions\": [");
      for (int d = 0; d < u.nullDirections.size(); d++) {
        sb.append(d == 0 ? "" : ", ").append('{');
        double[] v = u.nullDirections.get(d);
        for (int j = 0; j < v.length; j++) {
          sb.append(j == 0 ? "" : ", ").append(Json.string(space.components().get(j).name())).append(": ").append(num(v[j]));
        }
        sb.append('}');
      }
      sb.append(']');
    }
    return sb.append("\n}\n").toString();
  }

  /** "3 × integration failure (e.g. ...); ..." (see {@link Fit.Result#failureSummary}). */
  String failureSummary() {
    return result.failureSummary();
  }

  void warnings(PrintWriter err) {
    if (failed() > 0) err.println("odec: warning: " + failed() + " of " + result.starts().size() + " starts failed: "
        + failureSummary());
    if (result.uncertaintyFailure() != null) {
      err.println("odec: warning: no standard errors: the " + result.uncertaintyFrom() + " could not be computed ("
          + result.uncertaintyFailure() + ")");
    }
    Uncertainty u = result.uncertainty();
    if (u != null) {
      for (double[] v : u.nullDirections) {
        StringBuilder dir = new StringBuilder();
        for (int j = 0; j < v.length; j++) {
          if (Math.abs(v[j]) <= Uncertainty.NULL_COMPONENT) continue;
          dir.append(dir.length() == 0 ? "" : ", ").append(space.components().get(j).name()).append(' ')
              .append(String.format(Locale.ROOT, "%+.3f", v[j]));
        }
        err.println("odec: warning: the data do not determine the combination (" + dir
            + ") of the parameters (in their scales): these are non-identifiable");
      }
    }
    err.flush();
  }
}
