#!/usr/bin/env bash
# bench/lm: training and generation throughput of the lm module (Java, DJL 0.36 / libtorch 2.7.1) against the
# same model in plain PyTorch eager (Debian's python3-torch), same weights, same work, same thread count; prints
# both figures, the ratios and each engine's fp32 matmul GFLOP/s.
# Usage: [THREADS=2] [REPEAT=1] bench/lm/run.sh [tiny|small|all]
set -euo pipefail
cd "$(dirname "$0")/../.."
WHICH=${1:-all}
THREADS=${THREADS:-2}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
OUT=bench/lm/results
mkdir -p "$OUT"

# 1) the reference: python3-torch, and OpenBLAS so that torch does not fall back to the reference BLAS
source bin/debs.sh
twt_need_debs python3-torch libopenblas0-openmp

# 2) each side's settings, all measured in this run and each metric's best kept (the table names the winner):
#    java: the kernels NativeKernels picks by itself (auto: the oneMKL dispatch fix on non-Intel x86-64 where its
#    self-check passes) and oneMKL's default path; torch: OpenBLAS's own choice of kernels and, forced, the
#    strongest this CPU has (SkylakeX with AVX-512, else Haswell); both with OpenMP threads waiting passively and
#    actively (Java through its own setting, so passive includes the brief spin a user's process gets). The self-check runs anew for this run (its verdict in $OUT/kernels, not the user's cache).
CORETYPE=Haswell
grep -qw avx512f /proc/cpuinfo && CORETYPE=SkylakeX
JAVA_SETTINGS=("auto PASSIVE" "auto ACTIVE" "mkl-default PASSIVE" "mkl-default ACTIVE")
TORCH_SETTINGS=("auto PASSIVE" "auto ACTIVE" "$CORETYPE PASSIVE" "$CORETYPE ACTIVE")
rm -rf "$OUT/kernels"

# 3) the lm jar and its class path
if [[ ! -f lm/target/lm-0.1.0-SNAPSHOT.jar || ! -d lm/target/lib ]]; then
  ./mvnw -B -q -pl lm package -DskipTests >&2
fi
CP="lm/target/lib/*:lm/target/lm-0.1.0-SNAPSHOT.jar"

#        name  vocab hidden inter layers heads kv tied  batch seq train-steps prompt new-kv new-no-kv
CONFIGS=("tiny  1024  128    344   4      4     2  true  8     128 12          32     128    48"
         "small 8000  512    1376  6      8     4  false 8     256 6           32     64     24")
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
# REPEAT alternating java/torch rounds; the table keeps each side's best figure, which damps the swings of a
# machine shared with other work (its load moves between a java run and the torch run that follows it)
REPEAT=${REPEAT:-1}
for round in $(seq "$REPEAT"); do
for line in "${CONFIGS[@]}"; do
  read -r name vocab hidden inter layers heads kv tied batch seq steps prompt newkv newnokv <<<"$line"
  [[ "$WHICH" == all || "$WHICH" == "$name" ]] || continue
  dir="$OUT/$name-model"
  # the random checkpoint both sides load, written by a JVM of its own (LmBench.java says why)
  "$JAVA" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Xmx6g --enable-native-access=ALL-UNNAMED \
    -cp "$CP" bench/lm/LmBench.java "$dir" "$name" "$vocab" "$hidden" "$inter" "$layers" "$heads" "$kv" "$tied" \
    "$batch" "$seq" "$steps" "$prompt" "$newkv" "$newnokv" write 2> "$OUT/$name-java.log"
  for setting in "${JAVA_SETTINGS[@]}"; do
    read -r kernels policy <<<"$setting"
    echo "== $name: java (kernels $kernels, TWT_LM_OMP_WAIT_POLICY=${policy,,})" >&2
    env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT TWT_LM_KERNELS=$kernels TWT_LM_KERNEL_CACHE="$OUT/kernels" \
      TWT_LM_OMP_WAIT_POLICY="${policy,,}" "$JAVA" -Dai.djl.offline=true \
      -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Xmx6g --enable-native-access=ALL-UNNAMED -cp "$CP" bench/lm/LmBench.java \
      "$dir" "$name" "$vocab" "$hidden" "$inter" "$layers" "$heads" "$kv" "$tied" "$batch" "$seq" "$steps" \
      "$prompt" "$newkv" "$newnokv" 2> "$OUT/$name-java.log" \
      | python3 -c 'import json,sys; r=json.load(sys.stdin); r["setting"]=sys.argv[1]; r["layers"]=int(sys.argv[2]); r["hidden"]=int(sys.argv[3]); r["inter"]=int(sys.argv[4]); r["heads"]=int(sys.argv[5]); r["kv"]=int(sys.argv[6]); r["vocab"]=int(sys.argv[7]); print(json.dumps(r))' \
          "kernels $kernels, omp $policy" "$layers" "$hidden" "$inter" "$heads" "$kv" "$vocab" | tee -a "$RESULTS" >&2
  done
  prompt_ids=$(grep '"side": "java"' "$RESULTS" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["prompt"])')
  for setting in "${TORCH_SETTINGS[@]}"; do
    read -r coretype policy <<<"$setting"
    echo "== $name: torch (OPENBLAS_CORETYPE=$coretype, OMP_WAIT_POLICY=$policy)" >&2
    core=(); [[ "$coretype" == auto ]] || core=(OPENBLAS_CORETYPE="$coretype")
    env "${core[@]}" OMP_WAIT_POLICY=$policy /usr/bin/python3 bench/lm/torch_bench.py "$dir" "$name" "$batch" "$seq" \
      "$steps" "$prompt_ids" "$newkv" "$newnokv" "$THREADS" \
      | python3 -c 'import json,sys; r=json.load(sys.stdin); r["setting"]=sys.argv[1]; print(json.dumps(r))' \
          "openblas $coretype, omp $policy" | tee -a "$RESULTS" >&2
  done
done
done

# 4) the table: each side's best per metric over its settings, the java figure a user gets by default (kernels
#    auto, OpenMP passive: what ./twt and the services run with on a shared machine), ratios (above 1: Java is
#    faster), and each figure as a fraction of the FLOP-bound limit at the matmul rate measured in this run
LOAD="$LOAD_BEFORE -> $(cut -d' ' -f1 /proc/loadavg)" CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
REPEAT=$REPEAT THREADS=$THREADS python3 - "$RESULTS" <<'PY'
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
METRICS = [("train_tokens_per_s", "train tokens/s", 6), ("prefill_tokens_per_s", "prefill tokens/s", 2),
           ("gen_kv_tokens_per_s", "generate tokens/s (KV)", None), ("gen_nokv_tokens_per_s", "generate tokens/s (no KV)", None),
           ("matmul_gflops", "matmul 2048^3 GFLOP/s", None)]
print(f"bench/lm  rounds={os.environ['REPEAT']}  threads={os.environ['THREADS']}")
print(f"cpu {os.environ['CPU']}, {os.cpu_count()} cores, 1-minute load average {os.environ['LOAD']}"
      " (other processes share these cores: compare ratios, not absolute figures)")
for config in dict.fromkeys(r["config"] for r in rows):
    java = [r for r in rows if r["config"] == config and r["side"] == "java"]
    torch = [r for r in rows if r["config"] == config and r["side"] == "torch"]
    default = [r for r in java if r["setting"] == "kernels auto, omp PASSIVE"]
    j0 = java[0]
    h, kvh = j0["hidden"], j0["hidden"] // j0["heads"] * j0["kv"]
    # parameters each token multiplies through (attention's T x T products left out): the linear layers and the head
    n = j0["layers"] * (2 * h * h + 2 * h * kvh + 3 * h * j0["inter"]) + j0["vocab"] * h
    kernels = sorted({r["kernels"] for r in java})
    print(f"\n{config}: {j0['parameters'] / 1e6:.1f}M parameters, {n / 1e6:.1f}M in matmuls per token; java kernels seen: {', '.join(kernels)}")
    print(f"{'metric':26} {'java default':>12} {'java best':>10} {'torch best':>10} {'default/torch':>13} {'best/torch':>10}  winners (java | torch)")
    for key, label, flops in METRICS:
        jb = max(java, key=lambda r: r[key]); tb = max(torch, key=lambda r: r[key])
        jd = max((r[key] for r in default), default=float("nan"))
        print(f"{label:26} {jd:12.1f} {jb[key]:10.1f} {tb[key]:10.1f} {jd / tb[key]:13.2f} {jb[key] / tb[key]:10.2f}  {jb['setting']} | {tb['setting']}")
    for key, label, flops in METRICS:
        if flops is None:
            continue
        gj = max(r["matmul_gflops"] for r in java); gt = max(r["matmul_gflops"] for r in torch)
        limit_j = gj * 1e9 / (flops * n); limit_t = gt * 1e9 / (flops * n)
        jd = max((r[key] for r in default), default=float("nan"))
        tb = max(r[key] for r in torch)
        print(f"{label:26} FLOP-bound limit ({flops}N at each side's best matmul rate): java {limit_j:.0f}, torch {limit_t:.0f};"
              f" java default at {jd / limit_j:.2f} of it, torch best at {tb / limit_t:.2f}")
    same = all(r["greedy"] == torch[0]["greedy"] for r in java + torch)
    print(f"greedy tokens identical across every setting of both sides: {same}  (torch {torch[0]['torch']})")
PY
