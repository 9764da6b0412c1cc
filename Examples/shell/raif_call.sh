#!/usr/bin/env bash
# raif from the shell: `raif call METHOD [PARAMS_JSON]` against a running server.
#
#   Examples/shell/raif_call.sh [--socket PATH]
#
# Start a server first (`raif serve`, or `make demo` which starts and stops one itself). The
# result of each call is pretty JSON on stdout; an error reply is JSON on stderr with exit status 1.
set -euo pipefail
cd "$(dirname "$0")/../.."

RAIF="${RAIF_BIN:-.build/release/raif}"
[ -x "$RAIF" ] || RAIF=.build/debug/raif
socket_args=()
if [ "${1:-}" = "--socket" ]; then socket_args=(--socket "$2"); fi

echo "# health" >&2
"$RAIF" call health "${socket_args[@]}"

echo "# which verifiers check length?" >&2
"$RAIF" call verifiers "${socket_args[@]}" |
    python3 -c 'import json,sys; print("\n".join(v["id"] for v in json.load(sys.stdin)["verifiers"] if v["family"] == "length"))'

echo "# score one response against an IFEval record" >&2
"$RAIF" call score "${socket_args[@]}" '{
  "items": [{"response": "Short and sweet.",
             "constraints": {"instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
                             "kwargs": [null, {"relation": "at least", "num_words": 5}]}}],
  "policy": "fraction"
}'

echo "# an error reply: exit status 1, the error object on stderr" >&2
"$RAIF" call no_such_method "${socket_args[@]}" || echo "(exit status $?)" >&2

echo "# counters" >&2
"$RAIF" call stats "${socket_args[@]}"
