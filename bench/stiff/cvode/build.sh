#!/usr/bin/env bash
# Builds bench/target/stiff/cvode_PROBLEM for each PROBLEM given (robertson, hires, pollution, or
# netN for the generated bench/target/stiff/net_N.c) against Debian's libsundials-dev (SUNDIALS 6.x):
#   apt-get install -y libsundials-dev      (KLU: libsundials_sunlinsolklu + SuiteSparse's libklu)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SRC="$ROOT/bench/stiff/cvode"
OUT="$ROOT/bench/target/stiff"
mkdir -p "$OUT"
LIBS=(-lsundials_cvodes -lsundials_nvecserial -lsundials_sunmatrixdense -lsundials_sunlinsoldense
      -lsundials_sunmatrixsparse -lm)
for p in "$@"; do
  case "$p" in
    net*)
      gcc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wno-unused-variable -I/usr/include/suitesparse -I"$SRC" \
        -DUSE_KLU -DNET_FILE="\"$OUT/net_${p#net}.c\"" -DPROBLEM='"network.h"' \
        -o "$OUT/cvode_$p" "$SRC/stiff_cvode.c" "${LIBS[@]}" -lsundials_sunlinsolklu -lklu ;;
    *)
      gcc -O2 -std=c11 -D_GNU_SOURCE -Wall -I"$SRC" -DPROBLEM="\"$p.h\"" \
        -o "$OUT/cvode_$p" "$SRC/stiff_cvode.c" "${LIBS[@]}" ;;
  esac
done
