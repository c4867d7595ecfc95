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

# 2) the strongest kernels each side can use here: OpenBLAS SkylakeX and MKL's AVX-512 path need AVX-512
if grep -qw avx512f /proc/cpuinfo; then
  CORETYPE=SkylakeX
  if grep -q AuthenticAMD /proc/cpuinfo; then
    gcc -shared -fPIC -O2 -o "$OUT/libmkl_intel_cpu.so" bench/lm/mkl_intel_cpu.c
    JAVA_PRELOAD="$OUT/libmkl_intel_cpu.so"
  fi
else
  CORETYPE=Haswell # no AVX-512 on this CPU: AVX2 kernels are the best either side has
fi
JAVA_PRELOAD=${JAVA_PRELOAD:-}
# libgomp threads on both sides wait passively (lm's default); OMP_WAIT_POLICY=ACTIVE in the caller overrides
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

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
  echo "== $name: java" >&2
  LD_PRELOAD="$JAVA_PRELOAD" "$JAVA" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" \
    -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Xmx6g \
    --enable-native-access=ALL-UNNAMED -cp "$CP" bench/lm/LmBench.java \
    "$dir" "$name" "$vocab" "$hidden" "$inter" "$layers" "$heads" "$kv" "$tied" "$batch" "$seq" "$steps" \
    "$prompt" "$newkv" "$newnokv" 2> "$OUT/$name-java.log" | tee -a "$RESULTS" >&2
  prompt_ids=$(tail -1 "$RESULTS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["prompt"])')
  echo "== $name: torch (OPENBLAS_CORETYPE=$CORETYPE)" >&2
  OPENBLAS_CORETYPE=$CORETYPE /usr/bin/python3 bench/lm/torch_bench.py "$dir" "$name" "$batch" "$seq" "$steps" \
    "$prompt_ids" "$newkv" "$newnokv" "$THREADS" | tee -a "$RESULTS" >&2
done
done

# 4) the table: java / torch ratios (above 1: Java is faster)
LOAD="$LOAD_BEFORE -> $(cut -d' ' -f1 /proc/loadavg)" CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
REPEAT=$REPEAT THREADS=$THREADS CORETYPE=$CORETYPE PRELOAD="${JAVA_PRELOAD:-none}" python3 - "$RESULTS" <<'PY'
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    best = by.setdefault(r["config"], {}).setdefault(r["side"], dict(r))
    for key, value in r.items():
        if key.endswith("_per_s") or key == "matmul_gflops":
            best[key] = max(best[key], value)
    best["greedy"] = r["greedy"]
print(f"bench/lm  rounds={os.environ['REPEAT']} (best of each)  threads={os.environ['THREADS']}  OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}"
      f"  OPENBLAS_CORETYPE={os.environ['CORETYPE']}  java LD_PRELOAD={os.environ['PRELOAD']}")
print(f"cpu {os.environ['CPU']}, {os.cpu_count()} cores, 1-minute load average {os.environ['LOAD']}"
      " (other processes share these cores: compare ratios, not absolute figures)")
print(f"{'config':7} {'params':>7} {'metric':24} {'java':>10} {'torch':>10} {'java/torch':>10}")
for name, sides in by.items():
    j, t = sides["java"], sides["torch"]
    for key, label in [("train_tokens_per_s", "train tokens/s"), ("gen_kv_tokens_per_s", "generate tokens/s (KV)"),
                       ("gen_nokv_tokens_per_s", "generate tokens/s (no KV)"), ("matmul_gflops", "matmul 2048^3 GFLOP/s")]:
        print(f"{name:7} {j['parameters'] / 1e6:6.1f}M {label:24} {j[key]:10.1f} {t[key]:10.1f} {j[key] / t[key]:10.2f}")
    same = j["greedy"] == t["greedy"]
    print(f"{name:7} {'':7} greedy tokens java == torch: {same}  (torch {t['torch']})")
PY
