#!/usr/bin/env python3
"""Writes the "Ensembles" section of docs/BENCHMARKS.md from bench/ensemble.sh's results (replacing the
section between its markers, or appending it). GPU figures are not written here: bench/gpu.sh prints them on
the machine with the GPU, and they are copied into the section's GPU table by hand with the machine named."""
import csv
import re
import sys

BEGIN, END = "<!-- ensembles:begin -->", "<!-- ensembles:end -->"
CASES = [("lv_tsit5", "Lotka–Volterra, tsit5, rtol 1e-6, atol 1e-8, t in [0, 10]"),
         ("lv_dopri5", "Lotka–Volterra, dopri5, rtol 1e-6, atol 1e-8, t in [0, 10]"),
         ("robertson_rodas5", "Robertson, rodas5, rtol 1e-6, atol 1e-10, t in [0, 1e5]")]


def stats(path):
    out = {}
    for line in open(path):
        if ": " in line and not line.startswith("odec:"):
            k, v = line.strip().split(": ", 1)
            out[k] = v
    return out


def max_rel_diff(a, b):
    worst = 0.0
    with open(a) as fa, open(b) as fb:
        ra, rb = csv.reader(fa), csv.reader(fb)
        next(ra), next(rb)
        for x, y in zip(ra, rb):
            scale = max(abs(float(v)) for v in x[2:])
            for u, v in zip(x[2:], y[2:]):
                worst = max(worst, abs(float(u) - float(v)) / max(scale, 1e-300))
    return worst


def gpu_table(old):
    """The GPU table as it stands in the document (filled in by hand from bench/gpu.sh), or the placeholder."""
    m = re.search(r"<!-- gpu:begin -->.*?<!-- gpu:end -->", old, re.S)
    if m:
        return m.group(0).splitlines()
    return ["<!-- gpu:begin -->",
            "Not measured yet: no GPU was available to the session that built the CUDA backend. Run `bench/gpu.sh` on a "
            "machine with an NVIDIA GPU and nvcc (no JVM needed) and copy its table here with the machine's name; "
            "targets: ≥ 20× the throughput of torchdiffeq and diffrax ensembles on the same GPU, and a 10⁶-member "
            "Lotka–Volterra ensemble in under 100 ms.",
            "<!-- gpu:end -->"]


def main(res, md):
    versions = [l.strip() for l in open(f"{res}/versions.txt")]
    text = open(md).read()
    lines = [BEGIN, "## Ensembles: generated C and CUDA", "",
             "Written by `bench/ensemble.sh` (CPU) from its last run; the GPU table comes from `bench/gpu.sh`.", ""]
    lines += [f"- {v}" for v in versions]
    lines += ["- Members: 10,000 per problem, the nominal parameters each varied by ±10% (bench mode's draws, "
              "`bench/gpu/reference.py`), passed with `--ensemble FILE.csv`; 11 output times.",
              "- **jvm**: `odec run --ensemble` on the JVM backend: members one after another with one integrator.",
              "- **c**: the same command with `--backend c`: the generated C program (model, solver, step-size control), "
              "`cc -O2 -std=c99 -ffp-contract=off`, members one after another on one core, run as a child process.",
              "- Time: `wall_ms` of `--stats`, the median of " + "3 solves of the whole ensemble (the JVM's after one untimed "
              "warm-up); it excludes start-up, code generation, compilation and the CSV output.",
              "- Agreement: the largest difference between the two CSVs, relative to the largest state component of "
              "the row.", "",
              "| problem | jvm ms | c ms | jvm / c | steps (total) | nfe (total) | failed | max rel. difference |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for cid, title in CASES:
        j = stats(f"{res}/{cid}.jvm.stats")
        c = stats(f"{res}/{cid}.c.stats")
        diff = max_rel_diff(f"{res}/{cid}.jvm.csv", f"{res}/{cid}.c.csv")
        jm, cm = float(j["wall_ms"]), float(c["wall_ms"])
        same = "same" if (j["steps"], j["nfe"]) == (c["steps"], c["nfe"]) else f"jvm {j['steps']}/{j['nfe']}"
        lines.append(f"| {title} | {jm:,.1f} | {cm:,.1f} | {jm / cm:.2f} | {int(c['steps']):,} ({same}) | "
                     f"{int(c['nfe']):,} | {c['failed']} | {diff:.1e} |")
    ratios = [float(stats(f"{res}/{cid}.jvm.stats")["wall_ms"]) / float(stats(f"{res}/{cid}.c.stats")["wall_ms"])
              for cid, _ in CASES]
    inside = sum(1 for r in ratios if 1 / 1.5 <= r <= 1.5)
    verdict = ("**met**" if inside == len(ratios) else
               f"**missed** on {len(ratios) - inside} of {len(ratios)}: the C backend is "
               + ", ".join(f"{r:.2f}×" for r in ratios) + " as fast as the JVM's ensemble")
    lines += ["", f"Target: the C backend within 1.5× of the JVM's ensemble either way (0.67 ≤ jvm / c ≤ 1.5): {verdict}. "
              "The machine is shared (see the load average), so single figures are noisy.", ""]
    lines += ["### Generating the program of a 1,000-reaction network", "",
              "`dev.odec.bench.CodegenBench` on `bench/stiff/gen_network.py 500` (500 species, 1,000 reactions): from "
              "the checked model to the source text, as `odec compile --emit c|cuda` after the front end: the sparse "
              "Jacobian, the VJP and the backsolve adjoint system built symbolically, then emitted. Median and min of "
              "15 runs after 3 warm-ups (target: well under a second).", "",
              "| target | states | IR nodes | source bytes | median ms | min ms |", "|---|---:|---:|---:|---:|---:|"]
    for t in ("c", "cuda"):
        kv = dict(x.split("=", 1) for x in open(f"{res}/codegen_{t}.txt").read().split())
        lines.append(f"| {t} | {kv['states']} | {int(kv['graph_nodes']):,} | {int(kv['source_bytes']):,} | "
                     f"{float(kv['median_ms']):.0f} | {float(kv['min_ms']):.0f} |")
    lines += ["", "### GPU", ""] + gpu_table(text) + ["", END]
    section = "\n".join(lines) + "\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section.rstrip("\n") + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(md, "w").write(text)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
