#!/usr/bin/env bash
# Runs every benchmark in one go and writes docs/BENCHMARKS.md.
#   bench/run.sh            full run (about 3 minutes)
#   BENCH_QUICK=1 bench/run.sh   short warm-up and few samples, for checking the harness only
#   BENCH_GRAD=1 bench/run.sh    also the gradient benchmarks (bench/grad.sh; alone: bench/grad.sh)
# Needs: Java 17, Maven (Hipparchus is fetched into bench/target/lib, never into the main build),
# Python 3 with numpy and scipy.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="bench/target"
RES="$OUT/results"
rm -rf "$RES"
mkdir -p "$RES" "$OUT/classes"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  JOPTS=(--warmup-ms 300 --samples 5 --sample-ms 10); PYBUDGET=0.5
else
  JOPTS=(--warmup-ms 1500 --samples 15 --sample-ms 25); PYBUDGET=3
fi
TOLS="1e-6:1e-8,1e-10:1e-12"

echo "== building odec (./odec builds on first use)" >&2
./odec check examples/lotka_volterra.ode >&2

echo "== resolving Hipparchus for the benchmark only" >&2
mvn -B -q -f bench/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib >&2
HIP_VERSION="$(ls bench/target/lib | sed -n 's/^hipparchus-ode-\(.*\)\.jar$/\1/p')"

echo "== generating the chain models" >&2
python3 bench/gen_chain.py 10 100 1000 >&2

echo "== compiling the harness" >&2
CP="target/odec.jar"
for j in target/lib/*.jar bench/target/lib/*.jar; do CP="$CP:$j"; done
rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
javac -d "$OUT/classes" -cp "$CP" $(find bench/java -name '*.java')
JAVA=(java -XX:+UseSerialGC -Xss16m -cp "$OUT/classes:$CP")

echo "== odec vs Hipparchus" >&2
"${JAVA[@]}" dev.odec.bench.Bench examples/lotka_volterra.ode lv "$RES" --tols "$TOLS" "${JOPTS[@]}"
for n in 10 100 1000; do
  "${JAVA[@]}" dev.odec.bench.Bench "bench/models/chain_$n.ode" "chain$n" "$RES" --tols "$TOLS" "${JOPTS[@]}"
done

echo "== scipy" >&2
python3 bench/scipy_bench.py "$RES" lv chain10 chain100 chain1000 --tols "$TOLS" --budget-s "$PYBUDGET"

echo "== profile (JFR) of odec dopri5 on chain n=1000, rtol 1e-6" >&2
"${JAVA[@]}" -Xlog:jfr+startup=warning -XX:StartFlightRecording=settings=profile,filename="$RES/profile.jfr" \
  dev.odec.bench.Profile bench/models/chain_1000.ode dopri5 1e-6 1e-8 8
python3 bench/profile_report.py "$RES/profile.jfr" "$RES/profile.tsv"
echo "odec dopri5, chain n=1000, rtol 1e-6 atol 1e-8, solved repeatedly for 8 s; JFR settings=profile" \
  > "$RES/profile.txt"

echo "== whole process" >&2
python3 bench/process_bench.py "$RES/process.tsv" 10 ./odec run examples/lotka_volterra.ode --t1 10

{
  echo "odec: \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)'), JVM backend"
  echo "Hipparchus: $HIP_VERSION (org.hipparchus:hipparchus-ode, bench only)"
  echo "Python $(python3 -c 'import platform; print(platform.python_version())'), numpy $(python3 -c 'import numpy; print(numpy.__version__)'), scipy $(python3 -c 'import scipy; print(scipy.__version__)')"
  echo "Java flags of the harness: -XX:+UseSerialGC -Xss16m; harness options: ${JOPTS[*]}"
} > "$RES/versions.txt"

# report.py rewrites docs/BENCHMARKS.md; the Gradients (bench/grad.sh), Stiff solvers (bench/stiff.sh) and
# Ensembles (bench/ensemble.sh, bench/gpu.sh) sections are kept as they were.
GRAD_SECTION="$OUT/gradients_section.md"
sed -n '/<!-- gradients:begin -->/,/<!-- gradients:end -->/p' docs/BENCHMARKS.md > "$GRAD_SECTION" || true
STIFF_SECTION="$OUT/stiff_section.md"
sed -n '/<!-- stiff:begin -->/,/<!-- stiff:end -->/p' docs/BENCHMARKS.md > "$STIFF_SECTION" || true
ENSEMBLE_SECTION="$OUT/ensemble_section.md"
sed -n '/<!-- ensembles:begin -->/,/<!-- ensembles:end -->/p' docs/BENCHMARKS.md > "$ENSEMBLE_SECTION" || true
python3 bench/report.py "$RES" docs/BENCHMARKS.md "bench/run.sh"
if [ -s "$GRAD_SECTION" ]; then printf '\n' >> docs/BENCHMARKS.md; cat "$GRAD_SECTION" >> docs/BENCHMARKS.md; fi
if [ -s "$STIFF_SECTION" ]; then printf '\n' >> docs/BENCHMARKS.md; cat "$STIFF_SECTION" >> docs/BENCHMARKS.md; fi
if [ -s "$ENSEMBLE_SECTION" ]; then printf '\n' >> docs/BENCHMARKS.md; cat "$ENSEMBLE_SECTION" >> docs/BENCHMARKS.md; fi
echo "== wrote docs/BENCHMARKS.md" >&2

# BENCH_GRAD=1: also the gradient benchmarks (bench/grad.sh), which rewrite the Gradients section.
if [ "${BENCH_GRAD:-0}" = 1 ]; then
  bench/grad.sh
fi
