#!/bin/sh
# Compare raif's matvec kernels with llama.cpp's (ggml-cpu) on the same data, one thread.
# Needs a llama.cpp build with shared ggml libraries (default: /work/ref/llama-build/bin).
# Usage: scripts/bench/kernels_vs_ggml.sh [GGML_LIB_DIR] [ROUNDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
libdir=${1:-/work/ref/llama-build/bin}
out=${TMPDIR:-/tmp}/raif-kernels-vs-ggml
cc -O3 -mavx2 -mfma -mf16c -fno-math-errno -I"$repo/Sources/CKernels/include" \
    "$here/kernels_vs_ggml.c" "$repo"/Sources/CKernels/*.c \
    -L"$libdir" -Wl,-rpath,"$libdir" -lggml-cpu -lggml-base -lm -o "$out"
exec "$out" "${2:-9}"
