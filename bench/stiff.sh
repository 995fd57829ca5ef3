#!/usr/bin/env bash
# Stiff solvers: odec bdf / rodas5 / auto (generated sparse Jacobian) against SUNDIALS CVODE (BDF,
# hand-written dense Jacobians; KLU sparse for the generated networks) and scipy solve_ivp (BDF,
# Radau, LSODA, analytic Jacobians) at several tolerances, on Robertson (t to 1e11), HIRES,
# Pollution and generated stiff mass-action networks (bench/stiff/gen_network.py); plus a JFR
# profile of odec. Writes bench/target/stiff/results/ and the "Stiff solvers" section of
# docs/BENCHMARKS.md (bench/stiff/report.py).
#   bench/stiff.sh                 full run (about 15 minutes on 2 cores)
#   BENCH_QUICK=1 bench/stiff.sh   short warm-up and few samples, for checking the harness only
#   STIFF_BIG=0 bench/stiff.sh     without the n = 10,000 network
# Needs: Java 17, Maven, gcc, libsundials-dev 6.x with libsundials_sunlinsolklu and libklu
# (SuiteSparse), Python 3 with numpy and scipy.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="bench/target/stiff"
RES="$OUT/results"
rm -rf "$RES"
mkdir -p "$RES" "$OUT/classes"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  JOPTS=(--warmup-ms 200 --samples 3 --sample-ms 10); COPTS=(0.1 3 10); PYBUDGET=0.2; NJOPTS=(--warmup-ms 0 --samples 1 --sample-ms 0)
else
  JOPTS=(--warmup-ms 2500 --samples 9 --sample-ms 40); COPTS=(1.0 9 40); PYBUDGET=1.5; NJOPTS=(--warmup-ms 3000 --samples 5 --sample-ms 0)
fi
TOLS="1e-4 1e-6 1e-8 1e-10"   # the small problems
NTOLS="1e-4 1e-6 1e-8"         # the networks
NETS="100 1000"
[ "${STIFF_BIG:-1}" = 1 ] && NETS="$NETS 10000"

# floor of each problem: atol = rtol * floor (as src/test/java/dev/odec/solve/StiffSolversTest.java)
floor() { case "$1" in robertson) echo 1e-8 ;; hires) echo 1e-5 ;; pollution) echo 1e-10 ;; *) echo 1e-6 ;; esac; }
t1() { case "$1" in robertson) echo 1e11 ;; hires) echo 321.8122 ;; pollution) echo 60 ;; *) echo 100 ;; esac; }
model() { case "$1" in net*) echo "$OUT/net_${1#net}.ode" ;; *) echo "examples/stiff/$1.ode" ;; esac; }
tolpairs() { local p="$1"; shift; local s=""; for r in "$@"; do s="$s${s:+,}$r:$(python3 -c "print('%.0e' % ($r*$(floor "$p")))")"; done; echo "$s"; }

echo "== building odec (./odec builds on first use)" >&2
./odec check examples/stiff/robertson.ode >&2
CP="target/odec.jar"
for j in target/lib/*.jar; do CP="$CP:$j"; done
javac -d "$OUT/classes" -cp "$CP" bench/java/dev/odec/bench/StiffBench.java bench/java/dev/odec/bench/StiffProfile.java
JAVA=(java -XX:+UseSerialGC -Xss16m -cp "$OUT/classes:$CP")

echo "== generating the networks" >&2
python3 bench/stiff/gen_network.py $NETS
PROBS="robertson hires pollution"
for n in $NETS; do PROBS="$PROBS net$n"; done

echo "== building the CVODE harnesses" >&2
bench/stiff/cvode/build.sh $PROBS

echo "== references of the networks" >&2
for n in $NETS; do
  if [ "$n" -le 1000 ]; then
    (cd bench/stiff && python3 scipy_stiff.py "../../$RES" ../target/stiff "net$n" --reference)
  else  # scipy Radau at 1e-12 takes too long at n = 10,000: odec bdf at 1e-12, cross-checked with CVODE at 1e-12
    "${JAVA[@]}" dev.odec.bench.StiffBench "$(model net$n)" "net${n}ref" "$RES/ref" 100 --tols "1e-12:1e-18" --methods bdf --once
    cp "$RES/ref/net${n}ref.odec.bdf.1e-12.state" "$RES/net$n.ref.odec.state"
    "$OUT/cvode_net$n" 1e-12 1e-18 0 1 0 "$RES/net$n.ref.cvode.state" > /dev/null
  fi
done

for p in $PROBS; do
  case "$p" in net*) T=$NTOLS; JO=("${NJOPTS[@]}"); CO=(0 3 0) ;; *) T=$TOLS; JO=("${JOPTS[@]}"); CO=("${COPTS[@]}") ;; esac
  [ "$p" = net10000 ] && T="1e-6" && JO=(--warmup-ms 0 --samples 3 --sample-ms 0 --methods bdf,rodas5)
  echo "== $p: odec" >&2
  "${JAVA[@]}" dev.odec.bench.StiffBench "$(model "$p")" "$p" "$RES" "$(t1 "$p")" --tols "$(tolpairs "$p" $T)" "${JO[@]}"
  echo "== $p: CVODE" >&2
  : > "$RES/$p.cvode.tsv"
  for r in $T; do
    a=$(python3 -c "print('%.0e' % ($r*$(floor "$p")))")
    line=$("$OUT/cvode_$p" "$r" "$a" "${CO[@]}" "$RES/$p.cvode.bdf.$r.state")
    echo "$line" >&2
    n=$(wc -l < "$RES/$p.cvode.bdf.$r.state")
    printf '%s\t%s\tcvode\tbdf\t%s\n' "$p" "$n" "$line" | awk -F'\t' -v OFS='\t' '{print $1,$2,$5,$6,$3,$4,$7,$8,$9,$10,$11,$12,$13,$14,$15,-1}' >> "$RES/$p.cvode.tsv"
  done
  if [ "$p" != net10000 ]; then
    echo "== $p: scipy" >&2
    (cd bench/stiff && python3 scipy_stiff.py "../../$RES" ../target/stiff "$p" --tols "${T// /,}" --budget-s "$PYBUDGET")
  fi
done

echo "== profile (JFR) of odec on pollution and net1000, rtol 1e-6" >&2
for spec in "pollution bdf 60 1e-6 1e-16" "pollution rodas5 60 1e-6 1e-16" "net1000 bdf 100 1e-6 1e-12"; do
  set -- $spec
  "${JAVA[@]}" -Xlog:jfr+startup=warning -XX:StartFlightRecording=settings=profile,filename="$RES/profile_$1_$2.jfr" \
    dev.odec.bench.StiffProfile "$(model "$1")" "$2" "$3" "$4" "$5" "${STIFF_PROFILE_S:-8}"
  python3 bench/stiff/profile_stiff.py "$RES/profile_$1_$2.jfr" "$RES/profile_$1_$2.tsv"
done

{
  echo "odec: \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)'), JVM backend, Java flags -XX:+UseSerialGC -Xss16m"
  echo "SUNDIALS (CVODE via libcvodes): $(dpkg-query -W -f='${Version}' libsundials-dev 2>/dev/null || echo unknown), KLU from libklu $(dpkg-query -W -f='${Version}' libklu1 2>/dev/null || echo '?'); gcc -O2"
  echo "Python $(python3 -c 'import platform; print(platform.python_version())'), numpy $(python3 -c 'import numpy; print(numpy.__version__)'), scipy $(python3 -c 'import scipy; print(scipy.__version__)')"
  echo "harness options: odec ${JOPTS[*]} (networks: ${NJOPTS[*]}); CVODE warm-up ${COPTS[0]} s, ${COPTS[1]} samples of ${COPTS[2]} ms (networks: 3 samples of 1 solve); scipy budget ${PYBUDGET} s"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
} > "$RES/versions.txt"
python3 bench/stiff/report.py "$RES" docs/BENCHMARKS.md
echo "== wrote the Stiff solvers section of docs/BENCHMARKS.md" >&2
