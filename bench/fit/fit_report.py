"""Writes the section "## Fitting" of docs/BENCHMARKS.md from the files bench/fit.sh left in DIR.
Usage: python3 fit_report.py DIR BENCHMARKS.md"""
import datetime
import json
import math
import os
import subprocess
import sys

d, doc = sys.argv[1], sys.argv[2]
env = os.environ
BOEHM_BEST = 138.22199693517703  # minus the reference log-likelihood at the published parameters


def odec(name, opt):
    path = f"{d}/{name}_{opt}.json"
    if not os.path.exists(path):
        return None
    fit = json.load(open(path))
    wall, user, sys_ = (float(v) for v in open(f"{d}/{name}_{opt}.time").read().split())
    objs = [s["objective"] if s["objective"] is not None else math.nan for s in fit["starts"]]
    return dict(tool=f"odec {opt}", objs=objs, wall=wall, cpu=user + sys_,
                inproc=sum(s["time_s"] for s in fit["starts"]),
                evals=sum(s["evaluations"] for s in fit["starts"]), failed=sum(o != o for o in objs))


def scipy(name, v):
    path = f"{d}/{name}_{v}.tsv"
    if not os.path.exists(path):
        return None
    rows = [l.rstrip("\n").split("\t") for l in open(path)][1:]
    objs = [float(r[1]) for r in rows]
    return dict(tool="scipy " + {"fd": "finite differences", "sens": "forward sensitivities"}[v], objs=objs,
                wall=sum(float(r[2]) for r in rows), cpu=sum(float(r[3]) for r in rows), inproc=None,
                evals=sum(int(r[4]) for r in rows), failed=sum(r[5] != "ok" for r in rows),
                capped=sum(r[5] == "time cap" for r in rows))


def fmt(x, digits=2):
    return "–" if x is None or x != x else (f"{x:.{digits}f}" if abs(x) < 1e4 else f"{x:.3g}")


commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
lines = ["## Fitting", "",
         f"Written by `bench/fit.sh` ({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, odec `{commit}`). "
         f"`uptime` before: `{env.get('LOAD_BEFORE', '?').strip()}`; after: `{env.get('LOAD_AFTER', '?').strip()}`. "
         "The machine is shared (2 cores): wall times under load are noisy, so CPU times are given too.", "",
         "Set-up: the same start points for every tool (odec `--seed 1`: the nominal values, then a Latin hypercube in "
         "log10 scale within the bounds; scipy reads them from odec's `--out` JSON, `starts[].initial`), the same "
         "solver tolerances (enzyme rtol 1e-8, atol 1e-10; Fujita rtol = atol = 1e-8, the PEtab defaults), the same "
         "stop tolerances (ftol = xtol = gtol = 1e-8; odec at most 1000 iterations, scipy at most 1000 residual "
         "evaluations), the same objective (the full negative log-likelihood; the scipy script's value at the "
         "nominal point agrees with odec's). odec: `odec fit --threads 1`, timed as a whole process (JVM start and "
         "compilation included; the in-process sum of the starts' `time_s` is given beside it); `auto` solver for "
         "the enzyme, `bdf` for the PEtab problem. scipy (`bench/fit/fit_bench.py`): `least_squares(method='trf')` "
         "on the same residuals (with the same extra noise residuals √(2 log σ + 50)), `solve_ivp(method='LSODA')`, "
         "either the 2-point finite-difference Jacobian or the Jacobian from forward sensitivities (right-hand side "
         "and its Jacobians derived once with sympy, evaluated by numpy), timed per start with `time.perf_counter` "
         f"and `time.process_time`; a start still running after {env.get('CAP', '?')} s is stopped and counted with "
         "its best objective so far. A start *reaches* the optimum when its objective is within "
         "1e-3·max(1, |best|) of the best objective of any tool in the run. Time to the optimum = total time of all "
         "starts / number of starts that reach it (∞ when none does).", ""]
verdicts = []
for name, title in (("enzyme", "Enzyme kinetics (examples/fit/enzyme.ode: 4 parameters, 3 experiments, 144 data)"),
                    ("fujita", "Fujita et al. 2010 (PEtab; 19 parameters over [1e-8, 1e8], 6 experiments, 144 data)")):
    tools = [t for t in (odec(name, "ls"), odec(name, "lbfgs"), scipy(name, "fd"), scipy(name, "sens")) if t]
    if not tools:
        continue
    best = min(min((o for o in t["objs"] if o == o), default=math.inf) for t in tools)
    tol = 1e-3 * max(1, abs(best))
    for t in tools:
        t["hits"] = sum(o <= best + tol for o in t["objs"] if o == o)
        t["per_hit"] = t["wall"] / t["hits"] if t["hits"] else math.inf
        t["cpu_per_hit"] = t["cpu"] / t["hits"] if t["hits"] else math.inf
    n = len(tools[0]["objs"])
    lines += [f"### {title}", "", f"{n} starts; best objective {best:.6f}.", "",
              "| tool | starts reaching the optimum | failed / stopped | wall s (all starts) | CPU s | odec in-process s "
              "| residual evaluations | wall s to the optimum | CPU s to the optimum |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for t in tools:
        stopped = f"{t['failed']}" + (f" ({t['capped']} at the cap)" if t.get("capped") else "")
        lines.append(f"| {t['tool']} | {t['hits']} of {len(t['objs'])} | {stopped} | {fmt(t['wall'])} | {fmt(t['cpu'])} | "
                     f"{fmt(t['inproc'])} | {t['evals']} | {fmt(t['per_hit'])} | {fmt(t['cpu_per_hit'])} |")
    lines.append("")
    ls = tools[0]
    for t, target in ((next((x for x in tools if "finite" in x["tool"]), None), 50),
                      (next((x for x in tools if "sensitivities" in x["tool"]), None), 10)):
        if t is None:
            continue
        for what, key, cpu_key in (("all starts", "wall", "cpu"), ("time to the optimum", "per_hit", "cpu_per_hit")):
            a, b = t[key], ls[key]
            if b == math.inf:
                r, verdict = "odec ls never reached it", "**missed**"
            elif a == math.inf:
                r, verdict = f"{t['tool']} never reached it", "not comparable: only odec reached it"
            else:
                r = f"{a / b:.1f} (CPU {t[cpu_key] / ls[cpu_key]:.1f})"
                verdict = "**met**" if a / b >= target else "**missed**"
            verdicts.append(f"| {name} | {t['tool']} / odec ls, {what} ≥ {target} | {r} | {verdict} |")
if verdicts:
    lines += ["### Targets", "", "Ratios of wall time (whole odec process against the sum of scipy's starts; CPU time in "
              "brackets).", "", "| problem | target | ratio | verdict |", "|---|---|---:|---|"] + verdicts + [""]
if env.get("HAVE_SCIPY") == "0":
    lines += ["scipy was not found (python3 with numpy, scipy and sympy): its rows are missing.", ""]

boehm = []
for opt in ("ls", "lbfgs"):
    path = f"{d}/boehm_{opt}.json"
    if os.path.exists(path):
        fit = json.load(open(path))
        objs = [s["objective"] for s in fit["starts"][1:]]
        hits = sum(o is not None and o <= BOEHM_BEST + 1e-3 for o in objs)
        failed = sum(o is None for o in objs)
        boehm.append(f"| {opt} | {hits} of {len(objs)} ({100 * hits / len(objs):.0f} %) | {failed} | "
                     f"{fit['objective']:.6f} | {sum(s['time_s'] for s in fit['starts']):.1f} |")
if boehm:
    lines += ["### Boehm et al. 2014: random starts that reach the published optimum", "",
              f"`odec fit Boehm_JProteomeRes2014.yaml --starts {int(env.get('BOEHM_STARTS', 0)) + 1} --seed 2` "
              "(start 1 is the nominal point and is not counted; the others are a Latin hypercube in log10 scale over "
              "the bounds [1e-5, 1e5]); reaching = objective ≤ 138.2220 + 1e-3 (minus the reference log-likelihood "
              "at the published parameters). The test `PublishedModelFitTest` runs 20 random starts (seed 5) and "
              "asserts the floors these figures support.", "",
              "| optimizer | random starts reaching 138.2230 | failed | best objective | sum of start times s |",
              "|---|---:|---:|---:|---:|"] + boehm + [""]

text = open(doc).read()
start = text.find("## Fitting")
section = "\n".join(lines)
if start >= 0:
    ends = [e for e in (text.find("\n## ", start + 5), text.find("\n<!--", start)) if e >= 0]
    end = min(ends) if ends else -1
    text = text[:start] + section + ("\n" + text[end + 1:] if end >= 0 else "\n")
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open(doc, "w").write(text)
print(section)
