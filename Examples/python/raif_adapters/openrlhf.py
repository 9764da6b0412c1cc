"""OpenRLHF reward file: ``--remote_rm_url Examples/python/raif_adapters/openrlhf.py``.

OpenRLHF loads this file by path and calls ``reward_func(queries, prompts, labels, **kwargs)``
once per batch, where ``queries[i]`` is prompt + response decoded with the chat template still in
it, ``prompts[i]`` the templated prompt and ``labels[i]`` the ``--label_key`` column (here: the
constraints, an IFEval-style JSON string or an open-instruct ground truth).

Configuration comes from the environment (OpenRLHF passes no options to a reward file):
``RAIF_SOCKET``, ``RAIF_MODE`` (strict|loose), ``RAIF_REASONING`` (strip|keep|require),
``RAIF_POLICY`` (all|fraction|raif; RAIF's own training uses ``raif`` with ``require``).

OpenRLHF cannot skip a sample, so every error raises (``RaifError`` with raif's message,
``ResponseExtractionError``, ``ValueError`` for an unreadable label); it is never a zero reward.

OpenRLHF concatenates each ``extra_logs`` entry across batches and splits it per sample, then logs
its mean; so every entry is per sample and its mean is the named rate:
``raif/pass_rate`` (1 when all constraints hold), ``raif/mean_reward`` (the reward) and
``raif/format_fail_rate`` (1 when the reasoning format failed, ``RAIF_REASONING=require``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Sequence

if __package__ in (None, ""):  # loaded by file path, as OpenRLHF does
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raif_adapters.core import (  # noqa: E402
    ScoreOptions,
    as_list,
    normalize_constraints,
    response_from_query,
    score_batch,
)

try:  # tensors when torch is there (it always is inside OpenRLHF), lists otherwise
    import torch as _torch
except ImportError:  # pragma: no cover - depends on the environment
    _torch = None

__all__ = ["reward_func", "extract_responses"]


def extract_responses(queries: Sequence[str], prompts: Sequence[str]) -> list[str]:
    """The responses inside OpenRLHF's queries (see :func:`raif_adapters.core.response_from_query`)."""
    queries, prompts = as_list(queries), as_list(prompts)
    if len(queries) != len(prompts):
        raise ValueError(f"raif adapter: {len(queries)} queries but {len(prompts)} prompts")
    return [response_from_query(query, prompt) for query, prompt in zip(queries, prompts)]


def _vector(values: list[float]) -> Any:
    return _torch.tensor(values, dtype=_torch.float32) if _torch is not None else values


def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Sequence[Any], **kwargs: Any) -> dict[str, Any]:
    """Rewards for one OpenRLHF batch.

    Args:
        queries: prompt + response, chat template included.
        prompts: the templated prompts.
        labels: the constraints per sample.
        **kwargs: ignored except ``socket``/``mode``/``reasoning``/``policy``, which override the
            environment (for callers other than OpenRLHF).

    Returns:
        ``{"rewards": [B], "scores": [B], "extra_logs": {name: [B]}}``: float32 tensors when torch
        is importable, lists otherwise. ``rewards`` follow the policy; ``scores`` are 1.0 when every
        constraint holds, else 0.0 (OpenRLHF's dynamic filtering expects 0–1).

    Raises:
        RaifError: raif rejected the batch or could not verify an item.
        ResponseExtractionError: a query contains neither its prompt nor an assistant marker.
        ValueError: a label is not a constraint spec, or the lengths differ.
    """
    options = ScoreOptions.from_env(**{k: kwargs.get(k) for k in ("socket", "mode", "reasoning", "policy")})
    labels = as_list(labels)
    responses = extract_responses(queries, prompts)
    if len(labels) != len(responses):
        raise ValueError(f"raif adapter: {len(responses)} queries but {len(labels)} labels")
    constraints = [normalize_constraints(label, f"labels[{i}]") for i, label in enumerate(labels)]
    verdicts = score_batch(responses, constraints, options=options)
    rewards = [v.reward for v in verdicts]
    passed = [1.0 if v.passed else 0.0 for v in verdicts]
    format_failed = [1.0 if v.format_failed else 0.0 for v in verdicts]
    return {
        "rewards": _vector(rewards),
        "scores": _vector(passed),
        "extra_logs": {
            "raif/pass_rate": _vector(passed),
            "raif/mean_reward": _vector(list(rewards)),
            "raif/format_fail_rate": _vector(format_failed),
        },
    }
