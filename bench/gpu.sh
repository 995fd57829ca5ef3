#!/usr/bin/env bash
# GPU ensemble benchmark of odec's generated CUDA (one thread per member, the model, its solver and its
# step-size control compiled into one kernel) against array-library ensembles on the same GPU.
#
#   bench/gpu.sh [RESULTS.md]          (default: bench/target/gpu/results.md)
#
# Needs: nvcc and an NVIDIA GPU; no JVM (the programs are committed in bench/gpu/, written by
# `odec compile --emit cuda|c`; regenerate them with bench/gpu/generate.sh). Optional: PyTorch with
# torchdiffeq and JAX with diffrax on the same machine (each is skipped, with the reason, when it is
# missing), and a C compiler for the one-core CPU rows. Finishes within 5 minutes: every run has a time
# limit, and what did not fit is marked.
#
# Runs (odec's bench mode draws the members around the nominal parameters, +-10%, reproducibly):
#   Lotka-Volterra, tsit5 and dopri5, rtol 1e-6, atol 1e-8, t in [0, 10], 11 outputs: 1, 1e3, 1e5, 1e6 members
#   Robertson, rodas5, rtol 1e-6, atol 1e-10, t in [0, 1e5], 11 outputs: 1, 1e3, 1e5 members
# and the same ensembles with torchdiffeq (dopri5; it has no stiff adaptive solver) and diffrax (Tsit5,
# Dopri5, Kvaerno5 for Robertson). odec's times: the kernel alone, and with the transfers of parameters
# and results. Ratios: the library's time over odec's time with transfers.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/bench/target/gpu"
RESULTS="${1:-$BUILD/results.md}"
mkdir -p "$BUILD" "$(dirname "$RESULTS")"
START=$SECONDS
BUDGET=280 # seconds, leaving room for the report within 5 minutes
LOG="$BUILD/runs.txt"
: > "$LOG"

say() { echo "$*" >&2; }
left() { echo $((BUDGET - (SECONDS - START))); }

# ---- tools -------------------------------------------------------------------------------------
NVCC="$(command -v nvcc || true)"
[ -z "$NVCC" ] && [ -n "${CUDA_HOME:-}" ] && [ -x "$CUDA_HOME/bin/nvcc" ] && NVCC="$CUDA_HOME/bin/nvcc"
[ -z "$NVCC" ] && [ -x /usr/local/cuda/bin/nvcc ] && NVCC=/usr/local/cuda/bin/nvcc
GPU=""
if command -v nvidia-smi >/dev/null 2>&1; then
  GPU="$(nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)"
fi
ARCH="sm_90"
if [ -n "$GPU" ]; then ARCH="sm_$(echo "$GPU" | cut -d, -f2 | tr -d ' .')"; fi
CC="$(command -v cc || command -v gcc || true)"
PY="$(command -v python3 || true)"

{
  echo "# odec GPU ensemble benchmark"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); written by \`bench/gpu.sh\`"
  echo "- GPU: ${GPU:-none found (nvidia-smi missing or silent)}"
  echo "- nvcc: ${NVCC:-not found}$( [ -n "$NVCC" ] && "$NVCC" --version | tail -1 | sed 's/^/ (/; s/$/)/'), -O3 -arch=$ARCH"
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//'), C rows on one core with ${CC:-no C compiler} -O2"
  echo "- Programs: bench/gpu/*.cu from \`odec compile --emit cuda\` (source $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'))"
} > "$RESULTS.head"

if [ -z "$NVCC" ]; then
  say "skipped: nvcc not found (PATH, CUDA_HOME/bin, /usr/local/cuda/bin)"
  { cat "$RESULTS.head"; echo; echo "Not run: nvcc was not found on this machine."; } > "$RESULTS"
  rm -f "$RESULTS.head"; cat "$RESULTS"; exit 0
fi

# ---- build ---------------------------------------------------------------------------------------
PROGRAMS="lv_tsit5 lv_dopri5 robertson_rodas5"
for p in $PROGRAMS; do
  say "== nvcc $p"
  if ! "$NVCC" -O3 -arch="$ARCH" -o "$BUILD/$p" "$ROOT/bench/gpu/$p.cu" 2> "$BUILD/$p.nvcc.txt"; then
    say "nvcc failed on $p (see $BUILD/$p.nvcc.txt)"; cat "$BUILD/$p.nvcc.txt" >&2; exit 4
  fi
  if [ -n "$CC" ]; then
    "$CC" -O2 -std=c99 -ffp-contract=off -o "$BUILD/${p}_cpu" "$ROOT/bench/gpu/$p.c" -lm 2> "$BUILD/$p.cc.txt" || say "cc failed on $p"
  fi
done
if [ -z "$GPU" ]; then
  say "no GPU: the programs were compiled for $ARCH, nothing was run"
  { cat "$RESULTS.head"; echo; echo "Compiled only: no NVIDIA GPU was found (nvidia-smi missing or silent), so nothing was run."; } > "$RESULTS"
  rm -f "$RESULTS.head"; cat "$RESULTS"; exit 0
fi

# ---- runs ----------------------------------------------------------------------------------------
# one line per run in $LOG: KIND MODEL SOLVER MEMBERS key=value...
run() { # run KIND MODEL SOLVER MEMBERS LIMIT COMMAND...
  local kind=$1 model=$2 solver=$3 m=$4 limit=$5; shift 5
  local rest; rest=$(left)
  if [ "$rest" -lt 5 ]; then echo "$kind $model $solver $m status=no_time" >> "$LOG"; return; fi
  [ "$limit" -gt "$rest" ] && limit=$rest
  say "== $kind $model $solver $m members (limit ${limit}s)"
  local out; out=$(timeout "$limit" "$@" 2>"$BUILD/last_err.txt"); local rc=$?
  if [ $rc -eq 0 ]; then echo "$kind $model $solver $m $(echo "$out" | tail -1)" >> "$LOG"
  elif [ $rc -eq 124 ]; then echo "$kind $model $solver $m status=timeout_${limit}s" >> "$LOG"
  elif [ $rc -eq 2 ] && echo "$out" | grep -q '^skipped:'; then echo "$kind $model $solver $m status=$(echo "$out" | sed 's/^skipped: //; s/ /_/g')" >> "$LOG"
  else echo "$kind $model $solver $m status=failed_rc$rc" >> "$LOG"; cat "$BUILD/last_err.txt" >&2; fi
}
LV="--t1 10 --nsave 11 --rtol 1e-6 --atol 1e-8"
ROB="--t1 1e5 --nsave 11 --rtol 1e-6 --atol 1e-10"
for m in 1 1000 100000 1000000; do
  run odec lv tsit5 $m 60 "$BUILD/lv_tsit5" --bench $m --repeat 3 $LV
  run odec lv dopri5 $m 60 "$BUILD/lv_dopri5" --bench $m --repeat 3 $LV
done
for m in 1 1000 100000; do
  run odec robertson rodas5 $m 60 "$BUILD/robertson_rodas5" --bench $m --repeat 3 $ROB
done
if [ -n "$CC" ]; then
  for m in 1 1000 10000; do run cpu lv tsit5 $m 30 "$BUILD/lv_tsit5_cpu" --bench $m --repeat 1 $LV; done
  for m in 1 1000; do run cpu robertson rodas5 $m 30 "$BUILD/robertson_rodas5_cpu" --bench $m --repeat 1 $ROB; done
fi
# a library that is missing (or sees no GPU) is tried once: its first run says so
missing() { tail -1 "$LOG" | grep -q "^$1 .* status=" && ! tail -1 "$LOG" | grep -q "status=timeout"; }
if [ -n "$PY" ]; then
  REF="$ROOT/bench/gpu/reference.py"
  for m in 1000 100000 1000000; do
    run torchdiffeq lv dopri5 $m 40 "$PY" "$REF" --lib torchdiffeq --model lv --solver dopri5 --members $m --repeat 3 $LV
    missing torchdiffeq && break
  done
  for m in 1000 100000 1000000; do
    run diffrax lv tsit5 $m 60 "$PY" "$REF" --lib diffrax --model lv --solver tsit5 --members $m --repeat 3 $LV
    missing diffrax && break
    run diffrax lv dopri5 $m 60 "$PY" "$REF" --lib diffrax --model lv --solver dopri5 --members $m --repeat 3 $LV
  done
  if ! missing diffrax; then
    for m in 1000 100000; do
      run diffrax robertson kvaerno5 $m 60 "$PY" "$REF" --lib diffrax --model robertson --solver kvaerno5 --members $m --repeat 3 $ROB
    done
  fi
fi

# ---- report --------------------------------------------------------------------------------------
python_table() {
"$PY" - "$LOG" <<'PYEOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    kind, model, solver, m = f[0], f[1], f[2], int(f[3])
    kv = dict(x.split("=", 1) for x in f[4:] if "=" in x)
    rows[(kind, model, solver, m)] = kv
def odec_ms(model, solver, m):
    kv = rows.get(("odec", model, solver, m), {})
    return float(kv["total_ms"]) if "total_ms" in kv else None
def cell(kv, key):
    return kv.get(key, kv.get("status", "-"))
print("| model | solver | members | odec kernel ms | odec with transfers ms | members/s | failed | steps/member | checksum |")
print("|---|---|---:|---:|---:|---:|---:|---:|---|")
for (kind, model, solver, m), kv in sorted(rows.items(), key=lambda r: (r[0][0] != "odec", r[0][1], r[0][2], r[0][3])):
    if kind != "odec":
        continue
    if "total_ms" in kv:
        t = float(kv["total_ms"])
        print(f"| {model} | {solver} | {m:,} | {float(kv['solve_ms']):.3f} | {t:.3f} | {m / t * 1e3:,.0f} | {kv['failed']} | "
              f"{int(kv['steps']) / m:.1f} | {kv['checksum']} |")
    else:
        print(f"| {model} | {solver} | {m:,} | {cell(kv, 'x')} | | | | | |")
print()
print("| reference | model | solver | members | its ms | odec ms (same model, solver) | its ms / odec ms | checksum |")
print("|---|---|---|---:|---:|---:|---:|---|")
for (kind, model, solver, m), kv in sorted(rows.items()):
    if kind == "odec":
        continue
    odec_solver = {"kvaerno5": "rodas5"}.get(solver, solver)
    o = odec_ms(model, odec_solver, m) if kind != "cpu" else odec_ms(model, solver, m)
    label = "odec C, 1 CPU core" if kind == "cpu" else kind
    if "ms" in kv or "solve_ms" in kv:
        t = float(kv.get("ms", kv.get("solve_ms")))
        ratio = f"{t / o:,.1f}" if o else "-"
        print(f"| {label} | {model} | {solver} | {m:,} | {t:.3f} | {o if o is not None else '-'} | {ratio} | {kv.get('checksum', '')} |")
    else:
        print(f"| {label} | {model} | {solver} | {m:,} | {cell(kv, 'x')} | | | |")
PYEOF
}
{
  cat "$RESULTS.head"
  echo "- Wall time of this run: $((SECONDS - START)) s"
  echo
  if [ -n "$PY" ]; then python_table; else echo '```'; cat "$LOG"; echo '```'; fi
  echo
  echo "Raw lines: $LOG"
} > "$RESULTS"
rm -f "$RESULTS.head"
cat "$RESULTS"
