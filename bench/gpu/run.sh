#!/usr/bin/env bash
# bench/gpu: the lm module on CUDA in one command, bounded to ten minutes. On a machine without CUDA it runs the CPU
# rows and prints one SKIP line per CUDA row, exiting 0 (so CI keeps it working); a FAIL row exits 1.
#   1) golden fixtures (../shared/fixtures/lm): logits in fp32 and with fp16 weights, one LoRA forward/backward
#      (loss and gradients) against the reference on CPU and against the CPU run on CUDA, recompute + query chunks
#      against the plain pass (bench/gpu/GpuBench.java; bounds printed on each row)
#   2) CUDA only: tokens/s of training and generation of a 0.5B-class random model (Qwen2.5-0.5B's shape as a
#      llama: vocab 151936, hidden 896, 24 layers, 14 heads, 2 kv heads, tied) in Java (bench/lm/LmBench.java)
#      and in plain PyTorch eager (bench/lm/torch_bench.py) on the same GPU when python3 has torch with CUDA
#   3) CUDA only: device memory after a LoRA step of that model against ./twt lm plan's estimate
# Needs libtorch for CUDA under DJL (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR: trainer-service's
# Dockerfile.cuda sets them); with lm's default pytorch-native-cpu every CUDA row is skipped.
# Usage: bench/gpu/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z "${TWT_BENCH_GPU_BOUNDED:-}" ]]; then
  TWT_BENCH_GPU_BOUNDED=1 exec timeout --signal=TERM 600 "$0" "$@"
fi
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
OUT=bench/gpu/results
SHARED=${TWT_SHARED_DIR:-../shared}
mkdir -p "$OUT"
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

if [[ ! -f lm/target/lm-0.1.0-SNAPSHOT.jar || ! -d lm/target/lib ]]; then
  ./mvnw -B -q -pl lm package -DskipTests >&2
fi
CP="lm/target/lib/*:lm/target/lm-0.1.0-SNAPSHOT.jar"
run_java() {
  "$JAVA" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Xmx8g --enable-native-access=ALL-UNNAMED \
    -cp "$CP" "$@"
}
echo "bench/gpu  $(date -u +%FT%TZ)  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores" \
  "$(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1)"

# 1) golden rows, CPU then CUDA
run_java bench/gpu/GpuBench.java "$SHARED/fixtures/lm" 2> "$OUT/golden.log" | tee "$OUT/rows.txt"

# 2) and 3) throughput and memory of the 0.5B-class model, CUDA only
if grep -q '^SKIP cuda' "$OUT/rows.txt"; then
  why=$(grep -m1 '^SKIP cuda' "$OUT/rows.txt" | sed 's/^[^(]*(//; s/)$//')
  for row in "train tokens/s, Java vs PyTorch" "generate tokens/s (KV cache), Java vs PyTorch" \
             "device memory after a LoRA step vs planner"; do
    printf 'SKIP %-5s %-11s %-52s (%s)\n' cuda 0.5B "$row" "$why"
  done
  exit 0
fi
model="$OUT/qwen-0.5b-shape"
#                             name  vocab  hidden inter layers heads kv tied batch seq steps prompt new-kv new-no-kv
shape=(bench/lm/LmBench.java "$model" 0.5b 151936 896 4864 24 14 2 true 4 512 6 32 128 16)
run_java "${shape[@]}" write 2> "$OUT/java-0.5b.log"
run_java "${shape[@]}" 2>> "$OUT/java-0.5b.log" | tee "$OUT/java-0.5b.json"
if /usr/bin/env python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  prompt=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["prompt"])' < "$OUT/java-0.5b.json")
  python3 bench/lm/torch_bench.py "$model" 0.5b 4 512 6 "$prompt" 128 16 "$(nproc)" cuda | tee "$OUT/torch-0.5b.json"
else
  printf 'SKIP %-5s %-11s %-52s (%s)\n' cuda 0.5B "PyTorch eager on the same GPU" "python3 has no torch with CUDA"
fi
python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
java = json.load(open(f"{out}/java-0.5b.json"))
torch = json.load(open(f"{out}/torch-0.5b.json")) if os.path.exists(f"{out}/torch-0.5b.json") else {}
for key, what in (("train_tokens_per_s", "train tokens/s (full FT, B4 x 512)"), ("gen_kv_tokens_per_s", "generate tokens/s (KV, greedy 128)"),
                  ("gen_nokv_tokens_per_s", "generate tokens/s (no KV, 16)"), ("matmul_gflops", "matmul 2048^3 fp32 GFLOP/s")):
    t = torch.get(key)
    print(f"ROW  cuda  0.5B        {what:<40} java {java[key]:10.1f}  torch " + (f"{t:10.1f}  java/torch {java[key] / t:5.2f}" if t else "n/a"))
if torch:
    print(f"ROW  cuda  0.5B        greedy tokens java == torch: {java['greedy'] == torch['greedy']}")
PY
run_java bench/gpu/GpuBench.java --memory "$model" 2>> "$OUT/golden.log"
