#!/usr/bin/env bash
# Builds bench/target/cvodes/lv_cvodes against Debian's libsundials-dev (SUNDIALS 6.x):
#   apt-get install -y libsundials-dev
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bench/target/cvodes"
mkdir -p "$OUT"
gcc -O2 -std=c11 -D_GNU_SOURCE -Wall -o "$OUT/lv_cvodes" "$ROOT/bench/cvodes/lv_cvodes.c" \
  -lsundials_cvodes -lsundials_nvecserial -lsundials_sunmatrixdense -lsundials_sunlinsoldense \
  -lsundials_sunnonlinsolfixedpoint -lm
