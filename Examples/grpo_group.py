#!/usr/bin/env python3
"""A GRPO group: n samples of one prompt with rewards, group-normalised advantages and RAIF masks.

    raif serve &                        # on the default model
    python3 Examples/grpo_group.py      # n = 8, 4 of them "direct" (empty reasoning block)
    python3 Examples/grpo_group.py --direct 0 --policy all

One ``generate_and_score`` request with ``"contrast": {"direct": k}``: k samples start with an
empty ``<think></think>`` block, the others with an open ``<think>``. Prints one row per sample
(kind, reward, advantage, mask, tokens, text) and the group figures, and checks the advantages
against GRPO's ``(r - mean) / (std + 1e-6)``. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "python"))

from raif_client import RaifClient, RaifError  # noqa: E402

from best_of_n import DEFAULT_CONSTRAINTS, DEFAULT_PROMPT, _preview  # noqa: E402


def expected_advantages(rewards: list[float], std: float) -> list[float]:
    """GRPO's advantages from the group's rewards and the std the server reports."""
    mean = sum(rewards) / len(rewards)
    return [(r - mean) / (std + 1e-6) for r in rewards]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", help="server socket (default: $RAIF_SOCKET, $XDG_RUNTIME_DIR/raif.sock, /tmp/raif-UID.sock)")
    parser.add_argument("--prompt", default=DEFAULT_PROMPT)
    parser.add_argument("--constraints", default=json.dumps(DEFAULT_CONSTRAINTS), help="constraint spec as JSON")
    parser.add_argument("-n", type=int, default=8, help="group size (default 8)")
    parser.add_argument("--direct", type=int, default=4,
                        help="samples that answer directly (empty reasoning block); 0 turns the contrast off")
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mode", choices=["strict", "loose"], default="strict")
    parser.add_argument("--reasoning", choices=["strip", "keep", "require"], default="strip")
    parser.add_argument("--policy", choices=["all", "fraction", "raif"], default="fraction")
    parser.add_argument("--json", action="store_true", help="print the raw result as JSON instead")
    args = parser.parse_args(argv)
    if not 0 <= args.direct <= args.n:
        parser.error("--direct must be between 0 and -n")

    try:
        constraints = json.loads(args.constraints)
    except json.JSONDecodeError as error:
        parser.error(f"--constraints is not JSON: {error}")
    params = {
        "messages": [{"role": "user", "content": args.prompt}],
        "n": args.n,
        "max_tokens": args.max_tokens,
        "temperature": args.temperature,
        "seed": args.seed,
        "constraints": constraints,
        "mode": args.mode,
        "reasoning": args.reasoning,
        "policy": args.policy,
    }
    if args.direct:
        params["contrast"] = {"direct": args.direct}
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
    group = result["group"]
    advantages = group["advantages"]
    print(f"prompt: {args.prompt}\n")
    print(f"{'#':>2}  {'kind':<9}  {'reward':>6}  {'adv':>6}  {'mask':<4}  {'tok':>3}  {'finish':<6}  text")
    for choice in choices:
        index = choice["index"]
        mask = choice.get("mask")
        print(
            f"{index:>2}  {choice.get('kind', '-'):<9}  {choice['reward']:>6.3f}  {advantages[index]:>+6.2f}  "
            f"{('yes' if mask else 'no') if mask is not None else '-':<4}  {len(choice.get('token_ids', [])):>3}  "
            f"{choice.get('finish_reason', ''):<6}  {_preview(choice['text'], 48)}"
        )
    print(f"\nmean {group['mean']:.3f}  std {group['std']:.3f}  best #{group['best_index']}")
    rewards = [c["reward"] for c in choices]
    worst = max(abs(a - b) for a, b in zip(advantages, expected_advantages(rewards, group["std"])))
    print(f"advantages {'match' if worst < 1e-6 else 'DIFFER FROM'} (r - mean) / (std + 1e-6) "
          f"(largest difference {worst:.1e})")
    if args.direct:
        reasoning = [c["reward"] for c in choices if c.get("kind") == "reasoning"]
        direct = [c["reward"] for c in choices if c.get("kind") == "direct"]
        group_masked = bool(reasoning and direct and max(reasoning) < min(direct))
        # RAIF's rule: direct samples always masked; all of them when reasoning loses to direct.
        expected = [group_masked or c.get("kind") == "direct" for c in choices]
        masks = [bool(c.get("mask")) for c in choices]
        print(f"contrast: {sum(masks)}/{len(choices)} masked; "
              + ("best reasoning sample scores below the worst direct one: whole group masked" if group_masked
                 else "reasoning samples kept, direct ones masked")
              + ("; masks match RAIF's rule" if masks == expected else f"; MASKS DIFFER from RAIF's rule {expected}"))
    if "usage" in result:
        print("usage: " + json.dumps(result["usage"]))
    if "timings" in result:
        print("timings: " + json.dumps(result["timings"]))
    return 0 if all(math.isfinite(a) for a in advantages) else 1


if __name__ == "__main__":
    sys.exit(main())
