#!/usr/bin/env bash
# Builds the oneMKL dispatch fix (mkl_intel_cpu.c) into the lm jar's resources at build time; skipped, with a line
# saying so, off Linux x86-64 or without gcc (the student then runs on oneMKL's default path and says so).
set -euo pipefail
out="$1/io/twt/lm/engine/linux-x86_64"
if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
  echo "lm: oneMKL dispatch fix not built: $(uname -s)-$(uname -m) is not Linux x86-64"; exit 0
fi
if ! command -v gcc >/dev/null; then
  echo "lm: oneMKL dispatch fix not built: no gcc on this machine"; exit 0
fi
mkdir -p "$out"
gcc -shared -fPIC -O2 -o "$out/libtwt_mkl_intel_cpu.so" "$(dirname "$0")/mkl_intel_cpu.c"
echo "lm: built $out/libtwt_mkl_intel_cpu.so"
