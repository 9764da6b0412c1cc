#!/usr/bin/env python3
"""Measures raif's agreement with the reference IFEval checkers, per instruction id.

Reads the reference verdicts (../shared/conformance/ifeval_reference.jsonl: one response judged
against one instruction per line, with the reference's strict and loose verdicts), turns each
record into a `raif score` input line

    {"prompt": ..., "response": ..., "instruction_id_list": [id], "kwargs": [kwargs]}

runs `raif score --input IN --output OUT --mode strict|loose --reasoning keep` (keep: the
reference checks the raw text, `<think>` blocks included), and prints the agreement per id and
overall for both modes.

Usage:
    scripts/conformance.py [--raif PATH] [--reference FILE] [--limit N] [--show-disagreements K]

Exit status 0 when the targets hold (>= 99.5% overall and >= 98% per id, strict and loose),
1 otherwise, 2 when raif could not be run.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_REFERENCE = os.path.join(HERE, "..", "..", "shared", "conformance", "ifeval_reference.jsonl")


def load(path, limit):
    records = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                records.append(json.loads(line))
                if limit and len(records) >= limit:
                    break
    return records


def to_score_input(record):
    return {
        "prompt": record["prompt"],
        "response": record["response"],
        "instruction_id_list": [record["instruction_id"]],
        "kwargs": [record["kwargs"]],
    }


def run_raif(raif, input_path, mode, count):
    """Runs `raif score` and returns one verdict (True/False/None for an error) per input line."""
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", delete=False) as out:
        output_path = out.name
    try:
        # A generous time budget: a slow (debug, loaded) machine must not turn verdicts into budget errors.
        cmd = [raif, "score", "--input", input_path, "--output", output_path, "--mode", mode, "--reasoning", "keep",
               "--time-budget-ms", "30000"]
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-2000:])
            raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}")
        verdicts = [None] * count
        with open(output_path, encoding="utf-8") as f:
            for position, line in enumerate(f):
                if not line.strip():
                    continue
                row = json.loads(line)
                index = row.get("index", position)
                if "error" in row and row.get("error"):
                    verdicts[index] = None
                    continue
                follow = row.get("follow_instruction_list")
                verdicts[index] = bool(follow[0]) if follow else bool(row.get("passed"))
        return verdicts
    finally:
        os.unlink(output_path)


def table(records, strict, loose):
    rows = collections.defaultdict(lambda: [0, 0, 0])
    for record, s, l in zip(records, strict, loose):
        row = rows[record["instruction_id"]]
        row[0] += 1
        row[1] += s == record["strict"]
        row[2] += l == record["loose"]
    total = [0, 0, 0]
    print(f"{'instruction id':46} {'records':>7} {'strict':>8} {'loose':>8}")
    worst = 1.0
    for iid in sorted(rows):
        n, s, l = rows[iid]
        total = [total[0] + n, total[1] + s, total[2] + l]
        worst = min(worst, s / n, l / n)
        print(f"{iid:46} {n:7d} {100 * s / n:7.2f}% {100 * l / n:7.2f}%")
    n, s, l = total
    print(f"{'overall':46} {n:7d} {100 * s / n:7.2f}% {100 * l / n:7.2f}%")
    return s / n, l / n, worst


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raif", default=os.environ.get("RAIF", "raif"), help="the raif binary")
    parser.add_argument("--reference", default=DEFAULT_REFERENCE, help="reference verdicts (JSONL)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N records")
    parser.add_argument("--show-disagreements", type=int, default=0, metavar="K", help="print K disagreements")
    args = parser.parse_args()

    records = load(args.reference, args.limit)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(to_score_input(record), ensure_ascii=False) + "\n")
        input_path = f.name
    try:
        strict = run_raif(args.raif, input_path, "strict", len(records))
        loose = run_raif(args.raif, input_path, "loose", len(records))
    except (OSError, RuntimeError) as error:
        print(f"could not run raif: {error}", file=sys.stderr)
        return 2
    finally:
        os.unlink(input_path)

    s, l, worst = table(records, strict, loose)
    shown = 0
    for record, sv, lv in zip(records, strict, loose):
        if shown >= args.show_disagreements:
            break
        if sv != record["strict"] or lv != record["loose"]:
            shown += 1
            print(f"{record['id']} {record['instruction_id']} reference strict/loose "
                  f"{record['strict']}/{record['loose']}, raif {sv}/{lv}: {record['response'][:80]!r}")
    ok = s >= 0.995 and l >= 0.995 and worst >= 0.98
    print("targets (>= 99.5% overall, >= 98% per id):", "met" if ok else "not met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
