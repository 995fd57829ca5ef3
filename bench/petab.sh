#!/usr/bin/env bash
# The four PEtab problems of the benchmark collection (src/test/resources/petab or $PETAB): gradient time
# in-process (odec grad --repeat, forward sensitivities and the checkpointed adjoint) against
# AMICI's published budgets at rtol = atol = 1e-8, and the whole process of a first gradient
# (translation + compilation + gradient) with an empty and with a filled translation cache.
# AMICI itself is not run (not installed here); its budgets are the reference. Writes the section
# "## PEtab problems" of docs/BENCHMARKS.md. Usage: bench/petab.sh (from the repository root).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PETAB="${PETAB:-$ROOT/src/test/resources/petab}"
OUT="$(mktemp -d)"
cd "$ROOT"
./odec --version >/dev/null
rows=()
for p in Boehm_JProteomeRes2014 Fujita_SciSignal2010 Brannmark_JBC2010 Bachmann_MSB2011; do
  yaml="$PETAB/$p/$p.yaml"
  if [ ! -f "$yaml" ]; then echo "skip $p: $yaml not found" >&2; continue; fi
  cache="$OUT/cache-$p"
  t0=$(date +%s.%N)
  if ! XDG_CACHE_HOME="$cache" ./odec grad "$yaml" --rtol 1e-8 --atol 1e-8 >"$OUT/$p.csv" 2>"$OUT/$p.err"; then
    rows+=("$p|fails|$(grep -v '^odec: warning' "$OUT/$p.err" | head -1 | cut -c1-160)")
    continue
  fi
  t1=$(date +%s.%N)
  XDG_CACHE_HOME="$cache" ./odec grad "$yaml" --rtol 1e-8 --atol 1e-8 >/dev/null 2>&1
  t2=$(date +%s.%N)
  obj=$(sed -n 2p "$OUT/$p.csv" | cut -d, -f2)
  # CPU time of the gradient thread (the wall clock of a loaded machine counts other processes' turns too)
  fwd=$(XDG_CACHE_HOME="$cache" ./odec grad "$yaml" --rtol 1e-8 --atol 1e-8 --method forward --repeat 5 --stats 2>&1 >/dev/null | sed -n 's/^cpu_ms: //p')
  adj=$(XDG_CACHE_HOME="$cache" ./odec grad "$yaml" --rtol 1e-8 --atol 1e-8 --method checkpoint --repeat 5 --stats 2>&1 >/dev/null | sed -n 's/^cpu_ms: //p')
  rows+=("$p|$obj|$fwd|$adj|$(echo "$t1 - $t0" | bc)|$(echo "$t2 - $t1" | bc)")
done
# a large generated network: import alone, and import + compile (with the Jacobian and the adjoint) + first gradient
python3 "$ROOT/bench/gen_sbml_network.py" "$OUT/net" 500 800
t0=$(date +%s.%N)
./odec import "$OUT/net/problem.yaml" --out "$OUT/netode" >/dev/null 2>&1
t1=$(date +%s.%N)
XDG_CACHE_HOME="$OUT/netcache" ./odec grad "$OUT/net/problem.yaml" --method checkpoint --stats >/dev/null 2>"$OUT/net.err"
t2=$(date +%s.%N)
./odec --version >/dev/null; t3=$(date +%s.%N); ./odec --version >/dev/null; t4=$(date +%s.%N)
export NET="$(echo "$t1 - $t0" | bc)|$(echo "$t2 - $t1" | bc)|$(sed -n 's/^wall_ms: //p' "$OUT/net.err")|$(echo "$t4 - $t3" | bc)"
BENCH="$ROOT/bench" python3 - "$ROOT/docs/BENCHMARKS.md" "${rows[@]}" <<'PY'
import sys, datetime, subprocess, os
sys.path.insert(0, os.environ["BENCH"])
from doc_section import replace_section
doc, rows = sys.argv[1], sys.argv[2:]
ref = {"Boehm_JProteomeRes2014": (138.22199693517703, 0.05, 0.05),
       "Fujita_SciSignal2010": (-53.08377736998929, 0.5, 1.0),
       "Brannmark_JBC2010": (141.889113770537, 0.5, 0.5),
       "Bachmann_MSB2011": (-418.40573341425295, 3.5, 5.0)}
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
load = open("/proc/loadavg").read().split()[:3]
lines = ["## PEtab problems", "",
         f"Written by `bench/petab.sh` ({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, odec `{commit}`, load average {' '.join(load)}; "
         "the machine is shared, so times are noisy). rtol = atol = 1e-8, `bdf` (the default for PEtab problems). "
         "AMICI is not installed here: the reference is its published time budget per gradient (t_fwd: forward "
         "sensitivities, t_adj: adjoint), and the target is 10x below it. odec's forward column is `grad --method forward "
         "--repeat 5`, the adjoint column `--method checkpoint --repeat 5` (median cpu_ms, the gradient thread's CPU "
         "time in-process, which the load of a shared machine does not inflate as it does the wall clock). "
         "Whole process: `odec grad PROBLEM.yaml` from the shell, first with an empty translation cache, then with the "
         "cache filled (target: under 2 s).", "",
         "| problem | objective (reference) | forward ms (AMICI budget) | ratio | adjoint ms (AMICI budget) | ratio | first call s | second call s |",
         "|---|---|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    c = r.split("|")
    name = c[0]
    o, tf, ta = ref[name]
    if c[1] == "fails":
        lines.append(f"| {name} | fails: {c[2]} | | | | | | |")
        continue
    obj, fwd, adj, first, second = float(c[1]), float(c[2]), float(c[3]), float(c[4]), float(c[5])
    lines.append(f"| {name} | {obj:.6f} ({o:.6f}) | {fwd:.1f} ({tf*1000:.0f}) | {fwd/(tf*1000):.2f} | "
                 f"{adj:.1f} ({ta*1000:.0f}) | {adj/(ta*1000):.2f} | {first:.2f} | {second:.2f} |")
net = os.environ.get("NET", "").split("|")
if len(net) == 4 and net[2]:
    lines += ["", "A generated network of 500 species and 800 mass-action reactions in two compartments with 800 "
              "estimated rate constants (`bench/gen_sbml_network.py`), whole process:", "",
              "| step | seconds |", "|---|---:|",
              f"| `odec import` (SBML and tables to .ode and CSV) | {float(net[0]):.2f} |",
              f"| `odec grad --method checkpoint`, empty cache: translation, compilation with the Jacobian and the adjoint, first gradient | {float(net[1]):.2f} |",
              f"| of which the gradient itself (`wall_ms`) | {float(net[2])/1000:.2f} |",
              f"| JVM start alone (`odec --version`) | {float(net[3]):.2f} |"]
lines.append("")
replace_section(doc, lines)
print("\n".join(lines))
PY
rm -rf "$OUT"
