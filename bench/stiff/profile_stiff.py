#!/usr/bin/env python3
"""Where a stiff solve's time goes, from a JFR recording's jdk.ExecutionSample events: every sample
is put in one category by the frames on its whole stack (inclusive), in this order:
  LU factorisation  IterationMatrix.factor (forming I - gamma J and factoring it)
  LU solves         IterationMatrix.solve
  Jacobian          CompiledJacobian.eval / IterationMatrix.evaluateJacobian (the generated code)
  RHS               the compiled right-hand side (BoundFunction / generated classes, outside the above)
  solver            everything else under the solver (Bdf, Rosenbrock, ... : Newton updates, error
                    estimates, Nordsieck/history arrays, step control, output)
plus the top frames inside "solver" and "LU".

Usage: profile_stiff.py RECORDING.jfr OUT.tsv
"""
import collections
import json
import subprocess
import sys

CATS = [("LU factorisation", ("IterationMatrix.factor",)),
        ("LU solves", ("IterationMatrix.solve",)),
        ("Jacobian", ("CompiledJacobian.eval", "IterationMatrix.evaluateJacobian")),
        ("RHS", ("BoundFunction.eval",))]


def name(frame):
    m = frame["method"]
    cls = m["type"]["name"].replace("/", ".")
    return f"{cls}.{m['name']}"


def main(jfr_file, out):
    text = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", jfr_file],
                          check=True, capture_output=True, text=True).stdout
    events = json.loads(text)["recording"]["events"]
    cats = collections.Counter()
    tops = collections.Counter()
    for e in events:
        frames = [name(f) for f in e["values"]["stackTrace"]["frames"]]
        if not frames or not any(".solve." in f or "StiffProfile" in f for f in frames):
            continue
        cat = None
        for c, marks in CATS:
            if any(any(f.endswith(mk) for mk in marks) for f in frames):
                cat = c
                break
        if cat is None:
            cat = "RHS" if (".Fn_" in frames[0] or not frames[0].startswith(("dev.odec.", "java.", "jdk."))) else "solver"
        cats[cat] += 1
        if cat in ("solver", "LU factorisation", "LU solves"):
            tops[f"{cat}: {frames[0]}"] += 1
    total = sum(cats.values())
    with open(out, "w") as fh:
        fh.write("share\tsamples\tcategory\n")
        for c, _ in CATS + [("solver", ())]:
            fh.write(f"{cats[c] / total:.3f}\t{cats[c]}\t{c}\n")
        for t, k in tops.most_common(8):
            fh.write(f"{k / total:.3f}\t{k}\t  top frame {t}\n")
    print(f"{total} samples", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
