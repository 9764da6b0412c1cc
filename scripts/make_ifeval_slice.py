#!/usr/bin/env python3
"""Builds Tests/VerifiersTests/Fixtures/ifeval_slice.jsonl from the shared reference verdicts.

Usage: make_ifeval_slice.py REFERENCE.jsonl DISAGREEMENTS.jsonl OUT_SLICE.jsonl OUT_KNOWN.jsonl [PRONE_IDS.txt]

Picks, for every instruction id, a deterministic, stratified sample of records raif agrees on:
every (strict, loose) combination, every source kind (real, multilingual, think-prefixed),
non-ASCII responses, short and long ones. Records raif currently disagrees on (listed in
DISAGREEMENTS.jsonl, as written by the conformance run) go to OUT_KNOWN with raif's verdicts.
PRONE_IDS.txt lists record ids to include as well (cases earlier versions got wrong).
"""
import hashlib
import json
import sys

ref_path, dis_path, out_slice, out_known = sys.argv[1:5]
PER_ID = 20
MAX_LEN = 3500

disagree = {}
for line in open(dis_path):
    if line.strip():
        d = json.loads(line)
        disagree[d["id"]] = d

by_id = {}
for line in open(ref_path):
    r = json.loads(line)
    by_id.setdefault(r["instruction_id"], []).append(r)


def key(r):
    return hashlib.sha256(r["id"].encode()).hexdigest()


def strata(r):
    src = r["source"]
    kind = "think" if "think" in src else ("multi" if src.startswith("multilingual") else "real")
    ascii_ = all(ord(c) < 128 for c in r["response"])
    return (r["strict"], r["loose"], kind, ascii_)


prone = set(open(sys.argv[5]).read().split()) if len(sys.argv) > 5 else set()
slice_, known = [], []
for iid in sorted(by_id):
    recs = sorted(by_id[iid], key=key)
    agree = [r for r in recs if r["id"] not in disagree and len(r["response"]) <= MAX_LEN]
    chosen, seen = [], set()
    # One of each stratum first, then fill up in hash order.
    for r in agree:
        s = strata(r)
        if s not in seen:
            seen.add(s)
            chosen.append(r)
    for r in agree:
        if len(chosen) >= PER_ID:
            break
        if r not in chosen:
            chosen.append(r)
    slice_.extend(chosen[: max(PER_ID, len(seen))])
    slice_.extend(r for r in recs if r["id"] in prone and r["id"] not in disagree and r not in slice_)
    for r in recs:
        d = disagree.get(r["id"])
        if d and len(r["response"]) <= MAX_LEN and sum(1 for k in known if k["instruction_id"] == iid) < 3:
            k = dict(r)
            k["raif_strict"] = d["strict"]
            k["raif_loose"] = d["loose"]
            known.append(k)

with open(out_slice, "w") as f:
    for r in slice_:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
if known:
    with open(out_known, "w") as f:
        for r in known:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(slice_), "slice records;", len(known), "known differences")
