#!/usr/bin/env python3
"""Writes the input of `raif bench verifiers` to stdout: the real model answers of the IFEval
reference verdicts (../shared/conformance/ifeval_reference.jsonl, its synthetic `<think>`-prefixed
copies left out), one IFEval record per line with the record's single instruction.

    python3 scripts/bench/ifeval_bench_input.py [REFERENCE.jsonl] > /tmp/ifeval-bench.jsonl
    raif bench verifiers --input /tmp/ifeval-bench.jsonl --mode strict --reasoning keep
"""
import json
import sys

source = sys.argv[1] if len(sys.argv) > 1 else "../shared/conformance/ifeval_reference.jsonl"
with open(source, encoding="utf-8") as lines:
    for line in lines:
        record = json.loads(line)
        if record.get("source", "").startswith("synthetic:"):
            continue
        print(json.dumps({
            "prompt": record["prompt"],
            "response": record["response"],
            "instruction_id_list": [record["instruction_id"]],
            "kwargs": [record["kwargs"]],
        }))
