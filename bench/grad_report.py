#!/usr/bin/env python3
"""Writes the "Gradients" section of docs/BENCHMARKS.md from bench/grad.sh's results.

usage: grad_report.py RESULTS_DIR BENCHMARKS.md [LV_POINT]

The section lies between <!-- gradients:begin --> and <!-- gradients:end -->; it is replaced
when present, appended otherwise, so the sections written by bench/run.sh are kept.
"""
import csv
import datetime
import os
import platform
import re
import subprocess
import sys

BEGIN = "<!-- gradients:begin -->"
END = "<!-- gradients:end -->"
METHODS = ["adjoint", "checkpoint", "forward", "discrete"]
NAMES = {"objective": "**forward solve (objective)**", "solve": "plain solve, no likelihood"}


def read_tsv(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def us(s):
    v = float(s) * 1e6
    return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"


def ratio(x):
    return f"{x:.2f}" if x < 100 else f"{x:,.0f}"


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = open("/proc/loadavg").read().strip() if os.path.exists("/proc/loadavg") else "?"
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return os.cpu_count(), cpu, load, java


def main():
    res, md = sys.argv[1], sys.argv[2]
    lv_at = sys.argv[3] if len(sys.argv) > 3 else open(os.path.join(res, "lv_at.txt")).read().strip()
    lv = read_tsv(os.path.join(res, "lv.grad.tsv"))
    nn_ids = sorted({f[:-len(".grad.tsv")] for f in os.listdir(res) if f.startswith("nn_h") and f.endswith(".grad.tsv")},
                    key=lambda s: int(s[4:]))
    nn = [r for i in nn_ids for r in read_tsv(os.path.join(res, i + ".grad.tsv"))]
    lvg = read_tsv(os.path.join(res, "lv.gradients.tsv"))
    cv_path = os.path.join(res, "cvodes.tsv")
    cv = read_tsv(cv_path) if os.path.exists(cv_path) else []
    versions = open(os.path.join(res, "versions.txt")).read().strip().splitlines()
    sund = open(os.path.join(res, "sundials_version.txt")).read().strip() if os.path.exists(
        os.path.join(res, "sundials_version.txt")) else None
    ncpu, cpu, load, java = machine()

    def get(rows, **kw):
        return [r for r in rows if all(r[k] == v for k, v in kw.items())]

    out = [BEGIN, "## Gradients", ""]
    out.append("Written by `bench/grad.sh` (also run by `BENCH_GRAD=1 bench/run.sh`); every figure below comes "
               "from its last run. Do not edit by hand.")
    out.append("")
    out.append(f"- Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC")
    out.append(f"- Machine: `nproc` = {ncpu}, CPU `{cpu}`, Linux {platform.release()}; load average when the "
               f"report was written: `{load}`")
    out.append(f"- Java: `{java}`")
    for v in versions:
        out.append(f"- {v}")
    if sund:
        out.append(f"- SUNDIALS: Debian libsundials-dev {sund}, CVODES, C harness `bench/cvodes/lv_cvodes.c` "
                   "built with `gcc -O2` by `bench/cvodes/build.sh`")
    out.append("- Reproduce: `bench/grad.sh` (from the repository root; `BENCH_QUICK=1` for a harness check)")
    out.append("")
    out.append("### Set-up")
    out.append("")
    out.append("- Each case is built as `odec grad` builds it: `DataSet.read`, `Parameters.build`, `GradientModel` "
               "(JVM backend), `GradientProblem` (t0 = 0, t1 = the last data time), then "
               "`GradientMethods.byName(m).compute(problem)`. The forward solve alone is "
               "`GradientProblem.objective()` (one solve with outputs at the data times plus the likelihood terms). "
               "Solver: **dopri5** for every case (forward and backward passes).")
    out.append("- Timing (`bench/java/dev/odec/bench/GradBench.java`): one JVM per problem; each case called once "
               "(\"first call\": includes lazy code generation, e.g. the forward-sensitivity system), warmed up, "
               "then timed in interleaved samples of several calls; median and min over samples. The ratio "
               "\"× forward\" divides by the objective's median (or min) measured in the same samples.")
    out.append("- nfe: right-hand-side evaluations of the forward system (`nfe_forward`, for `forward` the "
               "sensitivity system's evaluations) and of the backward system (`nfe_backward`: the augmented "
               "adjoint [x, λ, μ] for `adjoint`, [λ, μ] for `checkpoint`, vector–Jacobian products for "
               "`discrete`). The objective's nfe is the adjoint's forward nfe (the same solve).")
    out.append("- Gradient error: max over the params of |g − g_ref| / max |g_ref|, with g_ref from `checkpoint` "
               "with dop853 at rtol 1e-12, atol 1e-14.")
    out.append(f"- **Lotka–Volterra**: `examples/lotka_volterra.ode` (5 params: alpha, beta, delta, gamma, sigma; "
               f"`observe prey_obs ~ normal(prey, sigma)`, same for pred). Data: 101 times t = 0, 0.1, …, 10, both "
               f"states, from the model at its defaults (alpha 1.5, beta 1, delta 3, gamma 1) plus normal noise "
               f"sigma 0.1 (`java.util.Random(42)`), written by `GradBench gen`. Gradient taken at {lv_at}.")
    out.append("- **Neural-ODE models** (`bench/grad/models/nn_hH.ode`, written by `bench/grad/gen_nn.sh`): "
               "z: real[2], d(z)/dt = W2 @ tanh(W1 @ z + b1) + b2, K = 5H + 2 params (H = "
               + ", ".join(i[4:] for i in nn_ids) + "), W2's prior sd 1/√H. Data: 41 times t = 0, 0.125, …, 5, "
               "both components, from the model at a prior draw (`--pseed 1`) plus normal noise sigma 0.1 "
               "(`Random(7)`); the gradient is taken at that draw + 0.05·N(0, 1) per param component. "
               "rtol 1e-6, atol 1e-8.")
    out.append("- **CVODES** (`bench/cvodes/lv_cvodes.c`): the same data, objective (normal negative "
               "log-likelihoods with all constants) and parameters; forward `CVodeF` to each data time "
               "(CV_NORMAL), `CVodeAdjInit` with CV_HERMITE and a checkpoint interval longer than the run (no "
               "forward recomputation), backward `CVodeB` from data time to data time with λ' = −(∂f/∂x)ᵀλ and "
               "quadratures q' = −λᵀ∂f/∂p (with error control), re-initialised (`CVodeReInitB`, "
               "`CVodeQuadReInitB`) after each jump of λ by ∂ℓ_k/∂x; ∂L/∂sigma directly. Two variants: "
               "**Adams** with the fixed-point (functional) nonlinear solver, and **BDF** with Newton, dense "
               "linear solver and hand-written analytic Jacobians (forward and backward). Same rtol/atol. "
               "Timed per gradient after warm-up, median and min of samples. nfe_forward counts the forward "
               "pass, nfe_backward the backward right-hand side (Adams: one per fixed-point iteration), "
               "plus the quadrature evaluations.")
    out.append("")

    # ---- targets
    out.append("### Targets")
    out.append("")
    out.append("| target | result | verdict |")
    out.append("|---|---|---|")
    nn_k = []
    for i in nn_ids:
        rows = get(nn, problem=i)
        by = {r["case"]: r for r in rows}
        nn_k.append((int(rows[0]["K"]), by))
    worst = max(nn_k, key=lambda kb: float(kb[1]["adjoint"]["ratio_median"]))
    all_ok = all(float(b["adjoint"]["ratio_median"]) <= 3 for _, b in nn_k)
    txt = "; ".join(f"K={k}: {ratio(float(b['adjoint']['ratio_median']))} (min-based "
                    f"{ratio(float(b['adjoint']['ratio_min']))})" for k, b in nn_k)
    best_alt = "; ".join(
        f"K={k}: {min((m for m in METHODS if m != 'forward' and m in b), key=lambda m: float(b[m]['ratio_median']))} "
        f"{ratio(min(float(b[m]['ratio_median']) for m in METHODS if m != 'forward' and m in b))}" for k, b in nn_k)
    out.append(f"| neural ODE: adjoint gradient time ≤ 3 × forward solve for every K | adjoint / forward (medians): "
               f"{txt}. Best adjoint-type method per K: {best_alt} | **{'met' if all_ok else 'missed'}** |")
    # crossover
    faster = [(k, float(b["adjoint"]["median_s"]) < float(b["forward"]["median_s"])) for k, b in nn_k if "forward" in b]
    cross = None
    for idx, (k, f) in enumerate(faster):
        if f and all(ff for _, ff in faster[idx:]):
            cross = k
            break
    detail = "; ".join(f"K={k}: forward/adjoint = {float(b['forward']['median_s']) / float(b['adjoint']['median_s']):.2f}"
                       for k, b in nn_k if "forward" in b)
    if cross is None:
        cross_txt, verdict = "adjoint never faster than forward sensitivities in the measured range", "missed"
    else:
        prev = [k for k, _ in faster if k < cross]
        cross_txt = (f"adjoint faster from K = {cross} on" + (f" (slower at K = {prev[-1]})" if prev else "")
                     + "; crossover between those")
        verdict = "met" if cross <= 25 else "missed"
    out.append(f"| adjoint beats forward sensitivities from K ≈ 20 on | {cross_txt}. Time ratio forward / adjoint "
               f"(medians): {detail} | **{verdict}** |")
    if cv:
        refrow = [r for r in lvg if r["rtol"] == "reference"][0]
        names = ["alpha", "beta", "delta", "gamma", "sigma"]
        gref = [float(refrow[n]) for n in names]
        gmax = max(abs(x) for x in gref)
        errs = []
        for r in cv:
            e = max(abs(float(r[n]) - g) for n, g in zip(names, gref)) / gmax
            r["_err"] = e
            errs.append(f"{r['method']} rtol {r['rtol']}: {e:.1e}")
        ok = all(r["_err"] <= 1e-4 for r in cv)
        out.append(f"| CVODES gradient agrees with odec's to ~1e-4 relative | max over params of |g_cvodes − "
                   f"g_odec_ref| / max |g_odec_ref|: {'; '.join(errs)} | **{'met' if ok else 'missed'}** |")
    out.append("")

    # ---- LV table
    out.append("### Lotka–Volterra (K = 5, 101 observation times, dopri5)")
    out.append("")
    out.append("| rtol / atol | case | median µs | min µs | × forward (median) | × forward (min) | nfe_forward | "
               "nfe_backward | nfe_backward / nfe_forward | gradient error |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in lv:
        back = int(r["nfe_backward"])
        fwd = int(r["nfe_forward"])
        base = r["case"] in ("objective", "solve")
        err = "–" if base else f"{float(r['grad_err']):.1e}"
        name = NAMES.get(r["case"], r["case"])
        out.append(f"| {r['rtol']} / {r['atol']} | {name} | {us(r['median_s'])} | {us(r['min_s'])} | "
                   f"{ratio(float(r['ratio_median']))} | {ratio(float(r['ratio_min']))} | {fwd} | "
                   f"{'–' if base else back} | "
                   f"{'–' if base else f'{back / fwd:.2f}'} | {err} |")
    out.append("")

    # ---- NN table
    out.append("### Neural-ODE models (41 observation times, rtol 1e-6, atol 1e-8, dopri5)")
    out.append("")
    out.append("| K | case | median µs | min µs | × forward (median) | × forward (min) | nfe_forward | nfe_backward | "
               "nfe_backward / nfe_forward | first call s | gradient error |")
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k, b in nn_k:
        for c in ["objective", "solve"] + METHODS:
            if c not in b:
                continue
            r = b[c]
            back = int(r["nfe_backward"])
            fwd = int(r["nfe_forward"])
            isobj = c in ("objective", "solve")
            out.append(f"| {k} | {NAMES.get(c, c)} | {us(r['median_s'])} | {us(r['min_s'])} | "
                       f"{ratio(float(r['ratio_median']))} | {ratio(float(r['ratio_min']))} | {fwd} | "
                       f"{'–' if isobj else back} | {'–' if isobj else f'{back / fwd:.2f}'} | "
                       f"{float(r['first_s']):.3f} | {'–' if isobj else format(float(r['grad_err']), '.1e')} |")
    out.append("")
    out.append("GradientModel construction (symbolic derivatives and code generation, not in the timings): "
               + ", ".join(f"K={k}: {float(b['objective']['build_s']):.2f} s" for k, b in nn_k) + ".")
    out.append("")

    # ---- CVODES
    if cv:
        out.append("### SUNDIALS CVODES adjoint vs odec, Lotka–Volterra gradient")
        out.append("")
        out.append("| rtol / atol | CVODES method | CVODES median µs | min µs | nfe_forward | nfe_backward | nfe_quad_backward | "
                   "steps fwd / bwd | gradient error vs odec ref | odec adjoint / CVODES (median) | odec adjoint / CVODES (min) "
                   "| odec checkpoint / CVODES (median) |")
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in cv:
            rt = f"{float(r['rtol']):.0e}"
            adj = get(lv, rtol=rt, case="adjoint")
            chk = get(lv, rtol=rt, case="checkpoint")
            a = adj[0] if adj else None
            c = chk[0] if chk else None
            out.append(f"| {r['rtol']} / {r['atol']} | {r['method']} | {us(r['median_s'])} | {us(r['min_s'])} | "
                       f"{r['nfe_forward_pass']} | {r['nfe_backward']} | {r['nfe_quad_backward']} | "
                       f"{r['steps_forward']} / {r['steps_backward']} | {r['_err']:.1e} | "
                       f"{float(a['median_s']) / float(r['median_s']):.2f} | {float(a['min_s']) / float(r['min_s']):.2f} | "
                       f"{float(c['median_s']) / float(r['median_s']):.2f} |")
        out.append("")
        out.append("CVODES and odec ran one after the other (not interleaved), so their ratio carries more "
                   "noise than the ratios within odec.")
        out.append("")

    # ---- where time goes
    out.append("### Where the time goes")
    out.append("")
    notes = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "grad", "NOTES.md")).read().strip() \
        if os.path.exists(os.path.join(os.path.dirname(os.path.abspath(__file__)), "grad", "NOTES.md")) else ""
    lines = []
    for k, b in nn_k:
        a = b["adjoint"]
        chunks = 40  # 41 observation times -> 40 backward intervals
        lines.append(f"K={k}: adjoint nfe_backward {a['nfe_backward']} = {int(a['nfe_backward']) / chunks:.1f} "
                     f"per backward interval, vs nfe_forward {a['nfe_forward']} for the whole forward solve")
    lv_adj = get(lv, case="adjoint")
    for a in lv_adj:
        lines.append(f"Lotka–Volterra rtol {a['rtol']}: adjoint nfe_backward {a['nfe_backward']} = "
                     f"{int(a['nfe_backward']) / 100:.1f} per backward interval (100 intervals), nfe_forward "
                     f"{a['nfe_forward']}")
    out.append("Measured: " + "; ".join(lines) + ".")
    if notes:
        out.append("")
        out.append(notes)
    out.append("")
    out.append(END)
    section = "\n".join(out) + "\n"

    text = open(md).read() if os.path.exists(md) else "# Benchmarks\n"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", lambda m: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(md, "w").write(text)


if __name__ == "__main__":
    main()
