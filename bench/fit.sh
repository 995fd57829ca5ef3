#!/usr/bin/env bash
# Fitting speed: odec fit (ls and lbfgs) against scipy (solve_ivp + least_squares with a
# finite-difference Jacobian, and with forward sensitivities written in numpy) from the same start
# points with the same tolerances, on the enzyme example (examples/fit, 4 parameters) and on
# Fujita et al. 2010 (src/test/resources/petab, 19 parameters). Writes the section "## Fitting" of
# docs/BENCHMARKS.md, with the fraction of random starts that reach the published optimum of Boehm et
# al. 2014 (odec alone). scipy is skipped, and said so, when python3, numpy, scipy or sympy is missing.
#   bench/fit.sh                      full run (about 20 minutes on a quiet machine)
#   ENZYME_STARTS=3 FUJITA_STARTS=2 BOEHM_STARTS=4 CAP=30 bench/fit.sh    a short check of the harness
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$(mktemp -d)"
ENZYME_STARTS="${ENZYME_STARTS:-10}"
FUJITA_STARTS="${FUJITA_STARTS:-3}"
BOEHM_STARTS="${BOEHM_STARTS:-100}"
CAP="${CAP:-90}"   # seconds: a scipy start still running after this is stopped (counted with its best so far)
SEED=1
./odec --version >/dev/null
LOAD_BEFORE="$(uptime)"

HAVE_SCIPY=1
if ! python3 -c "import numpy, scipy, sympy" 2>/dev/null; then
  HAVE_SCIPY=0
  echo "skip scipy: python3 with numpy, scipy and sympy not found" >&2
fi

# name|odec model arguments|rtol|atol|starts
CASES=(
  "enzyme|examples/fit/enzyme.ode --data examples/fit/enzyme_data.csv --conditions examples/fit/enzyme_conditions.csv|1e-8|1e-10|$ENZYME_STARTS"
  "fujita|src/test/resources/petab/Fujita_SciSignal2010/Fujita_SciSignal2010.yaml|1e-8|1e-8|$FUJITA_STARTS"
)
TIMEFORMAT='%R %U %S'
for c in "${CASES[@]}"; do
  IFS='|' read -r name args rtol atol starts <<<"$c"
  for opt in ls lbfgs; do
    echo "== odec $name $opt ($starts starts)" >&2
    # whole process, one thread: JVM start, compilation and every start
    { time ./odec fit $args --optimizer "$opt" --starts "$starts" --seed "$SEED" --threads 1 --rtol "$rtol" \
        --atol "$atol" --out "$OUT/${name}_$opt.json" >/dev/null 2>"$OUT/${name}_$opt.err"; } 2>"$OUT/${name}_$opt.time"
  done
  if [ "$HAVE_SCIPY" = 1 ]; then
    for v in fd sens; do
      echo "== scipy $name $v" >&2
      python3 bench/fit/fit_bench.py "$name" "$OUT/${name}_ls.json" "$OUT/${name}_$v.tsv" "$v" --starts "$starts" \
        --cap "$CAP" --rtol "$rtol" --atol "$atol"
    done
  fi
done
# Boehm et al. 2014 (9 parameters over [1e-5, 1e5]): the fraction of random starts that reach the
# published optimum, per optimizer (odec only; all cores)
for opt in ls lbfgs; do
  echo "== odec boehm $opt ($BOEHM_STARTS random starts)" >&2
  ./odec fit src/test/resources/petab/Boehm_JProteomeRes2014/Boehm_JProteomeRes2014.yaml --optimizer "$opt" \
    --starts $((BOEHM_STARTS + 1)) --seed 2 --out "$OUT/boehm_$opt.json" >/dev/null 2>"$OUT/boehm_$opt.err"
done
export BOEHM_STARTS LOAD_BEFORE LOAD_AFTER="$(uptime)" SEED CAP HAVE_SCIPY
python3 bench/fit/fit_report.py "$OUT" docs/BENCHMARKS.md
rm -rf "$OUT"
