"""What every trainer adapter shares: clients, constraint specs, chat-template stripping, scoring.

Nothing here knows a trainer. The trainer modules (``openrlhf``, ``trl``, ``verl``,
``open_instruct``) only translate their trainer's calling convention into :func:`score_batch`
(blocking) or :func:`score_batch_async` (asyncio) and back.

Errors are never rewards. A failure anywhere (server unreachable, a constraint raif rejects, a
verifier that could not run, a query whose response cannot be found) raises; where a trainer can
skip a sample (TRL), ``on_error="none"`` turns the failing items, and only those, into ``None``.
"""

from __future__ import annotations

import ast
import asyncio
import json
import math
import os
import sys
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

# The client lives one directory up (Examples/python/raif_client.py). Trainers load adapter files
# by path (OpenRLHF's --remote_rm_url, veRL's custom_reward_function.path), so make it importable
# however this package was reached.
_PYTHON_DIR = str(Path(__file__).resolve().parent.parent)
if _PYTHON_DIR not in sys.path:
    sys.path.insert(0, _PYTHON_DIR)

import raif_client  # noqa: E402
from raif_client import RaifError  # noqa: E402

__all__ = [
    "RaifError",
    "ResponseExtractionError",
    "ScoreOptions",
    "ItemVerdict",
    "normalize_constraints",
    "constraints_from_columns",
    "response_from_query",
    "strip_end_of_turn",
    "completion_text",
    "prompt_text",
    "score_batch",
    "score_batch_async",
    "sync_client",
    "async_client",
    "to_jsonable",
]

MODES = ("strict", "loose")
REASONING = ("strip", "keep", "require")
POLICIES = ("all", "fraction", "raif")


class ResponseExtractionError(ValueError):
    """A query holds neither its prompt nor any known assistant-turn marker, so the response is unknown."""


# --------------------------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreOptions:
    """The scoring options of the socket ``score`` method, plus where the server is.

    ``socket`` ``None`` means the client's default (``$RAIF_SOCKET``, then
    ``$XDG_RUNTIME_DIR/raif.sock``, then ``/tmp/raif-<uid>.sock``).
    """

    socket: str | None = None
    mode: str = "strict"
    reasoning: str = "strip"
    policy: str = "all"

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("mode", self.mode, MODES),
            ("reasoning", self.reasoning, REASONING),
            ("policy", self.policy, POLICIES),
        ):
            if value not in allowed:
                raise ValueError(f"raif adapter: {name} must be one of {', '.join(allowed)}, got {value!r}")

    @classmethod
    def from_env(cls, *, default_policy: str = "all", **overrides: Any) -> "ScoreOptions":
        """Options from ``RAIF_SOCKET``/``RAIF_MODE``/``RAIF_REASONING``/``RAIF_POLICY``, then ``overrides``.

        Keyword overrides whose value is ``None`` are ignored, so trainer kwargs can be passed through.
        """
        values: dict[str, Any] = {
            "socket": os.environ.get("RAIF_SOCKET") or None,
            "mode": os.environ.get("RAIF_MODE") or "strict",
            "reasoning": os.environ.get("RAIF_REASONING") or "strip",
            "policy": os.environ.get("RAIF_POLICY") or default_policy,
        }
        for key, value in overrides.items():
            if key not in values:
                raise TypeError(f"raif adapter: unknown option {key!r} (known: {', '.join(values)})")
            if value is not None:
                values[key] = value
        return cls(**values)

    def params(self) -> dict[str, str]:
        """The scoring options as ``score`` / ``generate_and_score`` params."""
        return {"mode": self.mode, "reasoning": self.reasoning, "policy": self.policy}


# --------------------------------------------------------------------------------------------
# JSON-safe values (numpy arrays and scalars arrive from parquet-backed datasets)
# --------------------------------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    """Turns numpy arrays/scalars, tuples and mappings into plain JSON values, recursively."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    tolist = getattr(value, "tolist", None)  # numpy.ndarray and numpy scalars
    if callable(tolist):
        return to_jsonable(tolist())
    item = getattr(value, "item", None)
    if callable(item):
        return to_jsonable(item())
    if hasattr(value, "keys") and hasattr(value, "__getitem__"):
        return {str(k): to_jsonable(value[k]) for k in value.keys()}
    raise TypeError(f"raif adapter: cannot send a value of type {type(value).__name__} as JSON")


# --------------------------------------------------------------------------------------------
# Constraint specs
# --------------------------------------------------------------------------------------------


def _parse_text(text: str, what: str) -> Any:
    """Parses a label string: JSON first, then a Python literal (open-instruct writes ``repr``s)."""
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"raif adapter: {what} is an empty string, not a constraint spec")
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as json_error:
        try:
            return ast.literal_eval(stripped)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            raise ValueError(
                f"raif adapter: {what} is neither JSON nor a Python literal "
                f"({json_error.msg} at char {json_error.pos}): {stripped[:120]!r}"
            ) from None


def normalize_constraints(label: Any, what: str = "label") -> Any:
    """Turns a trainer's label into a constraint spec the ``score`` method accepts.

    Accepts, as trainers store them:

    - an IFEval / IFBench record ``{"instruction_id_list": [...], "kwargs": [...]}`` (extra keys
      such as ``key`` or ``prompt`` are dropped),
    - an open-instruct ground truth ``{"instruction_id": [...], "kwargs": [...]}`` or a list of them,
    - a native constraint tree,
    - any of these as a JSON string, a Python-literal string (open-instruct's
      ``"[{'instruction_id': [...], 'kwargs': [None]}]"``), double-encoded, or with numpy arrays.

    Semantic checks (known ids, parameter types) are the server's: it answers with an error that
    names the constraint and field.

    Raises:
        ValueError: the label cannot be parsed or has no constraint shape at all.
    """
    value = label
    for _ in range(3):  # a JSON string inside a JSON string is common in exported datasets
        if isinstance(value, (bytes, bytearray)):
            value = value.decode("utf-8")
        if not isinstance(value, str):
            break
        value = _parse_text(value, what)
    value = to_jsonable(value)
    if isinstance(value, str):
        raise ValueError(f"raif adapter: {what} is nested too deeply in strings: {label!r:.120}")
    if isinstance(value, list):
        if not value:
            raise ValueError(f"raif adapter: {what} is an empty list, not a constraint spec")
        return [normalize_constraints(element, what) for element in value]
    if not isinstance(value, dict):
        raise ValueError(f"raif adapter: {what} must be an object or a list of objects, got {type(value).__name__}")
    if "instruction_id_list" in value:
        return {"instruction_id_list": value["instruction_id_list"], "kwargs": value.get("kwargs")}
    if "instruction_id" in value:
        return {"instruction_id": value["instruction_id"], "kwargs": value.get("kwargs")}
    return value


def constraints_from_columns(columns: dict[str, Any], index: int, keys: Sequence[str]) -> Any:
    """The constraint spec of row ``index`` from dataset columns (as TRL passes them).

    ``keys`` are the column names tried in order. ``instruction_id_list`` with ``kwargs`` (IFEval's
    own columns) is understood after them.

    Raises:
        KeyError: no known constraint column is present.
    """
    for key in keys:
        column = columns.get(key)
        if column is not None:
            return normalize_constraints(column[index], f"column {key!r} row {index}")
    ids = columns.get("instruction_id_list")
    if ids is not None:
        kwargs_column = columns.get("kwargs")
        record = {
            "instruction_id_list": to_jsonable(ids[index]),
            "kwargs": to_jsonable(kwargs_column[index]) if kwargs_column is not None else None,
        }
        return normalize_constraints(record, f"columns instruction_id_list/kwargs row {index}")
    tried = ", ".join(list(keys) + ["instruction_id_list"])
    raise KeyError(f"raif adapter: no constraint column found (tried {tried}); got columns {sorted(columns)}")


# --------------------------------------------------------------------------------------------
# Chat templates
# --------------------------------------------------------------------------------------------

# Where the assistant's turn begins, per chat format. The response is what follows the LAST one.
ASSISTANT_MARKERS: tuple[tuple[str, str], ...] = (
    ("chatml", "<|im_start|>assistant\n"),
    ("chatml", "<|im_start|>assistant"),
    ("llama3", "<|start_header_id|>assistant<|end_header_id|>\n\n"),
    ("llama3", "<|start_header_id|>assistant<|end_header_id|>"),
    ("deepseek-r1", "<\uff5cAssistant\uff5c>"),  # <｜Assistant｜>, full-width bars
    ("gemma", "<start_of_turn>model\n"),
    ("phi", "<|assistant|>\n"),
    ("phi", "<|assistant|>"),
    ("mistral", "[/INST]"),
)

# Tokens that close a turn or pad a sequence; stripped (repeatedly) from the end of a response.
END_OF_TURN_TOKENS: tuple[str, ...] = (
    "<|im_end|>",
    "<|eot_id|>",
    "<|end_of_text|>",
    "<\uff5cend\u2581of\u2581sentence\uff5c>",  # <｜end▁of▁sentence｜>
    "<|endoftext|>",
    "<end_of_turn>",
    "<eos>",
    "<|end|>",
    "</s>",
)


# Tokens that may pad a sequence on the left.
PAD_TOKENS: tuple[str, ...] = END_OF_TURN_TOKENS + ("<pad>", "<|pad|>", "<|finetune_right_pad_id|>", "[PAD]")


def _strip_leading_pads(text: str) -> str:
    while True:
        for token in PAD_TOKENS:
            if text.startswith(token):
                text = text[len(token) :]
                break
        else:
            return text


def strip_end_of_turn(text: str) -> str:
    """Removes trailing end-of-turn and padding tokens (with the whitespace between them).

    Whitespace at the end of the response itself is kept when no token follows it.
    """
    while True:
        trimmed = text.rstrip()
        for token in END_OF_TURN_TOKENS:
            if trimmed.endswith(token):
                text = trimmed[: -len(token)]
                break
        else:
            return text


def response_from_query(query: str, prompt: str | None) -> str:
    """The response inside an OpenRLHF-style ``query`` (prompt + response, template still in).

    1. the query starts with the prompt: what follows it;
    2. the query starts with the prompt once leading padding tokens are removed from both;
    3. otherwise what follows the last assistant-turn marker (ChatML, Llama 3, DeepSeek-R1, Gemma,
       Phi, Mistral).

    End-of-turn tokens (``<|im_end|>``, ``<|eot_id|>``, ``<｜end▁of▁sentence｜>``, padding …) are
    then stripped from the end. A ``<think>`` the prompt opened (DeepSeek-R1) stays in the prompt:
    raif's format rule accepts a response that starts inside the reasoning.

    Raises:
        ResponseExtractionError: none of the three applies.
    """
    if not isinstance(query, str):
        raise TypeError(f"raif adapter: query must be a string, got {type(query).__name__}")
    if prompt:
        if query.startswith(prompt):
            return strip_end_of_turn(query[len(prompt) :])
        # Left padding (OpenRLHF decodes padded sequences): pad tokens before the prompt.
        unpadded_query, unpadded_prompt = _strip_leading_pads(query), _strip_leading_pads(prompt)
        if unpadded_prompt and unpadded_query.startswith(unpadded_prompt):
            return strip_end_of_turn(unpadded_query[len(unpadded_prompt) :])
    best: tuple[int, int] | None = None  # (start, end) of the chosen marker
    for _, marker in ASSISTANT_MARKERS:
        at = query.rfind(marker)
        # The last turn wins; at the same position, the longest (most specific) marker.
        if at >= 0 and (best is None or at > best[0] or (at == best[0] and at + len(marker) > best[1])):
            best = (at, at + len(marker))
    if best is not None:
        return strip_end_of_turn(query[best[1] :])
    raise ResponseExtractionError(
        "raif adapter: cannot find the response in the query: it neither contains its prompt nor an "
        f"assistant-turn marker of a known chat format; query starts {query[:80]!r}"
    )


def _content_text(content: Any) -> str:
    """Text of a message's ``content``: a string, or a list of parts with ``text``."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    raise TypeError(f"raif adapter: message content must be text or a list of parts, got {type(content).__name__}")


def completion_text(completion: Any) -> str:
    """A TRL completion as text: a string, or the last assistant message of a conversation."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return _content_text(completion.get("content"))
    if isinstance(completion, list):
        for message in reversed(completion):
            if isinstance(message, dict) and message.get("role", "assistant") == "assistant":
                return _content_text(message.get("content"))
        raise ValueError("raif adapter: conversational completion has no assistant message")
    raise TypeError(f"raif adapter: completion must be text or a list of messages, got {type(completion).__name__}")


def prompt_text(prompt: Any) -> str | None:
    """A TRL prompt as text: a string, or the last user message of a conversation (else ``None``)."""
    if prompt is None or isinstance(prompt, str):
        return prompt
    if isinstance(prompt, list):
        for message in reversed(prompt):
            if isinstance(message, dict) and message.get("role") == "user":
                return _content_text(message.get("content"))
        return None
    return None


# --------------------------------------------------------------------------------------------
# Clients: one blocking client per (process, thread), one asyncio client per event loop
# --------------------------------------------------------------------------------------------

_local = threading.local()
_async_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str | None, Any]]" = (
    weakref.WeakKeyDictionary()
)


def sync_client(socket: str | None = None) -> "raif_client.RaifClient":
    """The blocking client for ``socket`` of this thread (reconnected after a fork)."""
    pid = os.getpid()
    if getattr(_local, "pid", None) != pid:
        _local.pid = pid
        _local.clients = {}
    client = _local.clients.get(socket)
    if client is None:
        client = raif_client.RaifClient(socket)
        _local.clients[socket] = client
    return client


def _drop_sync_client(socket: str | None) -> None:
    client = getattr(_local, "clients", {}).pop(socket, None)
    if client is not None:
        try:
            client.close()
        except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is dropped anyway
            pass


def close_clients() -> None:
    """Closes this thread's blocking clients (they reconnect on next use)."""
    for socket in list(getattr(_local, "clients", {})):
        _drop_sync_client(socket)


async def close_async_clients() -> None:
    """Closes the asyncio clients of the running event loop."""
    for socket in list(_async_clients.get(asyncio.get_running_loop(), {})):
        await _drop_async_client(socket)


async def async_client(socket: str | None = None) -> "raif_client.AsyncRaifClient":
    """The asyncio client for ``socket`` on the running event loop (TRL runs async rewards on its own loop)."""
    loop = asyncio.get_running_loop()
    clients = _async_clients.setdefault(loop, {})
    client = clients.get(socket)
    if client is None:
        # Registered before connecting, so concurrent first calls share one connection.
        client = raif_client.AsyncRaifClient(socket)
        clients[socket] = client
    return await client.connect()


async def _drop_async_client(socket: str | None) -> None:
    clients = _async_clients.get(asyncio.get_running_loop(), {})
    client = clients.pop(socket, None)
    if client is not None:
        try:
            await client.close()
        except Exception:  # noqa: BLE001
            pass


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


@dataclass
class ItemVerdict:
    """One scored item: the server's result, flattened for trainers."""

    reward: float
    passed: bool
    follow_instruction_list: list[bool]
    tree: dict[str, Any]
    format_failed: bool
    raw: dict[str, Any] = field(repr=False)

    @property
    def instruction_accuracy(self) -> float:
        """The fraction of top-level constraints followed (1.0 when there are none)."""
        flags = self.follow_instruction_list
        return sum(flags) / len(flags) if flags else 1.0


def _error_nodes(node: Any) -> list[dict[str, Any]]:
    """Verdict-tree nodes that report an error (a verifier that could not run)."""
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if current.get("error") is not None:
                found.append(current)
            stack.extend(v for k, v in current.items() if k != "error")
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _format_failed(result: dict[str, Any]) -> bool:
    """Whether the verdict reports a reasoning-format failure (``reasoning: "require"``)."""
    fmt = result.get("format")
    if isinstance(fmt, dict):
        return fmt.get("pass") is False or fmt.get("passed") is False
    if isinstance(fmt, bool):
        return not fmt
    tree = result.get("tree")
    if isinstance(tree, dict):
        for key in ("format", "reasoning"):
            node = tree.get(key)
            if isinstance(node, dict) and node.get("pass") is False:
                return True
    return False


def _verdict(result: Any, index: int) -> ItemVerdict:
    """Checks one server result and flattens it; a result that is not a verdict raises."""
    if not isinstance(result, dict):
        raise RaifError(-32603, f"raif adapter: item {index}: result is not an object: {result!r:.200}", None)
    if result.get("error") is not None:
        error = result["error"]
        if isinstance(error, dict):
            raise RaifError(
                int(error.get("code", -32603)), f"item {index}: {error.get('message', error)}", error.get("data")
            )
        raise RaifError(-32603, f"item {index}: {error}", None)
    broken = _error_nodes(result.get("tree"))
    reward = result.get("reward")
    if broken or not isinstance(reward, (int, float)) or isinstance(reward, bool) or not math.isfinite(reward):
        reasons = "; ".join(
            f"{n.get('label') or n.get('verifier') or 'node'}: {n.get('error')}" for n in broken
        ) or f"reward is {reward!r}"
        raise RaifError(-32603, f"item {index}: verification could not run ({reasons})", result.get("tree"))
    return ItemVerdict(
        reward=float(reward),
        passed=bool(result.get("passed")),
        follow_instruction_list=[bool(x) for x in result.get("follow_instruction_list") or []],
        tree=result.get("tree") or {},
        format_failed=_format_failed(result),
        raw=result,
    )


def _item(response: str, constraints: Any, prompt: str | None) -> dict[str, Any]:
    if not isinstance(response, str):
        raise TypeError(f"raif adapter: response must be a string, got {type(response).__name__}")
    item: dict[str, Any] = {"response": response, "constraints": constraints}
    if prompt is not None:
        item["prompt"] = prompt
    return item


def _request(options: ScoreOptions, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": items, **options.params()}


def _results(reply: Any, count: int) -> list[Any]:
    results = reply.get("results") if isinstance(reply, dict) else None
    if not isinstance(results, list) or len(results) != count:
        got = len(results) if isinstance(results, list) else type(results).__name__
        raise RaifError(-32603, f"raif adapter: score returned {got} results for {count} items", reply)
    return results


def score_batch(
    responses: Sequence[str],
    constraints: Sequence[Any],
    prompts: Sequence[str | None] | None = None,
    options: ScoreOptions = ScoreOptions(),
    on_error: str = "raise",
) -> list[ItemVerdict | None]:
    """Scores many responses in one ``score`` request (blocking).

    Args:
        responses: response texts, already stripped of any chat template.
        constraints: one constraint spec per response (see :func:`normalize_constraints`).
        prompts: optional prompt texts, one per response.
        options: scoring options and socket.
        on_error: ``"raise"`` (default): any error raises :class:`RaifError`.
            ``"none"``: a request raif rejects is retried item by item and only the failing items
            become ``None``; a connection failure still raises.

    Raises:
        RaifError: raif's error (code, message, data), or a result reporting a verifier that could
            not run.
    """
    items = _items(responses, constraints, prompts)
    if not items:
        return []
    client = sync_client(options.socket)
    try:
        reply = client.call("score", _request(options, items))
    except RaifError:
        if on_error != "none":
            raise
        # Find the items raif rejects: one request each, pipelined on the connection.
        replies = client.call_many([("score", _request(options, [item])) for item in items], return_exceptions=True)
        return [_single_or_none(reply, index) for index, reply in enumerate(replies)]
    except (OSError, EOFError):
        _drop_sync_client(options.socket)
        raise
    return _collect(_results(reply, len(items)), on_error)


def _single_or_none(reply: Any, index: int) -> ItemVerdict | None:
    """The verdict in a one-item reply, or ``None`` when raif rejected or could not verify it."""
    if isinstance(reply, BaseException):
        if isinstance(reply, RaifError):
            return None
        raise reply
    try:
        return _verdict(_results(reply, 1)[0], index)
    except RaifError:
        return None


def _collect(results: list[Any], on_error: str) -> list[ItemVerdict | None]:
    verdicts: list[ItemVerdict | None] = []
    for index, result in enumerate(results):
        try:
            verdicts.append(_verdict(result, index))
        except RaifError:
            if on_error != "none":
                raise
            verdicts.append(None)
    return verdicts


def _items(
    responses: Sequence[str], constraints: Sequence[Any], prompts: Sequence[str | None] | None
) -> list[dict[str, Any]]:
    if len(constraints) != len(responses):
        raise ValueError(f"raif adapter: {len(responses)} responses but {len(constraints)} constraint specs")
    if prompts is not None and len(prompts) != len(responses):
        raise ValueError(f"raif adapter: {len(responses)} responses but {len(prompts)} prompts")
    return [
        _item(response, spec, prompts[i] if prompts is not None else None)
        for i, (response, spec) in enumerate(zip(responses, constraints))
    ]


async def score_batch_async(
    responses: Sequence[str],
    constraints: Sequence[Any],
    prompts: Sequence[str | None] | None = None,
    options: ScoreOptions = ScoreOptions(),
    on_error: str = "raise",
) -> list[ItemVerdict | None]:
    """:func:`score_batch` on the running asyncio loop, over a pipelining asyncio client."""
    items = _items(responses, constraints, prompts)
    if not items:
        return []
    client = await async_client(options.socket)
    try:
        reply = await client.call("score", _request(options, items))
    except RaifError:
        if on_error != "none":
            raise
        replies = await client.call_many(
            [("score", _request(options, [item])) for item in items], return_exceptions=True
        )
        return [_single_or_none(reply, index) for index, reply in enumerate(replies)]
    except (OSError, EOFError):
        await _drop_async_client(options.socket)
        raise
    return _collect(_results(reply, len(items)), on_error)


def check_on_error(on_error: str) -> str:
    """Validates an ``on_error`` argument."""
    if on_error not in ("raise", "none"):
        raise ValueError(f"raif adapter: on_error must be 'raise' or 'none', got {on_error!r}")
    return on_error


def as_list(values: Iterable[Any]) -> list[Any]:
    """A trainer's batch (list, tuple, numpy object array) as a list of its elements."""
    return values if isinstance(values, list) else list(values)
