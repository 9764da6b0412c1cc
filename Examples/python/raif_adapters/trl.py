"""TRL ``GRPOTrainer`` reward functions backed by raif.

    from raif_adapters.trl import RaifReward, async_raif_reward
    trainer = GRPOTrainer(..., reward_funcs=[RaifReward()])             # blocking
    trainer = GRPOTrainer(..., reward_funcs=[async_raif_reward()])      # asyncio

TRL calls a reward function as ``f(prompts=..., completions=..., completion_ids=..., **columns)``
where ``columns`` are the dataset's other columns, one list entry per completion (plus
``trainer_state`` and, in newer versions, ``log_extra``/``log_metric``). It logs each function
under its ``__name__``, and it runs a function on its async path when
``asyncio.iscoroutinefunction(f)`` is true (a real ``async def``, hence :func:`async_raif_reward`
returns one rather than an object with an async ``__call__``).

Constraints come from a column: ``constraints_key`` (default ``constraints``), else
``ground_truth`` (open-instruct), else IFEval's own ``instruction_id_list`` + ``kwargs`` columns.
Completions may be text or conversations (``[{"role": "assistant", "content": ...}]``).

Errors: by default every error raises (``RaifError`` with raif's message). TRL turns a ``None``
reward into NaN and ignores it in its sum over reward functions, so ``on_error="none"`` skips just
the samples raif cannot score (a bad constraint in one row does not cost the others); a server
that cannot be reached still raises.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Awaitable, Callable, Sequence

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raif_adapters.core import (  # noqa: E402
    ItemVerdict,
    ScoreOptions,
    as_list,
    check_on_error,
    completion_text,
    constraints_from_columns,
    prompt_text,
    score_batch,
    score_batch_async,
)

__all__ = ["RaifReward", "async_raif_reward"]

# Keyword arguments TRL adds that are not dataset columns.
_TRL_EXTRAS = ("completion_ids", "trainer_state", "log_extra", "log_metric", "environments")


class RaifReward:
    """A blocking TRL reward function: ``(prompts, completions, **kwargs) -> list[float | None]``.

    Args:
        constraints_key: the dataset column holding each row's constraints.
        fallback_keys: columns tried after it (default: ``ground_truth``); IFEval's
            ``instruction_id_list`` + ``kwargs`` columns are tried last.
        socket, mode, reasoning, policy: scoring options; ``None`` means the environment
            (``RAIF_SOCKET``, ``RAIF_MODE``, ``RAIF_REASONING``, ``RAIF_POLICY``) or the default
            (strict, strip, all).
        on_error: ``"raise"`` or ``"none"`` (skip the samples raif rejects).
        name: the name TRL logs the reward under (``__name__``).
        log_details: when TRL passes ``log_metric``, also log ``<name>/pass_rate`` and
            ``<name>/instruction_accuracy`` for the batch.
    """

    def __init__(
        self,
        constraints_key: str = "constraints",
        *,
        fallback_keys: Sequence[str] = ("ground_truth",),
        socket: str | None = None,
        mode: str | None = None,
        reasoning: str | None = None,
        policy: str | None = None,
        on_error: str = "raise",
        name: str = "raif_reward",
        log_details: bool = True,
    ) -> None:
        self.keys = (constraints_key, *[k for k in fallback_keys if k != constraints_key])
        self.options = ScoreOptions.from_env(socket=socket, mode=mode, reasoning=reasoning, policy=policy)
        self.on_error = check_on_error(on_error)
        self.__name__ = name
        self.log_details = log_details

    def __repr__(self) -> str:
        return f"RaifReward(keys={self.keys}, options={self.options}, on_error={self.on_error!r})"

    def prepare(
        self, prompts: Sequence[Any] | None, completions: Sequence[Any], kwargs: dict[str, Any]
    ) -> tuple[list[str], list[Any], list[str | None] | None]:
        """Responses, constraint specs and prompt texts of one TRL batch."""
        completions = as_list(completions)
        columns = {k: v for k, v in kwargs.items() if k not in _TRL_EXTRAS and v is not None}
        responses = [completion_text(c) for c in completions]
        constraints = [constraints_from_columns(columns, i, self.keys) for i in range(len(responses))]
        texts = None
        if prompts is not None:
            prompts = as_list(prompts)
            if len(prompts) != len(responses):
                raise ValueError(f"raif adapter: {len(prompts)} prompts but {len(responses)} completions")
            texts = [prompt_text(p) for p in prompts]
        return responses, constraints, texts

    def finish(self, verdicts: list[ItemVerdict | None], kwargs: dict[str, Any]) -> list[float | None]:
        """Rewards from verdicts, logging batch figures through TRL's ``log_metric`` when offered."""
        log_metric = kwargs.get("log_metric")
        scored = [v for v in verdicts if v is not None]
        if self.log_details and callable(log_metric) and scored:
            figures = {
                f"{self.__name__}/pass_rate": sum(v.passed for v in scored) / len(scored),
                f"{self.__name__}/instruction_accuracy": sum(v.instruction_accuracy for v in scored) / len(scored),
            }
            try:  # TRL's log_metric(name, value); logging must never cost a reward
                for metric, value in figures.items():
                    log_metric(metric, value)
            except TypeError:
                pass
        return [v.reward if v is not None else None for v in verdicts]

    def __call__(self, prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (), **kwargs: Any) -> list[float | None]:
        """Scores one batch of completions (blocking)."""
        responses, constraints, texts = self.prepare(prompts, completions, kwargs)
        verdicts = score_batch(responses, constraints, texts, self.options, self.on_error)
        return self.finish(verdicts, kwargs)

    async def score_async(
        self, prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (), **kwargs: Any
    ) -> list[float | None]:
        """Scores one batch on the running event loop."""
        responses, constraints, texts = self.prepare(prompts, completions, kwargs)
        verdicts = await score_batch_async(responses, constraints, texts, self.options, self.on_error)
        return self.finish(verdicts, kwargs)

    def as_async(self) -> Callable[..., Awaitable[list[float | None]]]:
        """This reward as a real ``async def`` function, which TRL runs on its async path."""
        reward = self

        async def raif_reward(prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (), **kwargs: Any):
            return await reward.score_async(prompts, completions, **kwargs)

        raif_reward.__name__ = raif_reward.__qualname__ = self.__name__
        raif_reward.__doc__ = f"Async raif reward ({self!r})."
        return raif_reward


def async_raif_reward(constraints_key: str = "constraints", **options: Any) -> Callable[..., Awaitable[list[float | None]]]:
    """An ``async def`` TRL reward function; takes the same arguments as :class:`RaifReward`."""
    return RaifReward(constraints_key, **options).as_async()
