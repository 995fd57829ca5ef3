#!/usr/bin/env bash
# The neural ODE throughput benchmark on a machine with an NVIDIA GPU: builds odec with the Maven
# profile cuda (ND4J's nd4j-cuda-11.6 in place of nd4j-native; needs the CUDA 11.6 driver and
# runtime libraries installed) and runs bench/neural.sh's forward-solve benchmark on the ND4J backend.
# Not run on the development machines (they have no GPU); written for one that has.
#   bench/nd4j-cuda.sh [BATCHES]     default 1,1024,65536
# Writes bench/target/neural-cuda/odec.tsv (case, backend, batch, median seconds, samples, steps).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BATCHES="${1:-1,1024,65536}"
RES="bench/target/neural-cuda"
command -v nvidia-smi >/dev/null || { echo "nd4j-cuda.sh: no nvidia-smi: this machine has no NVIDIA driver" >&2; exit 2; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2
echo "== building odec with -Pcuda" >&2
mvn -B -q -Pcuda -Dmaven.test.skip=true package
rm -rf "$RES" && mkdir -p "$RES" bench/target/classes-cuda
CP="$(ls target/odec-*.jar | head -1)"
for j in target/lib/*.jar; do CP="$CP:$j"; done
javac -d bench/target/classes-cuda -cp "$CP" bench/java/dev/odec/bench/NeuralBench.java
java -Xss16m -Xmx16g -cp "bench/target/classes-cuda:$CP" dev.odec.bench.NeuralBench "$RES" "$BATCHES" 4
cat "$RES/odec.tsv"
echo "== the build in target/ now uses nd4j-cuda: rebuild with 'mvn -B -q -Dmaven.test.skip=true package' for the CPU" >&2
