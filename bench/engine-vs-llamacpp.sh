#!/usr/bin/env bash
# raif's engine against llama.cpp on the same model: prefill (512 tokens), decode (128 tokens) and
# batched decode (BATCH sequences of 128 tokens decoded together, tokens/s summed: llama.cpp's
# llama-batched-bench S_TG) at 1 and 2 threads, interleaved run by run, medians and ratios at the end.
#
#   bench/engine-vs-llamacpp.sh [MODEL.gguf]        (default: the default model in the raif cache)
#
# llama.cpp is built once from the llama-cpp-python sdist (its vendored llama.cpp) and cached
# under ${RAIF_CACHE:-~/.cache/raif}/llama.cpp-bench. raif is built in release mode and run as
# `raif bench engine --model M --threads T --rounds 1 --json` (one JSON object per run).
# Env: ROUNDS (default 3), THREADS (default "1 2"), BATCH (default 4), LLAMA_CPP_PYTHON_VERSION (default 0.3.36),
# LLAMA_BENCH (an existing llama-bench; llama-batched-bench is looked for next to it).
set -euo pipefail
cd "$(dirname "$0")/.."

RAIF_CACHE="${RAIF_CACHE:-$HOME/.cache/raif}"
MODEL="${1:-$RAIF_CACHE/models/SmolLM2-135M-Instruct.Q4_1.gguf}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-1 2}"
BATCH="${BATCH:-4}"
VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
WORK="$RAIF_CACHE/llama.cpp-bench"
LLAMA_BENCH="${LLAMA_BENCH:-$WORK/build/bin/llama-bench}"  # env: use an existing llama-bench
LLAMA_BATCHED_BENCH="$(dirname "$LLAMA_BENCH")/llama-batched-bench"

[[ -f "$MODEL" ]] || { echo "model not found: $MODEL" >&2; exit 1; }

if [[ ! -x "$LLAMA_BENCH" || ! -x "$LLAMA_BATCHED_BENCH" ]]; then
    echo "== building llama-bench from the llama-cpp-python $VERSION sdist (once) ==" >&2
    mkdir -p "$WORK"
    python3 -m pip install --quiet scikit-build-core >&2
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python --no-build-isolation \
        -d "$WORK/sdist" "llama-cpp-python==$VERSION" >&2
    rm -rf "$WORK/src" && mkdir -p "$WORK/src"
    tar -xzf "$WORK"/sdist/llama_cpp_python-"$VERSION".tar.gz -C "$WORK/src" --strip-components=1
    cmake -S "$WORK/src/vendor/llama.cpp" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release \
        -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF >&2
    cmake --build "$WORK/build" --target llama-bench llama-batched-bench -j "$(nproc)" >&2
    LLAMA_BENCH="$WORK/build/bin/llama-bench"
    LLAMA_BATCHED_BENCH="$WORK/build/bin/llama-batched-bench"
fi

echo "== building raif (release) ==" >&2
swift build -c release --product raif >&2
RAIF="$(swift build -c release --show-bin-path)/raif"

RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT
for round in $(seq 1 "$ROUNDS"); do
    for t in $THREADS; do
        echo "== round $round, $t thread(s) ==" >&2
        "$LLAMA_BENCH" -m "$MODEL" -p 512 -n 128 -t "$t" -r 1 -o jsonl 2>/dev/null |
            python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    kind = "prefill" if r["n_prompt"] > 0 else "decode"
    print(json.dumps({"engine": "llama.cpp", "threads": r["n_threads"], "kind": kind, "tps": r["avg_ts"]}))
' >> "$RESULTS"
        "$LLAMA_BATCHED_BENCH" -m "$MODEL" -c 2048 -b 512 -ub 512 -npp 1 -ntg 128 -npl "$BATCH" -t "$t" \
            --output-format jsonl 2>/dev/null |
            python3 -c '
import json, sys
for line in sys.stdin:
    if line.startswith("{"):
        r = json.loads(line)
        print(json.dumps({"engine": "llama.cpp", "threads": r["n_threads"], "kind": "batched", "tps": r["speed_tg"]}))
' >> "$RESULTS"
        "$RAIF" bench engine --model "$MODEL" --threads "$t" --rounds 1 --batch "$BATCH" --json |
            python3 -c '
import json, sys
r = json.load(sys.stdin)
for kind, key in (("prefill", "prefill_tokens_per_s"), ("decode", "decode_tokens_per_s"),
                  ("batched", "batched_decode_tokens_per_s")):
    print(json.dumps({"engine": "raif", "threads": r["threads"], "kind": kind, "tps": r[key]}))
' >> "$RESULTS"
    done
done

python3 - "$RESULTS" "$MODEL" "$ROUNDS" "$BATCH" <<'PY'
import json, statistics, sys, os
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"model: {os.path.basename(sys.argv[2])}   (medians of {sys.argv[3]} interleaved rounds)")
print(f"tg128 x{sys.argv[4]}: {sys.argv[4]} sequences decoded together, tokens/s summed")
print(f"{'test':<12}{'threads':>8}{'llama.cpp t/s':>15}{'raif t/s':>12}{'raif/llama.cpp':>16}")
for kind in ("prefill", "decode", "batched"):
    for t in sorted({r["threads"] for r in rows}):
        def med(engine):
            v = [r["tps"] for r in rows if r["engine"] == engine and r["kind"] == kind and r["threads"] == t]
            return statistics.median(v) if v else float("nan")
        l, r = med("llama.cpp"), med("raif")
        name = {"prefill": "pp512", "decode": "tg128", "batched": f"tg128 x{sys.argv[4]}"}[kind]
        print(f"{name:<12}{t:>8}{l:>15.1f}{r:>12.1f}{r / l:>15.2f}x")
PY
