"""veRL custom reward function backed by raif.

    custom_reward_function.path=Examples/python/raif_adapters/verl.py
    custom_reward_function.name=compute_score            # per sample (naive reward manager)
    # or, one request per batch (reward_model.reward_manager=batch):
    custom_reward_function.name=compute_score_batch
    # options, passed through as keyword arguments:
    +custom_reward_function.reward_kwargs.policy=fraction

veRL calls ``compute_score(data_source, solution_str, ground_truth, extra_info)`` per sample
(``NaiveRewardManager``) or ``compute_score(data_sources=..., solution_strs=..., ground_truths=...,
extra_infos=..., **reward_kwargs)`` per batch (``BatchRewardManager``, lists or numpy object
arrays). ``compute_score`` accepts both calling conventions; ``compute_score_batch`` is the batch
one under its own name. ``solution_str`` is the decoded response (special tokens skipped);
``ground_truth`` is ``reward_model.ground_truth``: an IFEval record, an open-instruct ground truth
or a native tree, as an object or a (JSON or Python-literal) string.

Each sample's result is ``{"score", "passed", "follow_instruction_list", "instruction_accuracy"}``:
veRL sums ``score`` into the token-level reward and gathers the other keys into
``reward_extra_info``, which it turns into numpy arrays and averages; so every value is a scalar
and ``follow_instruction_list`` is a compact JSON string such as ``"[true, false]"`` (a list
would make ragged numpy arrays when samples have different numbers of constraints).

veRL cannot skip a sample, so every error raises (``RaifError`` with raif's message).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Sequence

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raif_adapters.core import (  # noqa: E402
    ItemVerdict,
    ScoreOptions,
    as_list,
    normalize_constraints,
    score_batch,
)

__all__ = ["compute_score", "compute_score_batch"]


def _options(kwargs: dict[str, Any]) -> ScoreOptions:
    known = {k: kwargs.pop(k, None) for k in ("socket", "mode", "reasoning", "policy")}
    # veRL passes its own extras (e.g. sandbox settings, concurrency) to every reward function.
    return ScoreOptions.from_env(**known)


def _prompt(extra_info: Any) -> str | None:
    if isinstance(extra_info, dict):
        prompt = extra_info.get("prompt")
        if isinstance(prompt, str):
            return prompt
    return None


def _result(verdict: ItemVerdict) -> dict[str, Any]:
    return {
        "score": verdict.reward,
        "passed": verdict.passed,
        "follow_instruction_list": json.dumps(verdict.follow_instruction_list),
        "instruction_accuracy": verdict.instruction_accuracy,
    }


def compute_score_batch(
    data_sources: Sequence[Any],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Sequence[Any] | None = None,
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """Scores a veRL batch in one ``score`` request.

    Args:
        data_sources: per sample (unused: the constraints say what to check).
        solution_strs: the decoded responses.
        ground_truths: the constraints per sample.
        extra_infos: per sample; a ``prompt`` string there is sent along with the response.
        **kwargs: ``socket``/``mode``/``reasoning``/``policy`` override the environment; other
            keys are ignored.

    Returns:
        One dict per sample: ``score`` (the reward), ``passed``, ``follow_instruction_list``
        (JSON string), ``instruction_accuracy``.

    Raises:
        RaifError: raif rejected the batch or could not verify a sample.
        ValueError: a ground truth is not a constraint spec, or the lengths differ.
    """
    options = _options(dict(kwargs))
    solutions = as_list(solution_strs)
    truths = as_list(ground_truths)
    infos = as_list(extra_infos) if extra_infos is not None else [None] * len(solutions)
    if data_sources is not None and len(as_list(data_sources)) != len(solutions):
        raise ValueError(f"raif adapter: {len(as_list(data_sources))} data sources for {len(solutions)} solutions")
    if len(infos) != len(solutions):
        raise ValueError(f"raif adapter: {len(infos)} extra infos for {len(solutions)} solutions")
    constraints = [normalize_constraints(truth, f"ground_truths[{i}]") for i, truth in enumerate(truths)]
    prompts = [_prompt(info) for info in infos]
    verdicts = score_batch(solutions, constraints, prompts, options)
    return [_result(v) for v in verdicts]


def compute_score(
    data_source: Any = None,
    solution_str: str | None = None,
    ground_truth: Any = None,
    extra_info: Any = None,
    **kwargs: Any,
) -> dict[str, Any] | list[dict[str, Any]]:
    """veRL's per-sample reward function; called with the batch keywords, the batch form.

    Per sample: ``compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs)``
    returns one result dict. Batch: ``compute_score(data_sources=, solution_strs=, ground_truths=,
    extra_infos=, **kwargs)`` returns a list of them (see :func:`compute_score_batch`).
    """
    if "solution_strs" in kwargs:
        return compute_score_batch(
            kwargs.pop("data_sources", None),
            kwargs.pop("solution_strs"),
            kwargs.pop("ground_truths"),
            kwargs.pop("extra_infos", None),
            **kwargs,
        )
    if solution_str is None:
        raise TypeError("raif adapter: compute_score needs solution_str (or the batch keywords solution_strs=...)")
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info], **kwargs)[0]
