"""open-instruct verifier backed by raif: IFEval ``ground_truth`` strings accepted verbatim.

open-instruct's IF datasets store the constraints of a row as a ``ground_truth`` string such as

    "[{'instruction_id': ['keywords:existence', 'punctuation:no_comma'], 'kwargs': [{'keywords': ['moon']}, None]}]"

(a Python literal; JSON, objects and lists of them are accepted too) and score a response with a
``VerifierFunction`` subclass: ``verifier(tokenized_prediction, prediction, label, query=None)``
returning a ``VerificationResult`` (``score`` in [0, 1]: the fraction of constraints followed),
or ``await verifier.async_call(...)``. :class:`RaifIFEvalVerifier` keeps that shape. Inside
open-instruct (``open_instruct.ground_truth_utils`` importable) it subclasses the real
``VerifierFunction`` and returns the real ``VerificationResult``, so importing this module before
``build_all_verifiers`` registers it as ``raif_ifeval``; ``--remap_verifier ifeval=raif_ifeval``
then sends the ``ifeval`` rows to raif.

Like open-instruct's IFEval verifier, the score is the fraction of constraints followed (0 for an
empty prediction) and the reasoning is stripped (``</think>`` and ``<answer>`` tags). Errors raise ``RaifError`` (open-instruct has no way
to skip a sample; a zero would train on a verdict nobody made).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raif_adapters.core import (  # noqa: E402
    ScoreOptions,
    normalize_constraints,
    score_batch,
    score_batch_async,
)

try:  # inside open-instruct: be one of its verifiers
    from open_instruct.ground_truth_utils import VerificationResult, VerifierConfig, VerifierFunction
except Exception:  # noqa: BLE001 - open-instruct absent (or its heavy imports failing): same shape, standalone

    @dataclass
    class VerificationResult:  # type: ignore[no-redef]
        """open-instruct's verification result: a score in [0, 1], a cost, an optional reason."""

        score: float
        cost: float = 0.0
        reasoning: Optional[str] = None

    class VerifierConfig:  # type: ignore[no-redef]
        """Stand-in for open-instruct's (empty) base verifier config."""

        @classmethod
        def from_args(cls, args: Any) -> "VerifierConfig":
            return cls()

    class VerifierFunction:  # type: ignore[no-redef]
        """Stand-in for open-instruct's verifier base class."""

        def __init__(self, name: str, weight: float = 1.0, verifier_config: Any = None) -> None:
            self.name = name
            self.weight = weight
            self.verifier_config = verifier_config

        @classmethod
        def get_config_class(cls) -> type:
            return VerifierConfig


__all__ = ["RaifIFEvalVerifier", "parse_ground_truth", "score_ground_truths", "VerificationResult"]


def parse_ground_truth(label: Any) -> Any:
    """An open-instruct IFEval ``ground_truth`` (string or object) as a ``score`` constraint spec."""
    return normalize_constraints(label, "ground_truth")


class RaifIFEvalVerifier(VerifierFunction):
    """open-instruct ``VerifierFunction`` named ``raif_ifeval`` that asks raif.

    Args:
        verifier_config: open-instruct's config object (unused; raif needs none).
        socket, mode, reasoning: scoring options; ``None`` means the environment
            (``RAIF_SOCKET``, ``RAIF_MODE``, ``RAIF_REASONING``) or the defaults strict / strip.
        policy: ``None`` (default) scores as open-instruct's IFEval verifier does: the fraction
            of constraints followed (raif's per-constraint verdicts), 0 for an empty prediction.
            ``"all"``/``"fraction"``/``"raif"``: raif's reward under that policy instead.
    """

    def __init__(
        self,
        verifier_config: Any = None,
        *,
        socket: str | None = None,
        mode: str | None = None,
        reasoning: str | None = None,
        policy: str | None = None,
    ) -> None:
        super().__init__("raif_ifeval", weight=1.0, verifier_config=verifier_config)
        self.raif_policy = policy
        self.options = ScoreOptions.from_env(
            default_policy="fraction", socket=socket, mode=mode, reasoning=reasoning, policy=policy
        )

    def _result(self, prediction: str, verdict: Any) -> VerificationResult:
        flags = verdict.follow_instruction_list
        if self.raif_policy is None:
            # open-instruct's IFEval score: followed / total, and 0 for an empty prediction.
            score = 0.0 if not prediction.strip() else verdict.instruction_accuracy
        else:
            score = verdict.reward
        return VerificationResult(
            score=score, reasoning=f"raif: {sum(flags)}/{len(flags)} constraints followed, reward {verdict.reward:g}"
        )

    def __call__(
        self, tokenized_prediction: list[int], prediction: str, label: Any, query: Optional[str] = None
    ) -> VerificationResult:
        """Scores one prediction against its ground truth (blocking)."""
        verdict = score_batch([prediction], [parse_ground_truth(label)], [query], self.options)[0]
        return self._result(prediction, verdict)

    async def async_call(
        self, tokenized_prediction: list[int], prediction: str, label: Any, query: Optional[str] = None
    ) -> VerificationResult:
        """Scores one prediction on the running event loop (open-instruct gathers these)."""
        verdicts = await score_batch_async([prediction], [parse_ground_truth(label)], [query], self.options)
        return self._result(prediction, verdicts[0])

    def __repr__(self) -> str:
        return f"RaifIFEvalVerifier(options={self.options})"


def score_ground_truths(
    predictions: Sequence[str], ground_truths: Sequence[Any], verifier: RaifIFEvalVerifier | None = None
) -> list[VerificationResult]:
    """Scores many predictions in one request (offline evaluation of open-instruct data)."""
    verifier = verifier or RaifIFEvalVerifier()
    specs = [parse_ground_truth(g) for g in ground_truths]
    verdicts = score_batch(predictions, specs, None, verifier.options)
    return [verifier._result(p, v) for p, v in zip(predictions, verdicts)]
