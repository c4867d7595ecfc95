#!/usr/bin/env bash
# Texts/s of embedding-service's batched encoder vs langchain4j's in-process all-MiniLM-L6-v2 on the same
# lab rationales; prints both figures, the ratio, and each as a fraction of the FLOP-bound limit at the fp32
# matmul rate measured in the same run. Usage: bench/embedding/run.sh [queries-per-kind] [batch-size] [rounds]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/bin/jdk.sh"
cd "$root"
# the reactor resolves common and lab to their target/classes (nothing is installed into ~/.m2)
./mvnw -B -q -pl embedding-service -am compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
cp="$root/embedding-service/target/classes:$(cat embedding-service/target/bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx2g -Dai.djl.offline=true \
  --enable-native-access=ALL-UNNAMED -cp "$cp" \
  bench/embedding/EmbeddingBench.java "$@"
