#!/usr/bin/env bash
# Texts/s of embedding-service's batched encoder vs langchain4j's in-process all-MiniLM-L6-v2 on the same
# lab rationales; prints both figures and the ratio. Usage: bench/embedding/run.sh [queries-per-kind]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root/embedding-service"
../mvnw -B -q compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="$root/embedding-service/target/classes:$(cat target/bench.classpath)"
cd "$root"
exec "$JAVA_HOME/bin/java" -Xmx2g -Dai.djl.offline=true -Dai.djl.onnx.disable_alternative=true \
  --enable-native-access=ALL-UNNAMED -cp "$cp" \
  bench/embedding/EmbeddingBench.java "$@"
