#!/usr/bin/env bash
# DCRS on lab data: label accuracy of the unfiltered pool vs the DCRS samples, and chosen-pair vs random-pair
# similarity, using the sampler's decision code and the embedding service's encoder.
# Usage: bench/embedding/measure-dcrs.sh [queries-per-kind]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
(cd "$root/sampler-service" && ../mvnw -B -q compile)
cd "$root/embedding-service"
../mvnw -B -q compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="$root/embedding-service/target/classes:$root/sampler-service/target/classes:$(cat target/bench.classpath)"
cd "$root"
exec "$JAVA_HOME/bin/java" -Xmx2g -Dai.djl.offline=true \
  --enable-native-access=ALL-UNNAMED -cp "$cp" bench/embedding/DcrsLabMeasurement.java "$@"
