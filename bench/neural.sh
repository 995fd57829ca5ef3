#!/usr/bin/env bash
# Neural ODE benchmark: forward-solve throughput and time per training step of an MLP ODE
# (2 -> 64 -> 2, tanh, dopri5, rtol 1e-6, atol 1e-8, t in [0, 1]) at batch 1, 1,024 and 65,536,
# odec's JVM and ND4J backends beside a PyTorch reference on the CPU (bench/neural/torch_ref.py,
# a batched Dormand-Prince loop written for this benchmark). Writes bench/target/neural/ and the
# "Neural ODEs" section of docs/BENCHMARKS.md.
#   bench/neural.sh                 full run
#   BENCH_QUICK=1 bench/neural.sh   batches 1 and 1,024 only, short budgets (checks the harness)
# Needs Java 17 and Maven; PyTorch is optional (Debian's python3-torch: apt-get install
# python3-torch): without it the reference is skipped and the report says so.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RES="bench/target/neural"
rm -rf "$RES" && mkdir -p "$RES" bench/target/classes
if [ "${BENCH_QUICK:-0}" = 1 ]; then BATCHES="1,1024"; BUDGET=1; else BATCHES="1,1024,65536"; BUDGET=4; fi

echo "== building odec (./odec builds on first use)" >&2
./odec check bench/models/mlp64.ode >&2
CP="target/odec.jar"
for j in target/lib/*.jar; do CP="$CP:$j"; done
javac -d bench/target/classes -cp "$CP" bench/java/dev/odec/bench/NeuralBench.java
echo "== odec: JVM and ND4J backends" >&2
java -XX:+UseSerialGC -Xss16m -Xmx8g -cp "bench/target/classes:$CP" dev.odec.bench.NeuralBench "$RES" "$BATCHES" "$BUDGET"

echo "== start-up of odec run on the JVM path, and whether it loads ND4J" >&2
for i in 1 2 3 4 5 6 7 8 9; do
  /usr/bin/env time -f "%e" ./odec run examples/lotka_volterra.ode --t1 10 >/dev/null 2>>"$RES/startup_s.txt"
done
java -Xlog:class+load -cp "$CP" dev.odec.cli.Main run examples/lotka_volterra.ode --t1 10 2>/dev/null \
  | grep -c -E 'org\.nd4j|org\.bytedeco' > "$RES/nd4j_classes.txt" || true

# PyTorch: the default python3 first, then Debian's (python3-torch installs for /usr/bin/python3)
TORCH_PY=""
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import torch' 2>/dev/null; then TORCH_PY="$py"; break; fi
done
if [ -n "$TORCH_PY" ]; then
  echo "== PyTorch reference ($TORCH_PY)" >&2
  "$TORCH_PY" -c 'import torch; print(torch.__version__, torch.get_num_threads())' > "$RES/torch_version.txt"
  "$TORCH_PY" bench/neural/torch_ref.py "$RES" "$BATCHES" "$BUDGET"
else
  echo "== PyTorch is not installed: the reference is skipped (apt-get install python3-torch)" >&2
  echo "skipped: no python3 with torch (install Debian's python3-torch)" > "$RES/torch_skipped.txt"
fi
git rev-parse --short HEAD > "$RES/commit.txt" 2>/dev/null || echo unknown > "$RES/commit.txt"
python3 bench/neural_report.py "$RES" docs/BENCHMARKS.md
echo "== wrote the Neural ODEs section of docs/BENCHMARKS.md" >&2
