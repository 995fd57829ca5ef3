#!/usr/bin/env bash
# Issue 7: forward sensitivities on the Boehm model (src/test/resources/petab/Boehm_JProteomeRes2014)
# at rtol = atol = 1e-8: odec grad with its default method, odec grad --method forward --solver bdf,
# and SUNDIALS CVODES forward sensitivities (BDF, Newton, dense LU, simultaneous corrector, error
# control on S) on the same equations: the model's C from `odec compile --emit c` compiled into
# bench/cvodes/sens_cvodes.c. The three run interleaved, ROUNDS times (default 5), each timing
# the median of REPEATS (default 200, so that the JIT has compiled odec's loops) gradients in-process; the table gives the medians over rounds
# of CPU time (the load of a shared machine does not inflate it) and wall time. CVODES is skipped,
# and says so, when libsundials-dev is missing. Writes the section "## Forward sensitivities
# against CVODES" of docs/BENCHMARKS.md. Usage: bench/sens.sh (from the repository root).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-5}"
REPEATS="${REPEATS:-200}"
NAME=Boehm_JProteomeRes2014
YAML="$ROOT/src/test/resources/petab/$NAME/$NAME.yaml"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cd "$ROOT"
./odec --version >/dev/null
TOL=(--rtol 1e-8 --atol 1e-8)

./odec import "$YAML" --out "$OUT/model" >/dev/null
./odec compile "$OUT/model/$NAME.ode" --emit c >"$OUT/prog.c"
TIMES=$(python3 -c "
import csv, sys
print(' '.join(sorted({r['time'] for r in csv.DictReader(open(sys.argv[1]))}, key=float)))" "$OUT/model/data.csv")
CVODES=""
if [ ! -f /usr/include/cvodes/cvodes.h ]; then
  echo "skip CVODES: libsundials-dev is not installed (apt-get install -y libsundials-dev)" >&2
elif ! bench/cvodes/build_sens.sh "$OUT/prog.c" "$OUT/sens_cvodes" 2>"$OUT/build.err"; then
  echo "skip CVODES: the harness did not build: $(head -3 "$OUT/build.err")" >&2
elif ! "$OUT/sens_cvodes" --check 1e-8 1e-8 $TIMES >"$OUT/check.txt"; then
  echo "skip CVODES: its sensitivities disagree with central differences: $(cat "$OUT/check.txt")" >&2
else
  CVODES="$OUT/sens_cvodes"
fi

# one figure line per tool and round: tool cpu_ms wall_ms steps nfe
odec_round() { # label, extra args
  local label=$1; shift
  ./odec grad "$YAML" "${TOL[@]}" "$@" --repeat "$REPEATS" --stats 2>&1 >/dev/null |
    awk -v l="$label" '/^wall_ms/{w=$2} /^cpu_ms/{c=$2} /^steps_forward/{s=$2} /^nfe_forward/{n=$2} /method auto used/{m=$NF}
      END{print l (m ? " (" m ")" : "") "\t" c "\t" w "\t" s "\t" n}'
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
  odec_round "odec grad (default method)" >>"$OUT/rows"
  odec_round "odec grad --method forward --solver bdf" --method forward --solver bdf >>"$OUT/rows"
  if [ -n "$CVODES" ]; then
    "$CVODES" 1e-8 1e-8 "$REPEATS" $TIMES |
      awk '{printf "CVODES forward sensitivities (BDF)\t%.3f\t%.3f\t%d\t%d+%d\n", $1*1000, $2*1000, $4, $5, $6}' >>"$OUT/rows"
  fi
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
BENCH="$ROOT/bench" python3 - "$ROOT/docs/BENCHMARKS.md" "$OUT/rows" "$load0" "$load1" "$ROUNDS" "$REPEATS" "$(cat "$OUT/check.txt" 2>/dev/null)" <<'PY'
import sys, os, statistics, subprocess, datetime
sys.path.insert(0, os.environ["BENCH"])
from doc_section import replace_section
doc, rows, load0, load1, rounds, repeats, check = sys.argv[1:8]
by = {}
for line in open(rows):
    name, cpu, wall, steps, nfe = line.rstrip("\n").split("\t")
    by.setdefault(name, []).append((float(cpu), float(wall), steps, nfe))
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
ref = next((k for k in by if k.startswith("CVODES")), None)
ref_cpu = statistics.median(c for c, *_ in by[ref]) if ref else None
lines = ["## Forward sensitivities against CVODES", "",
         f"Written by `bench/sens.sh` ({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, odec `{commit}`, load average "
         f"{load0} before and {load1} after, on 2 shared cores). The Boehm model (8 states, 9 param components, "
         "16 output times) at rtol = atol = 1e-8, one gradient by forward sensitivities. CVODES integrates the same "
         "equations (the C that `odec compile --emit c` writes: right-hand side, dense Jacobian, sensitivity system) "
         "with BDF, Newton, a dense LU, the simultaneous corrector and error control on the sensitivities; it computes "
         "S only, odec the whole gradient (objective and its derivative from S). "
         f"Each figure is the median over {rounds} interleaved rounds of the median of {repeats} in-process repetitions; "
         "CPU time is the measuring thread's (odec) or process's (CVODES), which other engineers' load does not inflate.",
         ""]
if ref:
    lines += [f"CVODES's sensitivities checked against central differences of its own state solves: {check}", ""]
else:
    lines += ["CVODES was not run (libsundials-dev missing or its harness failed): no ratios.", ""]
lines += ["| solver | CPU ms | ratio to CVODES | wall ms | steps | f evaluations |", "|---|---:|---:|---:|---:|---:|"]
for name, v in by.items():
    cpu = statistics.median(c for c, *_ in v)
    wall = statistics.median(w for _, w, *_ in v)
    ratio = f"{cpu / ref_cpu:.2f}" if ref else "n/a"
    lines.append(f"| {name} | {cpu:.2f} | {ratio} | {wall:.2f} | {v[-1][2]} | {v[-1][3]} |")
lines.append("")
replace_section(doc, lines)
print("\n".join(lines))
PY
