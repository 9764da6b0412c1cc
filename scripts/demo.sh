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
    if "$RAIF_BIN" call health --socket "$SOCKET" >/dev/null 2>&1; then break; fi
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
