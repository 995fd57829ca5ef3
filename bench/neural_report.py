#!/usr/bin/env python3
"""Writes the "Neural ODEs" section of docs/BENCHMARKS.md from bench/neural.sh's results.
usage: neural_report.py RESULTS_DIR BENCHMARKS.md
The section lies between <!-- neural:begin --> and <!-- neural:end -->; it is replaced when
present, appended otherwise, so the other sections are kept.
"""
import csv
import datetime
import os
import platform
import re
import sys

BEGIN = "<!-- neural:begin -->"
END = "<!-- neural:end -->"


def read(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def ms(s):
    return f"{1e3 * s:,.2f}" if s < 1 else f"{1e3 * s:,.0f}"


def main():
    res, md = sys.argv[1], sys.argv[2]
    rows = read(os.path.join(res, "odec.tsv")) + read(os.path.join(res, "torch.tsv"))
    get = {(r["case"], r["backend"], int(r["batch"])): r for r in rows}
    batches = sorted({int(r["batch"]) for r in rows})
    torch_v = open(os.path.join(res, "torch_version.txt")).read().split() if os.path.exists(
        os.path.join(res, "torch_version.txt")) else None
    skipped = open(os.path.join(res, "torch_skipped.txt")).read().strip() if os.path.exists(
        os.path.join(res, "torch_skipped.txt")) else None
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = open("/proc/loadavg").read().strip()
    out = [BEGIN, "## Neural ODEs", ""]
    out.append("Written by `bench/neural.sh`; every figure below comes from its last run. Do not edit by hand.")
    out.append("")
    out.append(f"- Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; odec `{open(os.path.join(res, 'commit.txt')).read().strip()}`")
    out.append(f"- Machine: `nproc` = {os.cpu_count()}, CPU `{cpu}`, Linux {platform.release()}; load average "
               f"when the report was written: `{load}` (shared machine: absolute times are noisy)")
    if torch_v:
        out.append(f"- PyTorch {torch_v[0]} (Debian's python3-torch), {torch_v[1]} intra-op thread(s), float64")
    else:
        out.append(f"- PyTorch reference: {skipped}")
    out.append("- Problem: `bench/models/mlp64.ode`, dz/dt = W2 tanh(W1 z + b1) + b2 with 2 -> 64 -> 2, seeded "
               "weights, B starts drawn from N(0, I), t in [0, 1], dopri5, rtol 1e-6, atol 1e-8, the state at t = 1.")
    out.append("- odec: `BatchRk` (one batched right-hand side per stage, per-trajectory step control) with the JVM "
               "backend row by row, and with ND4J (nd4j-native 1.0.0-M2.1, the weights shared by all rows so "
               "each layer is one GEMM over the batch). Training step: the loss 0.5 Σ |z(1) − target|² and its "
               "gradient with respect to all 322 weights by the backsolve adjoint (`BacksolveAdjoint`, the "
               "generated adjoint system), the batch as B experiments on the JVM.")
    out.append("- PyTorch: `bench/neural/torch_ref.py`, written for this benchmark (torchdiffeq cannot be "
               "installed here): a plain batched Dormand–Prince 5(4) loop with torchdiffeq's error control "
               "(one step size for the batch, RMS norm over all elements); the training step backpropagates "
               "through the solver's steps (autograd), not an adjoint.")
    out.append("- Time: median over repeated runs after one untimed run (`NeuralBench.java`, `torch_ref.py`).")
    out.append("")
    out.append("| case | B | odec JVM ms | odec ND4J ms | PyTorch ms | best odec / PyTorch | trajectories/s (best odec) |")
    out.append("|---|---|---|---|---|---|---|")
    for case in ("forward", "train"):
        for b in batches:
            j = get.get((case, "jvm", b))
            n = get.get((case, "nd4j", b))
            t = get.get((case, "torch", b))
            if not (j or n or t):
                continue
            best = min([float(x["median_s"]) for x in (j, n) if x] or [float("nan")])
            cells = [case, f"{b:,}"]
            for x in (j, n, t):
                cells.append(ms(float(x["median_s"])) if x else "not measured")
            if t and best == best:
                cells.append(f"{float(t['median_s']) / best:.2f}× faster" if best < float(t["median_s"])
                             else f"{best / float(t['median_s']):.2f}× slower")
            else:
                cells.append("-")
            cells.append(f"{b / best:,.0f}" if best == best else "-")
            out.append("| " + " | ".join(cells) + " |")
    out.append("")
    steps = {(r["backend"], int(r["batch"])): r["steps_mean"] for r in rows if r["case"] == "forward"}
    out.append("Steps per trajectory (forward): " + ", ".join(
        f"B={b:,}: odec {steps.get(('jvm', b), '-')} (mean over trajectories), PyTorch {steps.get(('torch', b), '-')} "
        f"(one step size for the batch)" for b in batches) + ".")
    out.append("")
    st = os.path.join(res, "startup_s.txt")
    if os.path.exists(st):
        times = sorted(float(x) for x in open(st).read().split() if x.replace(".", "", 1).isdigit())
        nd = open(os.path.join(res, "nd4j_classes.txt")).read().strip()
        if times:
            out.append(f"Start-up: `./odec run examples/lotka_volterra.ode --t1 10` as a whole process, median "
                       f"{times[len(times) // 2]:.2f} s (min {times[0]:.2f} s) over {len(times)} runs; ND4J or "
                       f"JavaCPP classes loaded by it: {nd} (ND4J loads only when a batched solve runs a GEMM).")
            out.append("")
    out.append("Training at B = 65,536 is not measured for odec: the adjoint runs experiment by experiment on "
               "the JVM (a batched adjoint on ND4J is not built yet).")
    out.append(END)
    section = "\n".join(out) + "\n"
    text = open(md).read() if os.path.exists(md) else ""
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", lambda m: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(md, "w").write(text)


if __name__ == "__main__":
    main()
