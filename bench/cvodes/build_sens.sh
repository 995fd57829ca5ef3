#!/usr/bin/env bash
# Builds the CVODES forward-sensitivity harness for one model: bench/cvodes/build_sens.sh PROG.c OUT
# where PROG.c is `odec compile MODEL --emit c` (the number of sensitivity columns is read from its
# od_sensitivity comment). Needs Debian's libsundials-dev (SUNDIALS 6.x): apt-get install -y libsundials-dev
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROG="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
OUT="$2"
K=$(sed -n 's/.*od_sensitivity: .*S_1, \.\.\., S_\([0-9]*\)\].*/\1/p' "$PROG" | head -1)
if [ -z "$K" ]; then
  K=$(sed -n 's/.*od_sensitivity: .*\[x, S_1\].*/1/p' "$PROG" | head -1)
fi
[ -n "$K" ] || { echo "build_sens.sh: no forward-sensitivity system in $PROG" >&2; exit 1; }
gcc -O2 -std=c11 -D_GNU_SOURCE -w -DMODEL="\"$PROG\"" -DOD_SENS_COLUMNS="$K" -o "$OUT" \
  "$ROOT/bench/cvodes/sens_cvodes.c" -lsundials_cvodes -lsundials_nvecserial -lsundials_sunmatrixdense \
  -lsundials_sunlinsoldense -lsundials_sunnonlinsolnewton -lm
