#!/usr/bin/env bash
# Long runs of odec's fuzzer (docs/FUZZING.md). Arguments go to dev.odec.fuzz.Fuzzer:
#   bench/fuzz.sh --seed 1 --inputs 1000000 --threads 2 [--from 0] [--hang 120] [--failures DIR]
# Runs from the repository root (the corpus is examples/, stdlib/ and src/test/resources/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q test-compile
CP_FILE="$ROOT/target/fuzz.classpath"
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
exec java -Xss16m -Djava.awt.headless=true -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" \
  dev.odec.fuzz.Fuzzer "$@"
