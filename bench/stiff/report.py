#!/usr/bin/env python3
"""Writes the "Stiff solvers" section of docs/BENCHMARKS.md from bench/stiff.sh's results
(between <!-- stiff:begin --> and <!-- stiff:end -->; appended when absent, the rest kept).

usage: report.py RESDIR BENCHMARKS.md
"""
import glob
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import problems as P  # noqa: E402

ORDER = ["robertson", "hires", "pollution", "net100", "net1000", "net10000"]
TITLE = {"robertson": "Robertson (n = 3, t to 1e11)", "hires": "HIRES (n = 8)", "pollution": "Pollution (n = 20)",
         "net100": "Network, 100 species / 200 reactions", "net1000": "Network, 1,000 species / 2,000 reactions",
         "net10000": "Network, 10,000 species / 20,000 reactions"}


def rows(res, pid):
    out = []
    for tool in ["odec", "cvode", "scipy"]:
        path = f"{res}/{pid}.{tool}.tsv"
        if not os.path.exists(path):
            continue
        for line in open(path):
            c = line.rstrip("\n").split("\t")
            if len(c) < 16:
                continue
            r = dict(problem=c[0], n=int(c[1]), rtol=float(c[2]), atol=float(c[3]), tool=c[4], method=c[5],
                     med=float(c[6]), min=float(c[7]), samples=int(c[8]), nfe=int(c[10]), jac=int(c[11]),
                     lu=int(c[12]), steps=int(c[13]))
            pre = f"{res}/{pid}.{tool}.{r['method']}."
            st = [f for f in glob.glob(pre + "*.state") if float(f[len(pre):-len(".state")]) == r["rtol"]]
            r["y"] = np.loadtxt(st[0]) if st else None
            out.append(r)
    return out


def reference(res, pid):
    if pid.startswith("net"):
        for kind in ["radau", "odec"]:
            f = f"{res}/{pid}.ref.{kind}.state"
            if os.path.exists(f):
                return np.loadtxt(f), kind
        return None, None
    pr = P.by_name(pid, None)
    ref = P.reference_csv()[pid]
    return np.array([ref[nm] for nm in pr.names]), "IVP Test Set"


def floor(pid):
    return P.NET_FLOOR if pid.startswith("net") else {"robertson": 1e-8, "hires": 1e-5, "pollution": 1e-10}[pid]


def ms(x):
    return f"{x * 1e3:.3g}" if x < 10 else f"{x * 1e3:.0f}"


def cvode_at(cv, s):
    """CVODE's time at s digits: log-time linear in digits between the two bracketing tolerances
    (extrapolated from the nearest two outside CVODE's range)."""
    pts = sorted((r["scd"], math.log(r["med"])) for r in cv if r["scd"] is not None)
    if len(pts) < 2:
        return None, ""
    note = ""
    if s <= pts[0][0]:
        a, b = pts[0], pts[1]
        note = "extrap." if s < pts[0][0] - 0.05 else ""
    elif s >= pts[-1][0]:
        a, b = pts[-2], pts[-1]
        note = "extrap." if s > pts[-1][0] + 0.05 else ""
    else:
        for a, b in zip(pts, pts[1:]):
            if a[0] <= s <= b[0]:
                break
    if b[0] == a[0]:
        return math.exp(a[1]), note
    return math.exp(a[1] + (s - a[0]) * (b[1] - a[1]) / (b[0] - a[0])), note


def profile(res):
    out = []
    for f in sorted(glob.glob(f"{res}/profile_*.tsv")):
        what = os.path.basename(f)[8:-4].replace("_", " ")
        out.append(f"\n`{what}`, rtol 1e-6 (JFR `settings=profile`, samples on the whole stack, "
                   "`bench/stiff/profile_stiff.py`):\n")
        out.append("| share | samples | where |\n|---:|---:|---|")
        for line in list(open(f))[1:]:
            sh, n, cat = line.rstrip("\n").split("\t")
            out.append(f"| {float(sh) * 100:.1f} % | {n} | {cat.strip()} |")
    return out


def main(res, md_path):
    lines = ["<!-- stiff:begin -->", "## Stiff solvers", "",
             "Written by `bench/stiff.sh` (about 15 minutes; `BENCH_QUICK=1` for a harness check, `STIFF_BIG=0` "
             "without n = 10,000). odec `bdf`, `rodas5` and `auto` through `Integrator.of` with the generated "
             "sparse Jacobian (`CompiledModel.jacobian(p)`), one integrator reused for every solve "
             "(`bench/java/dev/odec/bench/StiffBench.java`); SUNDIALS CVODE BDF with Newton and a hand-written "
             "dense analytic Jacobian (Robertson, HIRES, Pollution: `bench/stiff/cvode/*.h`), and for the "
             "networks a compressed-row Jacobian written as C by the generator, solved with KLU "
             "(`SUNLinSol_KLU`; one CVODE instance, `CVodeReInit` per solve); scipy `solve_ivp` BDF, Radau and "
             "LSODA with analytic Jacobians (`bench/stiff/problems.py`; sparse for the networks, LSODA dense "
             "and only to n = 100: dense LU of n = 1,000 took 11–75 s per solve). A solve goes from 0 to t1 and keeps y(t1).", "",
             "Accuracy: atol = rtol × floor (floor: Robertson 1e-8, HIRES 1e-5, Pollution 1e-10, networks 1e-6), "
             "and **digits** = significant correct digits at t1 = −log10 of the largest relative error over "
             "the reference components above the floor, as `StiffSolversTest`. References: the IVP Test Set's "
             "values (`src/test/resources/stiff/reference.csv`); for the networks scipy Radau at rtol 1e-12 "
             "(n ≤ 1,000) or odec bdf at rtol 1e-12 (n = 10,000, cross-checked with CVODE at 1e-12 below).", "",
             "Networks (`bench/stiff/gen_network.py N`, seed 1): 2N mass-action reactions, half Sa → Sb, half "
             "Sa + Sb → Sc + Sd, species of a reaction within 7 neighbouring indices (a local network: bounded "
             "LU fill), rate constants 10^U(−2, 4), t in [0, 100]; the .ode, the C and the scipy description "
             "come from one generator.", "",
             "Times: median (min) per solve in ms after warm-up; odec and CVODE medians over samples of several "
             "solves, scipy over up to 7 solves; the network rows are over few solves (see versions). "
             "Same machine, same run, 2 shared cores.", ""]
    lines += ["```", open(f"{res}/versions.txt").read().strip(), "```", ""]
    summary = []
    scaling = {}
    for pid in ORDER:
        rs = rows(res, pid)
        if not rs:
            continue
        ref, kind = reference(res, pid)
        for r in rs:
            r["scd"] = P.scd(r["y"], ref, floor(pid)) if r["y"] is not None and ref is not None else None
        lines += [f"### {TITLE[pid]}", "", f"Reference: {kind}.", "",
                  "| tool | method | rtol | median ms | min ms | nfe | Jac | LU | steps | digits |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in sorted(rs, key=lambda r: (r["tool"] != "odec", r["tool"] != "cvode", r["method"], -r["rtol"])):
            steps = r["steps"] if r["steps"] >= 0 else ""
            d = f"{r['scd']:.2f}" if r["scd"] is not None else ""
            lines.append(f"| {r['tool']} | {r['method']} | {r['rtol']:.0e} | {ms(r['med'])} | {ms(r['min'])} | "
                         f"{r['nfe']} | {r['jac']} | {r['lu']} | {steps} | {d} |")
        cv = [r for r in rs if r["tool"] == "cvode"]
        lines += ["", "odec against CVODE at equal accuracy (CVODE's time at odec's digits, log-time interpolated "
                  "between CVODE's tolerances; *extrap.* where odec's digits lie outside CVODE's range):", "",
                  "| odec method | rtol | digits | odec ms | CVODE ms at those digits | ratio |",
                  "|---|---:|---:|---:|---:|---:|"]
        for r in [r for r in rs if r["tool"] == "odec"]:
            if r["scd"] is None:
                continue
            tc, note = cvode_at(cv, r["scd"])
            if tc is None:
                # one CVODE point only (n = 10,000): the same tolerance
                same = [c for c in cv if c["rtol"] == r["rtol"]]
                if not same:
                    continue
                tc, note = same[0]["med"], f"same rtol (CVODE {same[0]['scd']:.2f} digits)"
            ratio = r["med"] / tc
            lines.append(f"| {r['method']} | {r['rtol']:.0e} | {r['scd']:.2f} | {ms(r['med'])} | {ms(tc)} {note} | "
                         f"{ratio:.2f} |")
            summary.append((pid, r["method"], r["rtol"], r["scd"], ratio, note))
        lines.append("")
        if pid.startswith("net"):
            for r in rs:
                if r["rtol"] == 1e-6:
                    scaling.setdefault((r["tool"], r["method"]), {})[r["n"]] = r["med"]
            if pid == "net10000" and os.path.exists(f"{res}/{pid}.ref.cvode.state"):
                other = np.loadtxt(f"{res}/{pid}.ref.cvode.state")
                lines += [f"Reference cross-check: CVODE at rtol 1e-12 agrees with odec bdf at rtol 1e-12 to "
                          f"{P.scd(other, ref, floor(pid)):.2f} digits.", ""]
    if scaling:
        ns = sorted({n for v in scaling.values() for n in v})
        lines += ["### Cost against network size (rtol 1e-6)", "",
                  "| tool | method | " + " | ".join(f"n = {n}: ms (µs per species)" for n in ns) + " |",
                  "|---|---|" + "---:|" * len(ns)]
        for (tool, m), v in sorted(scaling.items()):
            cells = [f"{ms(v[n])} ({v[n] / n * 1e6:.1f})" if n in v else "" for n in ns]
            lines.append(f"| {tool} | {m} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["### Where odec's time goes", ""] + profile(res) + [""]
    lines += ["### Summary: odec / CVODE time at equal accuracy (target ≤ 1.5)", "",
              "| problem | method | rtol | digits | ratio | target |", "|---|---|---:|---:|---:|---|"]
    for pid, m, rt, s, ratio, note in summary:
        lines.append(f"| {pid} | {m} | {rt:.0e} | {s:.2f} | {ratio:.2f}{' (' + note + ')' if note else ''} | "
                     f"{'met' if ratio <= 1.5 else 'missed'} |")
    lines += ["<!-- stiff:end -->"]
    section = "\n".join(lines) + "\n"
    text = open(md_path).read() if os.path.exists(md_path) else ""
    b, e = text.find("<!-- stiff:begin -->"), text.find("<!-- stiff:end -->")
    if b >= 0 and e >= 0:
        text = text[:b] + section + text[e + len("<!-- stiff:end -->\n"):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(md_path, "w").write(text)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
