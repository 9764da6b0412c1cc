#!/usr/bin/env python3
"""Best of n: sample n answers to one prompt, score each against its constraints, show the best.

    raif serve &                       # on the default model
    python3 Examples/best_of_n.py      # an IFEval-style prompt with three constraints, n = 4
    python3 Examples/best_of_n.py --prompt "..." --constraints '{"instruction_id_list": [...], "kwargs": [...]}'

One ``generate_and_score`` request: the n samples share the prompt's prefill and are decoded as a
batch; every sample comes back with its reward and verdict tree. Prints a line per sample, then
the best one in full with its verdicts. Standard library only (uses Examples/python/raif_client.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "python"))

from raif_client import RaifClient, RaifError  # noqa: E402

DEFAULT_PROMPT = (
    "Write a short note to a friend about the moon. Do not use any commas. "
    "Mention the word moon. Answer with less than 40 words."
)
DEFAULT_CONSTRAINTS = {
    "instruction_id_list": ["punctuation:no_comma", "keywords:existence", "length_constraints:number_words"],
    "kwargs": [None, {"keywords": ["moon"]}, {"num_words": 40, "relation": "less than"}],
}

# Keys of a verdict node that are about the node itself, not its children.
_NODE_FIELDS = {"label", "verifier", "pass", "passed", "score", "detail", "error", "weight", "kind", "path", "skipped"}


def _children(node: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The child verdicts of a tree node, with the key they hang under (``all``, ``then`` …)."""
    found: list[tuple[str, dict[str, Any]]] = []
    for key, value in node.items():
        if key in _NODE_FIELDS:
            continue
        if isinstance(value, dict) and ("pass" in value or "passed" in value):
            found.append((key, value))
        elif isinstance(value, list):
            found.extend((key, v) for v in value if isinstance(v, dict) and ("pass" in v or "passed" in v))
    return found


def render_tree(node: Any, indent: str = "", via: str = "") -> list[str]:
    """A verdict tree as indented lines: ``✓``/``✗``/``!`` (error), name, score, detail."""
    if not isinstance(node, dict):
        return [f"{indent}{json.dumps(node)}"]
    passed = node.get("pass", node.get("passed"))
    mark = "!" if node.get("error") else ("✓" if passed else "✗")
    name = node.get("label") or node.get("verifier") or node.get("kind") or via or "constraints"
    score = node.get("score")
    line = f"{indent}{mark} {name}"
    if isinstance(score, (int, float)) and not isinstance(score, bool):
        line += f"  score {score:.2f}"
    error = node.get("error")
    reason = (error.get("message") if isinstance(error, dict) else error) or node.get("detail")
    if node.get("skipped"):
        reason = "skipped (an earlier chain step failed)"
    if reason:
        line += f"  — {reason}"
    lines = [line]
    for key, child in _children(node):
        lines += render_tree(child, indent + "    ", key)
    return lines


def _preview(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", help="server socket (default: $RAIF_SOCKET, $XDG_RUNTIME_DIR/raif.sock, /tmp/raif-UID.sock)")
    parser.add_argument("--prompt", default=DEFAULT_PROMPT, help="the user message")
    parser.add_argument("--constraints", default=json.dumps(DEFAULT_CONSTRAINTS),
                        help="constraint spec as JSON (IFEval record, open-instruct ground truth or native tree)")
    parser.add_argument("-n", type=int, default=4, help="number of samples (default 4)")
    parser.add_argument("--max-tokens", type=int, default=48, help="tokens per sample (default 48)")
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--top-p", type=float, default=0.95)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=["strict", "loose"], default="strict")
    parser.add_argument("--reasoning", choices=["strip", "keep", "require"], default="strip")
    parser.add_argument("--policy", choices=["all", "fraction", "raif"], default="fraction",
                        help="reward policy (default fraction, so partial answers rank above failures)")
    parser.add_argument("--json", action="store_true", help="print the raw result as JSON instead")
    args = parser.parse_args(argv)

    try:
        constraints = json.loads(args.constraints)
    except json.JSONDecodeError as error:
        parser.error(f"--constraints is not JSON: {error}")
    params = {
        "messages": [{"role": "user", "content": args.prompt}],
        "n": args.n,
        "max_tokens": args.max_tokens,
        "temperature": args.temperature,
        "top_p": args.top_p,
        "seed": args.seed,
        "constraints": constraints,
        "mode": args.mode,
        "reasoning": args.reasoning,
        "policy": args.policy,
    }
    try:
        client = RaifClient(args.socket)
        try:
            result = client.call("generate_and_score", params)
        finally:
            client.close()
    except RaifError as error:
        print(f"raif error {error.code}: {error.message}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"cannot reach the raif server: {error} (start it with `raif serve`)", file=sys.stderr)
        return 1

    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    choices = sorted(result["choices"], key=lambda c: c["index"])
    best_index = result["group"]["best_index"]
    print(f"prompt: {args.prompt}\n")
    print(f"{'#':>2}  {'reward':>6}  {'pass':<4}  {'finish':<6}  text")
    for choice in choices:
        star = "*" if choice["index"] == best_index else " "
        print(f"{choice['index']:>2}{star} {choice['reward']:>6.3f}  {'yes' if choice['passed'] else 'no':<4}  "
              f"{choice.get('finish_reason', ''):<6}  {_preview(choice['text'], 60)}")
    best = next(c for c in choices if c["index"] == best_index)
    print(f"\nbest of {len(choices)}: #{best_index}, reward {best['reward']:.3f}, "
          f"{'passes' if best['passed'] else 'does not pass'} every constraint\n")
    print(textwrap.indent(best["text"].strip(), "    "))
    print("\nverdicts:")
    print("\n".join(render_tree(best.get("tree"), "    ")))
    timings = result.get("timings")
    if timings:
        print("\ntimings: " + ", ".join(f"{k} {v}" for k, v in timings.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
