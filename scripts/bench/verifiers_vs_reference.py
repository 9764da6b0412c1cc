#!/usr/bin/env python3
"""IFEval strict verdicts per second on one core: raif against the reference Python checkers,
side by side, interleaved round by round on the same machine (after one untimed reference pass, in which langdetect loads
its profiles).

    python3 scripts/bench/ifeval_bench_input.py > /tmp/ifeval-bench.jsonl
    python3 scripts/bench/verifiers_vs_reference.py --raif .build/release/raif --input /tmp/ifeval-bench.jsonl

Each round runs `raif bench verifiers --threads 1` on the whole input (its "single core, end to
end" figure: every item's spec parsed and validated, then checked) and then the reference on an
evenly spaced sample of the same lines, timed the way lm-eval checks a record
(`test_instruction_following_strict`: the instruction built from its kwargs, the prompt passed
where it asks for one, then `response.strip() and check_following(response)`). Prints every
round, the medians and their ratio.

The reference checkers are lm-eval's `lm_eval/tasks/ifeval/` (PyPI `lm-eval==0.4.13`); they are
fetched into `~/.cache/raif/lm-eval` with `pip download` unless `--lm-eval` names an unpacked copy.
They need `nltk` (with `punkt_tab`), `langdetect` and `immutabledict`; `nltk.download`, which
they call on import, is stubbed (offline), and langdetect is seeded with 0 as the reference
verdicts were.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import zipfile


def lm_eval_dir(explicit):
    """A directory holding `lm_eval/tasks/ifeval/` (fetched on first use)."""
    if explicit:
        return explicit
    cache = os.path.join(os.environ.get("RAIF_CACHE", os.path.expanduser("~/.cache/raif")), "lm-eval")
    if not os.path.isdir(os.path.join(cache, "lm_eval", "tasks", "ifeval")):
        os.makedirs(cache, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", cache, "lm-eval==0.4.13"],
                       check=True)
        wheel = next(name for name in os.listdir(cache) if name.startswith("lm_eval-") and name.endswith(".whl"))
        with zipfile.ZipFile(os.path.join(cache, wheel)) as archive:
            for member in archive.namelist():
                if member.startswith("lm_eval/tasks/ifeval/") and member.endswith(".py"):
                    archive.extract(member, cache)
    return cache


def load_reference(directory):
    """lm-eval's instruction registry, imported offline and seeded as the reference ran."""
    import nltk
    nltk.download = lambda *args, **kwargs: True
    from langdetect import DetectorFactory
    DetectorFactory.seed = 0
    sys.path.insert(0, directory)
    from lm_eval.tasks.ifeval import instructions_registry
    return instructions_registry.INSTRUCTION_DICT


def reference_pass(registry, records):
    """Seconds to check every record as lm-eval's strict check does, and the verdict count."""
    verdicts = 0
    start = time.perf_counter()
    for record in records:
        for index, instruction_id in enumerate(record["instruction_id_list"]):
            instruction = registry[instruction_id](instruction_id)
            kwargs = {k: v for k, v in (record["kwargs"][index] or {}).items() if v}
            instruction.build_description(**kwargs)
            args = instruction.get_instruction_args()
            if args and "prompt" in args:
                instruction.build_description(prompt=record["prompt"])
            response = record["response"]
            bool(response.strip() and instruction.check_following(response))
            verdicts += 1
    return time.perf_counter() - start, verdicts


def raif_pass(raif, path, seconds):
    """raif's single-core end-to-end verdicts per second (median of its own repetitions)."""
    out = subprocess.run([raif, "bench", "verifiers", "--input", path, "--seconds", str(seconds), "--threads", "1"],
                         check=True, capture_output=True, text=True).stdout
    match = re.search(r"single core, end to end\s+[\d.]+ ms\s+(\d+) verdicts/s", out)
    if not match:
        raise RuntimeError(f"unexpected `raif bench verifiers` output:\n{out}")
    return float(match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raif", default=".build/release/raif")
    parser.add_argument("--input", default="/tmp/ifeval-bench.jsonl", help="from scripts/bench/ifeval_bench_input.py")
    parser.add_argument("--lm-eval", help="a directory holding lm_eval/tasks/ifeval/ (default: fetched)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=4, help="raif's time budget per round")
    parser.add_argument("--sample", type=int, default=2000, help="lines the reference checks per round")
    args = parser.parse_args()

    with open(args.input, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    step = max(1, len(records) // args.sample)
    sample = records[::step][:args.sample]
    registry = load_reference(lm_eval_dir(args.lm_eval))
    reference_pass(registry, sample)  # warm-up: langdetect loads its profiles, regexes compile

    raif_rates, reference_rates = [], []
    for round_index in range(args.rounds):
        raif_rates.append(raif_pass(args.raif, args.input, args.seconds))
        seconds, verdicts = reference_pass(registry, sample)
        reference_rates.append(verdicts / seconds)
        print(f"round {round_index + 1}: raif {raif_rates[-1]:,.0f} /s, reference {reference_rates[-1]:,.0f} /s,"
              f" ratio {raif_rates[-1] / reference_rates[-1]:.0f}x", flush=True)
    raif_median = statistics.median(raif_rates)
    reference_median = statistics.median(reference_rates)
    ratios = sorted(r / p for r, p in zip(raif_rates, reference_rates))
    print(f"medians of {args.rounds} interleaved rounds: raif {raif_median:,.0f} strict verdicts/s on one core "
          f"({len(records)} lines), reference {reference_median:,.0f} /s ({len(sample)} lines); "
          f"ratio of medians {raif_median / reference_median:.0f}x, median of per-round ratios "
          f"{statistics.median(ratios):.0f}x")


if __name__ == "__main__":
    main()
