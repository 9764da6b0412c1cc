"""raif reward adapters for RL trainers: OpenRLHF, TRL, veRL, open-instruct.

Each trainer has its own module, loadable by file path as trainers do:

- ``raif_adapters.openrlhf.reward_func(queries, prompts, labels, **kwargs)``
- ``raif_adapters.trl.RaifReward(...)`` / ``raif_adapters.trl.async_raif_reward(...)``
- ``raif_adapters.verl.compute_score(...)`` / ``compute_score_batch(...)``
- ``raif_adapters.open_instruct.RaifIFEvalVerifier``

All of them talk to a running ``raif serve`` through ``Examples/python/raif_client.py`` and raise
``RaifError`` rather than ever turning an error into a zero reward.
"""

from raif_adapters.core import (
    RaifError,
    ResponseExtractionError,
    ScoreOptions,
    normalize_constraints,
    response_from_query,
    score_batch,
    score_batch_async,
)

__all__ = [
    "RaifError",
    "ResponseExtractionError",
    "ScoreOptions",
    "normalize_constraints",
    "response_from_query",
    "score_batch",
    "score_batch_async",
]
