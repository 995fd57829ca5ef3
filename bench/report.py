#!/usr/bin/env python3
"""Writes docs/BENCHMARKS.md from the result files of bench/run.sh.

Usage: report.py RESULTS_DIR OUT.md COMMAND_LINE
Every figure in the output is read from RESULTS_DIR (nothing is typed in by hand).
"""
import csv
import datetime
import glob
import os
import platform
import subprocess
import sys


def read_tsv(path):
    with open(path) as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def sh(cmd):
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return (r.stdout + r.stderr).strip()


def us(s):
    v = float(s) * 1e6
    return f"{v:,.1f}" if v < 1e4 else f"{v:,.0f}"


def ratio_fmt(x):
    return f"{x:.2f}" if x < 10 else f"{x:,.0f}"


def main(results, out, command):
    rows = []
    for p in sorted(glob.glob(os.path.join(results, "*.java.tsv"))) + sorted(glob.glob(os.path.join(results, "*.scipy.tsv"))):
        rows += read_tsv(p)
    rhs = {}
    for p in glob.glob(os.path.join(results, "*.rhs.tsv")):
        for r in read_tsv(p):
            rhs[r["problem"]] = r
    refcheck = {}
    for p in glob.glob(os.path.join(results, "*.refcheck.tsv")):
        for r in read_tsv(p):
            refcheck[r["problem"]] = r
    process = read_tsv(os.path.join(results, "process.tsv"))[0]
    profile = read_tsv(os.path.join(results, "profile.tsv"))
    with open(os.path.join(results, "profile.txt")) as fh:
        profile_what = fh.read().strip()
    with open(os.path.join(results, "versions.txt")) as fh:
        versions = fh.read().strip()

    def n_of(pid):
        return int(next(r["n"] for r in rows if r["problem"] == pid))

    problems = sorted({r["problem"] for r in rows}, key=lambda p: (p != "lv", n_of(p)))
    tols = sorted({(r["rtol"], r["atol"]) for r in rows}, key=lambda t: -float(t[0]))
    by = {(r["problem"], r["rtol"], r["tool"], r["method"]): r for r in rows}
    names = {"lv": "Lotka–Volterra (n=2)"}
    for p in problems:
        if p != "lv":
            names[p] = f"chain n={n_of(p)}"

    L = []
    L.append("# Benchmarks")
    L.append("")
    L.append("Written by `bench/run.sh`; every figure below comes from its last run. Do not edit by hand.")
    L.append("")
    L.append(f"- Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("free -g | awk '/Mem:/{print $2}'")
    L.append(f"- Machine: `nproc` = {sh('nproc')}, CPU `{cpu}` (from /proc/cpuinfo), {mem} GiB RAM, "
             f"{platform.system()} {platform.release()}")
    jv = sh("java -version 2>&1").splitlines()
    L.append(f"- Java: `{jv[0]}` / `{jv[-1]}`")
    for line in versions.splitlines():
        L.append(f"- {line}")
    L.append(f"- Reproduce: `{command}` (from the repository root; about 3 minutes)")
    L.append(f"- Load average when the report was written: `{sh('cat /proc/loadavg')}`")
    L.append("")
    L.append("The machine is shared with other builds, so absolute timings are noisy; the ratios compare tools "
             "measured in the same run (the odec and Hipparchus samples are interleaved in one JVM).")
    L.append("")
    L.append("## Set-up")
    L.append("")
    L.append("- Problems: Lotka–Volterra (`examples/lotka_volterra.ode`, nominal parameters) and the linear reaction "
             "chain A1 -> A2 -> ... -> An with flux k_i*A_i, k_i = 1 + (i mod 7)/7, A1(0) = 1 "
             "(`bench/models/chain_N.ode`, written by `bench/gen_chain.py` as `param` and `reaction` lines). "
             "t in [0, 10], 101 evenly spaced output points, same tolerances (scalar rtol, atol) for every tool.")
    L.append("- **odec**: `Frontend.compile` + `CompiledModel` with `JvmBackend`, `ExplicitRk` (`dopri5`, `tsit5`, "
             "`dop853`), one instance reused across solves (as `odec run --repeat`).")
    L.append("- **Hipparchus**: `DormandPrince54Integrator` / `DormandPrince853Integrator` (minStep 0, maxStep 10), "
             "hand-written `OrdinaryDifferentialEquation` (the chain as a loop), outputs filled by an `ODEStepHandler` "
             "from the step interpolator, so output points do not shorten steps.")
    L.append("- **scipy**: `solve_ivp` `RK45` / `DOP853` with `t_eval` = the 101 points, plain numpy right-hand side "
             "(the chain vectorised).")
    L.append("- Java timing (`bench/java/dev/odec/bench/Bench.java`): one JVM per problem (`-XX:+UseSerialGC`, as the "
             "launcher); each case warmed up, then timed in interleaved samples of several solves; time per solve is "
             "the median (and min) over samples. scipy: one warm-up solve, then `time.perf_counter` around each "
             "solve, median and min of the repeats.")
    ref_desc = "odec `dop853` at rtol 1e-13, atol 1e-15"
    checks = ", ".join(f"{names[p]}: {float(refcheck[p]['scipy_dop853_vs_ref']):.1e}" for p in problems if p in refcheck)
    L.append(f"- Error: max over the 101 points and all components of |y - y_ref|, with y_ref from {ref_desc}. "
             f"Cross-check, scipy `DOP853` at the same tolerances differs from y_ref by at most: {checks}.")
    L.append("- nfe: right-hand-side evaluations as each tool counts them (odec `Stats.nfe`, Hipparchus "
             "`getEvaluations()`, scipy `nfev`). Bytes/solve: `com.sun.management.ThreadMXBean."
             "getThreadAllocatedBytes` around repeated solves after warm-up, divided by the number of solves.")
    L.append("")

    # ---- targets
    hip_pairs = [("dopri5", "DormandPrince54"), ("dop853", "DormandPrince853")]
    sci_pairs = [("dopri5", "RK45"), ("dop853", "DOP853")]
    hip_ratios, sci_ratios = [], []
    for p in problems:
        for rt, at in tols:
            for o, h in hip_pairs:
                a, b = by.get((p, rt, "odec", o)), by.get((p, rt, "hipparchus", h))
                if a and b:
                    hip_ratios.append((p, rt, o, h, float(a["median_s"]) / float(b["median_s"])))
            for o, s in sci_pairs:
                a, b = by.get((p, rt, "odec", o)), by.get((p, rt, "scipy", s))
                if a and b:
                    sci_ratios.append((p, rt, o, s, float(b["median_s"]) / float(a["median_s"])))
    proc = float(process["median_s"])

    def verdict(ok):
        return "**met**" if ok else "**missed**"

    L.append("## Targets")
    L.append("")
    L.append("| target | result | verdict |")
    L.append("|---|---|---|")
    worst_h = max(hip_ratios, key=lambda r: r[4])
    nh_ok = sum(r[4] <= 1 for r in hip_ratios)
    L.append(f"| odec time / Hipparchus time ≤ 1 (dopri5 vs DP54, dop853 vs DP853) | {nh_ok} of {len(hip_ratios)} "
             f"pairs ≤ 1; largest {worst_h[4]:.2f} ({names[worst_h[0]]}, rtol {worst_h[1]}, {worst_h[2]}) | "
             f"{verdict(nh_ok == len(hip_ratios))} |")
    worst_s = min(sci_ratios, key=lambda r: r[4])
    ns_ok = sum(r[4] >= 50 for r in sci_ratios)
    missed = sorted({(names[r[0]], r[1]) for r in sci_ratios if r[4] < 50})
    L.append(f"| scipy time / odec time ≥ 50 | {ns_ok} of {len(sci_ratios)} pairs ≥ 50; smallest "
             f"{ratio_fmt(worst_s[4])} ({names[worst_s[0]]}, rtol {worst_s[1]}, {worst_s[3]} vs {worst_s[2]})"
             + (f"; below 50: {', '.join(f'{a} rtol {b}' for a, b in missed)}" if missed else "")
             + f" | {verdict(ns_ok == len(sci_ratios))} |")
    L.append(f"| `{process['command']} > /dev/null` under 1 s | median {proc:.3f} s "
             f"(min {float(process['min_s']):.3f}, max {float(process['max_s']):.3f}) over {process['runs']} runs | "
             f"{verdict(proc < 1.0)} |")
    chains = [p for p in problems if p != "lv"]
    lin = []
    if len(chains) >= 2:
        a, b = chains[-2], chains[-1]
        for rt, at in tols:
            for m in ("dopri5", "tsit5", "dop853"):
                ra, rb = by.get((a, rt, "odec", m)), by.get((b, rt, "odec", m))
                if ra and rb:
                    for key in ("median_s", "min_s"):
                        pa = float(ra[key]) / int(ra["steps"]) / int(ra["n"])
                        pb = float(rb[key]) / int(rb["steps"]) / int(rb["n"])
                        lin.append((rt, m, key, pb / pa))
    lin_med = [x for x in lin if x[2] == "median_s"]
    lin_min = [x for x in lin if x[2] == "min_s"]
    lin_ok = all(0.5 <= x[3] <= 2.0 for x in lin_med)
    L.append(f"| chain: odec cost linear in n: ns/step/n at n={n_of(chains[-1])} over n={n_of(chains[-2])} within "
             f"[0.5, 2] | from medians {min(x[3] for x in lin_med):.2f} to {max(x[3] for x in lin_med):.2f}; "
             f"from minima {min(x[3] for x in lin_min):.2f} to {max(x[3] for x in lin_min):.2f} "
             f"(all methods and tolerances; [details](#odec-cost-vs-n-chain)) | {verdict(lin_ok)} |")
    alloc = {}
    for p in problems:
        for m in ("dopri5", "tsit5", "dop853"):
            alloc[(p, m)] = [float(by[(p, rt, "odec", m)]["bytes_per_solve"]) for rt, _ in tols
                             if (p, rt, "odec", m) in by]
    alloc_ok = all(max(v) - min(v) <= 0.01 * max(v) for v in alloc.values() if v)
    L.append(f"| odec allocation O(output points), independent of steps | bytes/solve equal at both tolerances for "
             f"every problem and method: {'yes' if alloc_ok else 'no'}; n={n_of(chains[0])}: "
             f"{alloc[(chains[0], 'dopri5')][0]:,.0f} B, n={n_of(chains[-1])}: {alloc[(chains[-1], 'dopri5')][0]:,.0f} B "
             f"([details](#allocation-per-solve)) | {verdict(alloc_ok)} |")
    L.append("")

    # ---- main tables
    L.append("## Results per problem")
    L.append("")
    for p in problems:
        for rt, at in tols:
            sel = [r for r in rows if r["problem"] == p and r["rtol"] == rt]
            if not sel:
                continue
            L.append(f"### {names[p]}, rtol {rt}, atol {at}")
            L.append("")
            L.append("| tool | method | median µs/solve | min µs | nfe | steps | max error | bytes/solve |")
            L.append("|---|---|---:|---:|---:|---:|---:|---:|")
            order = {"odec": 0, "hipparchus": 1, "scipy": 2}
            for r in sorted(sel, key=lambda r: order[r["tool"]]):
                bytes_ = f"{float(r['bytes_per_solve']):,.0f}" if r["bytes_per_solve"] else "–"
                L.append(f"| {r['tool']} | {r['method']} | {us(r['median_s'])} | {us(r['min_s'])} | {r['nfe']} | "
                         f"{r['steps'] or '–'} | {float(r['max_err']):.2e} | {bytes_} |")
            L.append("")

    # ---- ratios
    L.append("## Ratios")
    L.append("")
    L.append("Ratios of median times per solve.")
    L.append("")
    L.append("| problem | rtol | odec dopri5 / Hipparchus DP54 | odec dop853 / Hipparchus DP853 | "
             "scipy RK45 / odec dopri5 | scipy DOP853 / odec dop853 |")
    L.append("|---|---|---:|---:|---:|---:|")
    hr = {(r[0], r[1], r[2]): r[4] for r in hip_ratios}
    sr = {(r[0], r[1], r[2]): r[4] for r in sci_ratios}
    for p in problems:
        for rt, at in tols:
            if (p, rt, "dopri5") not in hr:
                continue
            L.append(f"| {names[p]} | {rt} | {hr[(p, rt, 'dopri5')]:.2f} | {hr[(p, rt, 'dop853')]:.2f} | "
                     f"{ratio_fmt(sr[(p, rt, 'dopri5')])} | {ratio_fmt(sr[(p, rt, 'dop853')])} |")
    L.append("")

    # ---- cost vs n
    chains = [p for p in problems if p != "lv"]
    L.append("## odec cost vs n (chain)")
    L.append("")
    L.append("ns/step/n = time per solve / accepted steps / n. RHS ns/eval: a tight loop of the compiled right-hand "
             "side alone (as the solver calls it, through `OdeFunction`) at the reference state at t = 5; the "
             "hand-written Java loop (the one given to Hipparchus, in-place) for comparison.")
    L.append("")
    L.append("| n | rtol | method | µs/solve (median) | steps | ns/step/n (median) | ns/step/n (min) | RHS ns/eval | RHS ns/eval/n | hand-written RHS ns/eval |")
    L.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for rt, at in tols:
        for m in ("dopri5", "tsit5", "dop853"):
            for p in chains:
                r = by.get((p, rt, "odec", m))
                if not r:
                    continue
                n = int(r["n"])
                per = float(r["median_s"]) * 1e9 / int(r["steps"]) / n
                rr = rhs[p]
                pmin = float(r["min_s"]) * 1e9 / int(r["steps"]) / n
                L.append(f"| {n} | {rt} | {m} | {us(r['median_s'])} | {r['steps']} | {per:.1f} | {pmin:.1f} | "
                         f"{float(rr['odec_rhs_ns_median']):,.1f} | {float(rr['odec_rhs_ns_median']) / n:.2f} | "
                         f"{float(rr['hand_rhs_ns_median']):,.1f} |")
    L.append("")
    L.append("Lotka–Volterra RHS: odec {:.1f} ns/eval, hand-written {:.1f} ns/eval.".format(
        float(rhs["lv"]["odec_rhs_ns_median"]), float(rhs["lv"]["hand_rhs_ns_median"])) if "lv" in rhs else "")
    L.append("")
    # automatic summary of linearity between the two largest n
    if len(chains) >= 2:
        a, b = chains[-2], chains[-1]
        parts = []
        for rt, at in tols:
            ra, rb = by.get((a, rt, "odec", "dopri5")), by.get((b, rt, "odec", "dopri5"))
            if ra and rb:
                pa = float(ra["median_s"]) / int(ra["steps"]) / int(ra["n"])
                pb = float(rb["median_s"]) / int(rb["steps"]) / int(rb["n"])
                parts.append(f"rtol {rt}: {pb / pa:.2f}")
        ea = float(rhs[a]["odec_rhs_ns_median"]) / n_of(a)
        eb = float(rhs[b]["odec_rhs_ns_median"]) / n_of(b)
        L.append(f"Linearity check, dopri5, (ns/step/n at n={n_of(b)}) / (ns/step/n at n={n_of(a)}): "
                 f"{', '.join(parts)} (1 = exactly linear); RHS ns/eval/n ratio {eb / ea:.2f}.")
        L.append("")

    # ---- allocation
    L.append("## Allocation per solve")
    L.append("")
    L.append("Bytes allocated per solve after warm-up. The returned `Solution` alone holds 101 arrays of n doubles "
             "plus a copy of the 101 output times, so O(output points × n) is the floor.")
    L.append("")
    L.append("| problem | method | " + " | ".join(f"rtol {rt}: steps | rtol {rt}: bytes" for rt, _ in tols) + " |")
    L.append("|---|---|" + "---:|---:|" * len(tols))
    const_ok = True
    for p in problems:
        for tool, m in [("odec", "dopri5"), ("odec", "tsit5"), ("odec", "dop853"),
                        ("hipparchus", "DormandPrince54"), ("hipparchus", "DormandPrince853")]:
            cells, bs = [], []
            for rt, _ in tols:
                r = by.get((p, rt, tool, m))
                if r:
                    cells.append(f"{r['steps']} | {float(r['bytes_per_solve']):,.0f}")
                    bs.append(float(r["bytes_per_solve"]))
                else:
                    cells.append("– | –")
            if tool == "odec" and len(bs) > 1 and max(bs) - min(bs) > 0.01 * max(bs):
                const_ok = False
            L.append(f"| {names[p]} | {tool} {m} | " + " | ".join(cells) + " |")
    L.append("")
    L.append("odec: bytes/solve " + ("are the same (within 1 %) at both tolerances although the step count grows, "
                                     "and grow with n only as the output does: allocation is O(output points), "
                                     "not O(steps) — **met**." if const_ok else
                                     "differ between tolerances by more than 1 % — allocation grows with the step "
                                     "count — **missed**."))
    L.append("")

    # ---- process
    L.append("## Whole process")
    L.append("")
    L.append(f"`{process['command']} > /dev/null` (after one untimed run), {process['runs']} runs, wall clock around "
             f"the child process: median {float(process['median_s']):.3f} s, min {float(process['min_s']):.3f} s, "
             f"max {float(process['max_s']):.3f} s.")
    L.append("")

    # ---- profile
    L.append("## Where odec's time goes")
    L.append("")
    L.append(f"JDK Flight Recorder execution samples ({profile_what}); top frame of each sample, largest first "
             "(the generated right-hand side classes grouped in one row; methods inlined by the JIT count as "
             "themselves).")
    L.append("")
    L.append("| share | samples | top frame |")
    L.append("|---:|---:|---|")
    for r in profile[:8]:
        L.append(f"| {float(r['share']) * 100:.1f} % | {r['samples']} | `{r['top_frame']}` |")
    L.append("")
    big = chains[-1] if chains else None
    if big and big in rhs:
        rr = rhs[big]
        share = {r["top_frame"]: float(r["share"]) for r in profile}
        solver = sum(v for k, v in share.items() if k.startswith("dev.odec.solve."))
        gen = sum(v for k, v in share.items() if k.startswith("<generated"))
        L.append("Observations (figures from this run): for the largest chain the generated right-hand side costs "
                 f"{float(rr['odec_rhs_ns_median']):,.0f} ns per evaluation against "
                 f"{float(rr['hand_rhs_ns_median']):,.0f} ns for the hand-written loop "
                 f"({float(rr['odec_rhs_ns_median']) / float(rr['hand_rhs_ns_median']):.1f}×: the chain is emitted as "
                 "straight-line code over many chunk methods rather than a loop); in the profile the solver's own "
                 f"vector work (`dev.odec.solve.*`: stage combinations, step bookkeeping, dense output, error norm) "
                 f"takes {solver * 100:.0f} % of the samples and the generated right-hand side {gen * 100:.0f} %. "
                 "scipy's per-step cost is mostly interpreter overhead that does not grow with n (its right-hand "
                 "side and stage sums are vectorised numpy), so its advantage over odec shrinks as n grows.")
        L.append("")
    with open(out, "w") as fh:
        fh.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
