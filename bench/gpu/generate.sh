#!/usr/bin/env bash
# Regenerates the programs bench/gpu.sh compiles, from the models, with odec (needs Java and Maven; run it
# from any checkout, then commit bench/gpu/*.cu and *.c):
#   lv_tsit5, lv_dopri5     examples/lotka_volterra.ode with tsit5 / dopri5
#   robertson_rodas5        examples/stiff/robertson.ode with rodas5
# each as CUDA (odec compile --emit cuda) and as C for the CPU rows (odec compile --emit c).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
for spec in "lv_tsit5 examples/lotka_volterra.ode tsit5" "lv_dopri5 examples/lotka_volterra.ode dopri5" \
            "robertson_rodas5 examples/stiff/robertson.ode rodas5"; do
  set -- $spec
  ./odec compile "$2" --emit cuda --solver "$3" > "bench/gpu/$1.cu"
  ./odec compile "$2" --emit c --solver "$3" > "bench/gpu/$1.c"
  echo "wrote bench/gpu/$1.cu and bench/gpu/$1.c" >&2
done
