#!/usr/bin/env bash
# Ensembles on the CPU: odec's generated C (`run --ensemble FILE --backend c`: the model and its solver
# compiled with cc -O2, members one after another on one core) against the JVM backend's ensemble (the
# same members one after another on one core, one integrator reused), on 10,000 Lotka-Volterra members
# (tsit5, dopri5) and 10,000 Robertson members (rodas5); and the time odec takes to generate the C
# program of a 1,000-reaction network (Jacobian, VJP and adjoint included).
#
#   bench/ensemble.sh          (about 2 minutes; needs Java, Maven, Python 3 with numpy, a C compiler)
#
# Writes bench/target/ensemble/ and the "Ensembles" section of docs/BENCHMARKS.md. GPU figures come
# from bench/gpu.sh on a machine with a GPU.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="bench/target/ensemble"
RES="$OUT/results"
rm -rf "$RES"
mkdir -p "$RES"
REPEAT="${ENSEMBLE_REPEAT:-3}"

echo "== building odec" >&2
./odec check examples/lotka_volterra.ode >&2

echo "== the members (bench mode's draws: nominal values +-10%)" >&2
python3 - "$OUT" <<'PYEOF'
import sys
sys.path.insert(0, "bench/gpu")
from reference import members
out = sys.argv[1]
for model, names, m in (("lv", ["alpha", "beta", "delta", "gamma"], 10000), ("robertson", ["k1", "k2", "k3"], 10000)):
    p, _ = members(model, m)
    with open(f"{out}/{model}_{m}.csv", "w") as f:
        f.write(",".join(names) + "\n")
        for row in p:
            f.write(",".join(repr(float(v)) for v in row[:len(names)]) + "\n")
PYEOF

run() { # run ID MODEL CSV SOLVER T1 RTOL ATOL BACKEND
  local id=$1 model=$2 csv=$3 solver=$4 t1=$5 rtol=$6 atol=$7 backend=$8
  echo "== $id $backend" >&2
  ./odec run "$model" --ensemble "$csv" --solver "$solver" --t1 "$t1" --saveat "0:$(python3 -c "print($t1/10)"):$t1" \
    --rtol "$rtol" --atol "$atol" --backend "$backend" --stats --repeat "$REPEAT" --out "$RES/$id.$backend.csv" --force \
    --cache-dir "$OUT/cache" 2> "$RES/$id.$backend.stats"
}
for backend in jvm c; do
  run lv_tsit5 examples/lotka_volterra.ode "$OUT/lv_10000.csv" tsit5 10 1e-6 1e-8 $backend
  run lv_dopri5 examples/lotka_volterra.ode "$OUT/lv_10000.csv" dopri5 10 1e-6 1e-8 $backend
  run robertson_rodas5 examples/stiff/robertson.ode "$OUT/robertson_10000.csv" rodas5 1e5 1e-6 1e-10 $backend
done

echo "== generating the program of a 1,000-reaction network" >&2
python3 bench/stiff/gen_network.py --out "$OUT" 500 >&2
CP="target/odec.jar"
for j in target/lib/*.jar; do CP="$CP:$j"; done
mkdir -p "$OUT/classes"
javac -d "$OUT/classes" -cp "$CP" bench/java/dev/odec/bench/CodegenBench.java
java -XX:+UseSerialGC -Xss16m -cp "$OUT/classes:$CP" dev.odec.bench.CodegenBench "$OUT/net_500.ode" c 15 > "$RES/codegen_c.txt"
java -XX:+UseSerialGC -Xss16m -cp "$OUT/classes:$CP" dev.odec.bench.CodegenBench "$OUT/net_500.ode" cuda 15 > "$RES/codegen_cuda.txt"

{
  echo "odec: \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)')"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(cc --version | head -1)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RES/versions.txt"
python3 bench/ensemble_report.py "$RES" docs/BENCHMARKS.md
echo "== wrote the Ensembles section of docs/BENCHMARKS.md" >&2
