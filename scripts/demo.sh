#!/usr/bin/env bash
# The main job: start `raif serve` on the default model, wait until it answers, send a demo
# request, print the reply, then stop the server with SIGTERM and check that it exits cleanly.
#
#   RAIF_BIN  the raif binary (default: .build/release/raif)
#   MODEL     the GGUF model (default: ~/.cache/raif/models/SmolLM2-135M-Instruct.Q4_1.gguf)
set -euo pipefail
cd "$(dirname "$0")/.."

RAIF_BIN="${RAIF_BIN:-.build/release/raif}"
MODEL="${MODEL:-${RAIF_CACHE:-$HOME/.cache/raif}/models/SmolLM2-135M-Instruct.Q4_1.gguf}"
work="$(mktemp -d /tmp/raif-demo.XXXXXX)"
SOCKET="$work/raif.sock"
LOG="$work/serve.log"
server_pid=""

cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "== starting: $RAIF_BIN serve --socket $SOCKET --model $MODEL" >&2
"$RAIF_BIN" serve --socket "$SOCKET" --model "$MODEL" --log-level info 2>"$LOG" &
server_pid=$!

for _ in $(seq 1 300); do
    # health answers "loading" while the model loads; generation needs "ok".
    if "$RAIF_BIN" call health --socket "$SOCKET" 2>/dev/null | grep -q '"status": "ok"'; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "server exited during start-up:" >&2; cat "$LOG" >&2; exit 1
    fi
    sleep 0.1
done

echo "== health" >&2
"$RAIF_BIN" call health --socket "$SOCKET"

if "$RAIF_BIN" call verifiers --socket "$SOCKET" >/dev/null 2>&1; then
    echo "== score: a demo response against two IFEval constraints" >&2
    "$RAIF_BIN" call score --socket "$SOCKET" '{
      "items": [{
        "prompt": "Describe the sea in exactly two paragraphs without any commas.",
        "response": "The sea is wide and blue and it never sleeps.\n\n***\n\nIt carries ships and storms and the light of the moon.",
        "constraints": {
          "instruction_id_list": ["length_constraints:number_paragraphs", "punctuation:no_comma"],
          "kwargs": [{"num_paragraphs": 2}, {}]
        }
      }],
      "mode": "strict", "policy": "fraction"
    }'
fi

echo "== generate_and_score: 4 samples of the default model, scored against two IFEval constraints" >&2
"$RAIF_BIN" call generate_and_score --socket "$SOCKET" '{
  "messages": [{"role": "user", "content": "Describe the sea in one short sentence without any commas."}],
  "n": 4, "seed": 1, "temperature": 0.8, "max_tokens": 32, "policy": "fraction",
  "constraints": {
    "instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
    "kwargs": [{}, {"relation": "less than", "num_words": 30}]
  }
}' | python3 -c '
import json, sys
r = json.load(sys.stdin)
for c in r["choices"]:
    print("[%d] reward=%.2f passed=%s %r" % (c["index"], c["reward"], c["passed"], c["text"]))
g = r["group"]
print("group: mean=%.3f std=%.3f best_index=%d advantages=%s"
      % (g["mean"], g["std"], g["best_index"], [round(a, 3) for a in g["advantages"]]))
print("usage: %s  decode: %.1f tokens/s" % (r["usage"], r["timings"]["decode_tokens_per_s"]))
'

echo "== stats" >&2
"$RAIF_BIN" call stats --socket "$SOCKET"

echo "== stopping (SIGTERM)" >&2
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
if [ "$status" -ne 0 ]; then
    echo "server exited with status $status:" >&2; cat "$LOG" >&2; exit 1
fi
if [ -e "$SOCKET" ]; then
    echo "server left its socket file behind: $SOCKET" >&2; exit 1
fi
echo "== server stopped cleanly" >&2
