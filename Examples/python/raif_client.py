#!/usr/bin/env python3
"""A client for raif's Unix-socket protocol, Python standard library only.

raif speaks length-prefixed JSON (see Protocol/PROTOCOL.md): every frame is a 4-byte big-endian
length followed by that many bytes of UTF-8 JSON. Requests are ``{"id", "method", "params"}``;
replies ``{"id", "result"}`` or ``{"id", "error": {"code", "message", "data"?}}``; streaming
requests send ``{"id", "event", "data"}`` frames before their reply. Replies come in completion
order and are matched by id, so one connection can carry many requests at once.

Two clients share that logic:

- ``RaifClient``: blocking. One connection, reused (reconnects if the server closed it).
  ``call`` waits for one reply; ``call_many`` pipelines many requests without waiting and returns
  the results in input order; ``batch`` sends them as one JSON-RPC batch frame instead;
  ``stream`` yields event frames as they arrive; ``notify`` sends a request that gets no reply.
- ``AsyncRaifClient``: asyncio. Any number of concurrent ``await client.call(...)`` share one
  connection; a reader task routes replies to futures by id and event frames to per-request
  callbacks or async iterators.

Errors the server reports raise ``RaifError(code, message, data)``; a lost connection raises
``ConnectionError``.

Command line::

    python3 raif_client.py                          # calls health and prints it
    python3 raif_client.py score '{"items": [...]}'
    python3 raif_client.py generate '{"prompt": "Hi", "max_tokens": 8}' --stream
    python3 raif_client.py --socket /path/to/raif.sock stats
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import select
import socket
import struct
import sys
import threading
import time
from typing import Any, AsyncIterator, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

__all__ = [
    "RaifError",
    "RaifEvent",
    "RaifClient",
    "RaifStream",
    "AsyncRaifClient",
    "AsyncRaifStream",
    "default_socket_path",
    "encode_frame",
    "FrameDecoder",
    "ErrorCode",
]

HEADER = struct.Struct(">I")
"""The frame header: payload length as an unsigned 32-bit big-endian integer."""

DEFAULT_MAX_FRAME_BYTES = 256 << 20
"""Largest reply frame this client accepts (the server's own request limit is 16 MiB by default)."""


class ErrorCode:
    """The protocol's error codes (PROTOCOL.md, "Errors")."""

    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603
    OVERLOADED = -32000
    TIMEOUT = -32001
    CANCELLED = -32002
    FRAME_TOO_LARGE = -32003
    MODEL_UNAVAILABLE = -32004


class RaifError(Exception):
    """An error reply from the server: ``code``, ``message`` and optional ``data``."""

    def __init__(self, code: int, message: str, data: Any = None):
        super().__init__(f"{message} ({code})")
        self.code = code
        self.message = message
        self.data = data

    @classmethod
    def from_error_object(cls, error: Any) -> "RaifError":
        """Builds the exception from a reply's ``error`` member (tolerating a malformed one)."""
        if not isinstance(error, dict):
            return cls(ErrorCode.INTERNAL_ERROR, f"malformed error object: {error!r}")
        code = error.get("code")
        return cls(code if isinstance(code, int) else ErrorCode.INTERNAL_ERROR, str(error.get("message", "")),
                   error.get("data"))

    def to_json(self) -> Dict[str, Any]:
        """The error object as the server sent it."""
        obj: Dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            obj["data"] = self.data
        return obj

    def __repr__(self) -> str:
        return f"RaifError(code={self.code!r}, message={self.message!r}, data={self.data!r})"


class RaifEvent:
    """One streamed event frame: ``id`` of its request, ``event`` name, ``data`` payload."""

    __slots__ = ("id", "event", "data")

    def __init__(self, id: Any, event: str, data: Dict[str, Any]):
        self.id = id
        self.event = event
        self.data = data

    def __repr__(self) -> str:
        return f"RaifEvent(id={self.id!r}, event={self.event!r}, data={self.data!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RaifEvent) and (self.id, self.event, self.data) == (other.id, other.event, other.data)


def default_socket_path() -> str:
    """``$RAIF_SOCKET``, else ``$XDG_RUNTIME_DIR/raif.sock``, else ``/tmp/raif-<uid>.sock`` (as the server)."""
    explicit = os.environ.get("RAIF_SOCKET")
    if explicit:
        return explicit
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return os.path.join(runtime, "raif.sock")
    return f"/tmp/raif-{os.getuid()}.sock"


def encode_frame(message: Any) -> bytes:
    """A frame carrying ``message`` as compact UTF-8 JSON (NaN/infinity are refused: not JSON)."""
    payload = json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if len(payload) > 0xFFFFFFFF:
        raise ValueError(f"message of {len(payload)} bytes does not fit in a frame")
    return HEADER.pack(len(payload)) + payload


class FrameDecoder:
    """Splits received bytes into frame payloads; headers may be split across reads."""

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES):
        self.max_frame_bytes = max_frame_bytes
        self._buffer = bytearray()
        self._start = 0

    def feed(self, data: bytes) -> List[bytes]:
        """Adds ``data``; returns every payload now complete (raises ConnectionError on an oversize header)."""
        self._buffer += data
        frames = []
        while len(self._buffer) - self._start >= HEADER.size:
            (length,) = HEADER.unpack_from(self._buffer, self._start)
            if length > self.max_frame_bytes:
                raise ConnectionError(f"server sent a frame of {length} bytes, over the client limit "
                                      f"of {self.max_frame_bytes}")
            end = self._start + HEADER.size + length
            if len(self._buffer) < end:
                break
            frames.append(bytes(self._buffer[self._start + HEADER.size:end]))
            self._start = end
        if self._start and self._start >= len(self._buffer) // 2:
            del self._buffer[:self._start]
            self._start = 0
        return frames


Params = Optional[Dict[str, Any]]
CallSpec = Union[Tuple[str, Params], Tuple[str], Dict[str, Any], str]


def _normalize_call(spec: CallSpec) -> Tuple[str, Dict[str, Any]]:
    """``("method", params)``, ``("method",)``, ``"method"`` or ``{"method": ..., "params": ...}``."""
    if isinstance(spec, str):
        return spec, {}
    if isinstance(spec, dict):
        return spec["method"], dict(spec.get("params") or {})
    method = spec[0]
    params = spec[1] if len(spec) > 1 else None
    return method, dict(params or {})


def _outcome(reply: Dict[str, Any]) -> Any:
    """The result of a reply, or raises its RaifError."""
    if "error" in reply:
        raise RaifError.from_error_object(reply["error"])
    return reply.get("result")


def _drop_none(**params: Any) -> Dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


def _score_params(items: Sequence[Dict[str, Any]], mode: Optional[str], reasoning: Optional[str],
                  policy: Optional[str]) -> Dict[str, Any]:
    return {"items": list(items), **_drop_none(mode=mode, reasoning=reasoning, policy=policy)}


def _generate_params(prompt: Optional[str], messages: Optional[List[Dict[str, str]]],
                     options: Dict[str, Any]) -> Dict[str, Any]:
    if (prompt is None) == (messages is None):
        raise ValueError("pass exactly one of prompt= or messages=")
    return {**_drop_none(prompt=prompt, messages=messages), **_drop_none(**options)}


# ---------------------------------------------------------------------------------------------
# Blocking client
# ---------------------------------------------------------------------------------------------


class RaifClient:
    """A blocking client over one reused connection.

    Thread-safe: calls from several threads are serialised on the connection (for real
    concurrency pipeline with ``call_many`` or use ``AsyncRaifClient``).

    >>> with RaifClient() as client:                                  # doctest: +SKIP
    ...     client.health()["status"]
    ...     results = client.call_many([("score", {"items": [...]}) for _ in range(100)])
    """

    def __init__(self, socket_path: Optional[str] = None, *, timeout: Optional[float] = None,
                 max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES):
        """``timeout`` (seconds, None = wait forever) bounds each call; connecting is lazy."""
        self.socket_path = socket_path or default_socket_path()
        self.timeout = timeout
        self.max_frame_bytes = max_frame_bytes
        self._sock: Optional[socket.socket] = None
        self._decoder = FrameDecoder(max_frame_bytes)
        self._out = bytearray()  # queued frames; bytes before _out_pos are already sent
        self._out_pos = 0
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._awaited: set = set()  # ids whose reply (and events) we keep
        self._unreplied: set = set()  # ids of the running call_many still without a reply
        self._replies: Dict[Any, Dict[str, Any]] = {}
        self._events: Dict[Any, List[RaifEvent]] = {}
        self._orphan_error: Optional[RaifError] = None

    # -- connection ----------------------------------------------------------------------------

    def connect(self) -> "RaifClient":
        """Opens the connection now (otherwise the first call does)."""
        with self._lock:
            if self._sock is not None and self._peer_closed():
                self.close()  # the server went away (restart, or a close after -32003): reconnect
            if self._sock is None:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    sock.connect(self.socket_path)
                except OSError as exc:
                    sock.close()
                    raise ConnectionError(f"cannot connect to raif at {self.socket_path}: {exc.strerror or exc}"
                                          " (is `raif serve` running?)") from exc
                sock.setblocking(False)
                self._sock = sock
                self._decoder = FrameDecoder(self.max_frame_bytes)
                self._out.clear()
                self._out_pos = 0
                self._orphan_error = None
        return self

    def _peer_closed(self) -> bool:
        """Whether the server has closed our connection (a readable socket with nothing to read)."""
        assert self._sock is not None
        try:
            readable, _, _ = select.select([self._sock], [], [], 0)
            return bool(readable) and self._sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def close(self) -> None:
        """Closes the connection; the next call reconnects."""
        with self._lock:
            if self._sock is not None:
                self._sock.close()
                self._sock = None
            self._awaited.clear()
            self._unreplied.clear()
            self._replies.clear()
            self._events.clear()

    def __enter__(self) -> "RaifClient":
        return self.connect()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- calls -----------------------------------------------------------------------------------

    def call(self, method: str, params: Params = None, *, timeout: Optional[float] = None) -> Any:
        """Sends one request and returns its result (raises RaifError for an error reply)."""
        return self.call_many([(method, params)], timeout=timeout)[0]

    def call_many(self, calls: Iterable[CallSpec], *, return_exceptions: bool = False,
                  timeout: Optional[float] = None) -> List[Any]:
        """Pipelines every call on the connection without waiting, then collects all replies.

        ``calls`` items are ``(method, params)`` tuples, method names, or ``{"method", "params"}``
        dicts. Results come back in input order whatever order the server answered in. An error
        reply raises its RaifError once every reply is in (so the connection stays in step), or,
        with ``return_exceptions=True``, takes its place in the list.
        """
        return self._exchange(calls, as_batch=False, return_exceptions=return_exceptions, timeout=timeout)

    def batch(self, calls: Iterable[CallSpec], *, return_exceptions: bool = False,
              timeout: Optional[float] = None) -> List[Any]:
        """Sends the calls as one JSON-RPC batch (one frame, one array reply); results in input order.

        Same contract as ``call_many``; the server replies once every element has finished.
        """
        return self._exchange(calls, as_batch=True, return_exceptions=return_exceptions, timeout=timeout)

    def _exchange(self, calls: Iterable[CallSpec], *, as_batch: bool, return_exceptions: bool,
                  timeout: Optional[float]) -> List[Any]:
        with self._lock:
            self.connect()
            ids = []
            requests = []
            for spec in calls:
                method, params = _normalize_call(spec)
                request_id = next(self._ids)
                ids.append(request_id)
                requests.append({"id": request_id, "method": method, "params": params})
            if not requests:
                return []
            self._awaited.update(ids)
            self._unreplied.update(ids)
            if as_batch:
                self._out += encode_frame(requests)
            else:
                for request in requests:
                    self._out += encode_frame(request)
            try:
                self._pump_until(lambda: not self._unreplied, timeout)
            finally:
                self._awaited.difference_update(ids)
                self._unreplied.clear()
                replies = [self._replies.pop(i, None) for i in ids]
                for i in ids:
                    self._events.pop(i, None)
        results: List[Any] = []
        first_error: Optional[RaifError] = None
        for reply in replies:
            try:
                results.append(_outcome(reply))  # type: ignore[arg-type]
            except RaifError as error:
                if not return_exceptions and first_error is None:
                    first_error = error
                results.append(error)
        if first_error is not None:
            raise first_error
        return results

    def notify(self, method: str, params: Params = None) -> None:
        """Sends a notification (no id): the server runs it and sends no reply."""
        with self._lock:
            self.connect()
            self._out += encode_frame({"method": method, "params": dict(params or {})})
            self._pump_until(lambda: self._out_pos == len(self._out), self.timeout)

    def stream(self, method: str, params: Params = None, *, timeout: Optional[float] = None) -> "RaifStream":
        """Sends a streaming request (``"stream": true`` is added) and returns an iterator of its events.

        Iterate it to receive ``RaifEvent``s as they arrive; afterwards ``.result`` holds the
        final result (an error reply raises RaifError from the loop).
        """
        params = dict(params or {})
        params.setdefault("stream", True)
        with self._lock:
            self.connect()
            request_id = next(self._ids)
            self._awaited.add(request_id)
            self._out += encode_frame({"id": request_id, "method": method, "params": params})
        return RaifStream(self, request_id, timeout)

    # -- convenience -----------------------------------------------------------------------------

    def health(self) -> Dict[str, Any]:
        """``health``: status, version, uptime, model."""
        return self.call("health")

    def stats(self) -> Dict[str, Any]:
        """``stats``: per-method counts and latencies, errors per code, requests in flight."""
        return self.call("stats")

    def verifiers(self) -> List[Dict[str, Any]]:
        """``verifiers``: every registered verifier."""
        return self.call("verifiers")["verifiers"]

    def score(self, items: Sequence[Dict[str, Any]], mode: Optional[str] = None, reasoning: Optional[str] = None,
              policy: Optional[str] = None) -> List[Dict[str, Any]]:
        """``score``: one result per item (``reward``, ``passed``, ``follow_instruction_list``, ``tree``)."""
        return self.call("score", _score_params(items, mode, reasoning, policy))["results"]

    def generate(self, prompt: Optional[str] = None, *, messages: Optional[List[Dict[str, str]]] = None,
                 **options: Any) -> Dict[str, Any]:
        """``generate`` with ``prompt`` or ``messages`` and any sampling options (``max_tokens=``, ``seed=`` ...)."""
        return self.call("generate", _generate_params(prompt, messages, options))

    def generate_stream(self, prompt: Optional[str] = None, *, messages: Optional[List[Dict[str, str]]] = None,
                        **options: Any) -> "RaifStream":
        """Streaming ``generate``: iterate for ``token`` events, then read ``.result``."""
        return self.stream("generate", _generate_params(prompt, messages, options))

    def generate_and_score(self, prompt: Optional[str] = None, *, constraints: Any,
                           messages: Optional[List[Dict[str, str]]] = None, mode: Optional[str] = None,
                           reasoning: Optional[str] = None, policy: Optional[str] = None,
                           **options: Any) -> Dict[str, Any]:
        """``generate_and_score``: n samples, each scored against ``constraints``, plus group statistics."""
        params = _generate_params(prompt, messages, options)
        params.update(_drop_none(constraints=constraints, mode=mode, reasoning=reasoning, policy=policy))
        return self.call("generate_and_score", params)

    def cancel(self, target: Any) -> bool:
        """``cancel``: cancels the in-flight request ``target`` of this connection."""
        return bool(self.call("cancel", {"target": target})["cancelled"])

    # -- I/O ---------------------------------------------------------------------------------------

    def _pump_until(self, done: Callable[[], bool], timeout: Optional[float]) -> None:
        """Writes queued bytes and reads frames until ``done()``; never blocks on a full socket."""
        timeout = self.timeout if timeout is None else timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        while not done():
            sock = self._sock
            if sock is None:
                raise ConnectionError("connection closed")
            if self._orphan_error is not None and self._awaited:
                # A reply with id null (the server could not read our frame): it belongs to what we wait for.
                error, self._orphan_error = self._orphan_error, None
                if error.code == ErrorCode.FRAME_TOO_LARGE:
                    self.close()  # the server closes the connection after -32003
                raise error
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise TimeoutError(f"no reply from raif within {timeout} s")
            unsent = len(self._out) - self._out_pos
            readable, writable, _ = select.select([sock], [sock] if unsent else [], [], remaining)
            if writable:
                try:
                    with memoryview(self._out) as view:
                        self._out_pos += sock.send(view[self._out_pos:self._out_pos + (1 << 20)])
                except BlockingIOError:
                    pass
                except (BrokenPipeError, ConnectionResetError):
                    # The server closed (e.g. after -32003): stop writing, read what it said.
                    self._out_pos = len(self._out)
                if self._out_pos == len(self._out):
                    self._out.clear()
                    self._out_pos = 0
            if readable:
                try:
                    data = sock.recv(1 << 20)
                except BlockingIOError:
                    continue
                except ConnectionResetError:
                    data = b""
                if not data:
                    error = self._orphan_error
                    self.close()
                    if error is not None:
                        raise error
                    raise ConnectionError("raif closed the connection")
                for payload in self._decoder.feed(data):
                    self._dispatch(json.loads(payload))

    def _dispatch(self, message: Any) -> None:
        if isinstance(message, list):
            for element in message:
                self._dispatch(element)
            return
        if not isinstance(message, dict):
            raise ConnectionError(f"unexpected frame from raif: {message!r}")
        request_id = message.get("id")
        if "event" in message:
            if request_id in self._awaited:
                self._events.setdefault(request_id, []).append(
                    RaifEvent(request_id, message["event"], message.get("data") or {}))
        elif request_id is None:
            if "error" in message:
                self._orphan_error = RaifError.from_error_object(message["error"])
        elif request_id in self._awaited:
            self._replies[request_id] = message
            self._unreplied.discard(request_id)

    def _stream_step(self, request_id: Any, timeout: Optional[float]) -> Tuple[List[RaifEvent], Optional[dict]]:
        """Waits for events or the reply of ``request_id``; returns new events and the reply if in."""
        with self._lock:
            try:
                self._pump_until(lambda: bool(self._events.get(request_id)) or request_id in self._replies, timeout)
            except BaseException:
                self._awaited.discard(request_id)
                self._events.pop(request_id, None)
                raise
            events = self._events.pop(request_id, [])
            reply = self._replies.pop(request_id, None)
            if reply is not None:
                self._awaited.discard(request_id)
            return events, reply


class RaifStream:
    """The events of one streaming request (blocking); ``result`` is set once the reply arrived."""

    def __init__(self, client: RaifClient, request_id: Any, timeout: Optional[float]):
        self.client = client
        self.id = request_id
        self.timeout = timeout
        self.result: Any = None
        self.done = False

    def __iter__(self) -> Iterator[RaifEvent]:
        while not self.done:
            events, reply = self.client._stream_step(self.id, self.timeout)
            yield from events
            if reply is not None:
                self.done = True
                self.result = _outcome(reply)

    def wait(self) -> Any:
        """Drains the remaining events and returns the result."""
        for _ in self:
            pass
        return self.result


# ---------------------------------------------------------------------------------------------
# asyncio client
# ---------------------------------------------------------------------------------------------

EventCallback = Callable[[RaifEvent], Any]


class AsyncRaifClient:
    """An asyncio client: concurrent calls pipelined on one connection, replies routed by id.

    >>> async with AsyncRaifClient() as client:                       # doctest: +SKIP
    ...     a, b = await asyncio.gather(client.health(), client.score(items))
    """

    def __init__(self, socket_path: Optional[str] = None, *, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES):
        self.socket_path = socket_path or default_socket_path()
        self.max_frame_bytes = max_frame_bytes
        self._reader: Optional[asyncio.StreamReader] = None
        self._writer: Optional[asyncio.StreamWriter] = None
        self._reader_task: Optional[asyncio.Task] = None
        self._ids = itertools.count(1)
        self._pending: Dict[Any, asyncio.Future] = {}
        self._listeners: Dict[Any, EventCallback] = {}
        self._closed_error: Optional[BaseException] = None
        self._connect_lock: Optional[asyncio.Lock] = None

    async def connect(self) -> "AsyncRaifClient":
        """Opens the connection and starts the reader task (the first call does it otherwise)."""
        if self._connect_lock is None:
            self._connect_lock = asyncio.Lock()
        async with self._connect_lock:
            if self._writer is None:
                try:
                    self._reader, self._writer = await asyncio.open_unix_connection(self.socket_path)
                except OSError as exc:
                    raise ConnectionError(f"cannot connect to raif at {self.socket_path}: {exc.strerror or exc}"
                                          " (is `raif serve` running?)") from exc
                self._closed_error = None
                self._reader_task = asyncio.get_running_loop().create_task(self._read_loop())
        return self

    async def close(self) -> None:
        """Closes the connection; pending calls fail with ConnectionError."""
        task, writer = self._reader_task, self._writer
        self._reader_task = self._writer = self._reader = None
        if task is not None:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        if writer is not None:
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass
        self._fail_all(ConnectionError("client closed"))

    async def __aenter__(self) -> "AsyncRaifClient":
        return await self.connect()

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    # -- calls -------------------------------------------------------------------------------------

    async def call(self, method: str, params: Params = None, *, on_event: Optional[EventCallback] = None,
                   timeout: Optional[float] = None) -> Any:
        """Sends one request and awaits its result; ``on_event`` receives its event frames.

        If the awaiting task is cancelled (or ``timeout`` passes), a ``cancel`` notification for
        the request is sent to the server.
        """
        await self.connect()
        request_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        if on_event is not None:
            self._listeners[request_id] = on_event
        try:
            try:
                await self._send({"id": request_id, "method": method, "params": dict(params or {})})
            except (ConnectionError, OSError) as exc:
                # The server may have closed on purpose (e.g. -32003 frame too large): the reader
                # task fails this future with the reason it received; wait briefly for it.
                try:
                    await asyncio.wait_for(asyncio.shield(future), 2)
                except (asyncio.TimeoutError, asyncio.CancelledError):
                    raise exc from None
            reply = await asyncio.wait_for(future, timeout) if timeout is not None else await future
        except (asyncio.CancelledError, asyncio.TimeoutError):
            replied = future.done() and not future.cancelled()
            if not replied and self._writer is not None:
                try:
                    await self._send({"method": "cancel", "params": {"target": request_id}})
                except (ConnectionError, OSError):
                    pass
            raise
        finally:
            self._pending.pop(request_id, None)
            self._listeners.pop(request_id, None)
        return _outcome(reply)

    async def call_many(self, calls: Iterable[CallSpec], *, return_exceptions: bool = False) -> List[Any]:
        """Runs every call concurrently on the connection; results in input order."""
        specs = [_normalize_call(spec) for spec in calls]
        return await asyncio.gather(*(self.call(m, p) for m, p in specs), return_exceptions=return_exceptions)

    async def batch(self, calls: Iterable[CallSpec], *, return_exceptions: bool = False) -> List[Any]:
        """Sends the calls as one JSON-RPC batch frame; results in input order."""
        specs = [_normalize_call(spec) for spec in calls]
        if not specs:
            return []
        await self.connect()
        loop = asyncio.get_running_loop()
        ids = [next(self._ids) for _ in specs]
        futures = [loop.create_future() for _ in specs]
        self._pending.update(zip(ids, futures))
        try:
            await self._send([{"id": i, "method": m, "params": p} for i, (m, p) in zip(ids, specs)])
            replies = await asyncio.gather(*futures)
        finally:
            for i in ids:
                self._pending.pop(i, None)
        results: List[Any] = []
        for reply in replies:
            try:
                results.append(_outcome(reply))
            except RaifError as error:
                if not return_exceptions:
                    raise
                results.append(error)
        return results

    async def notify(self, method: str, params: Params = None) -> None:
        """Sends a notification: no id, no reply."""
        await self.connect()
        await self._send({"method": method, "params": dict(params or {})})

    def stream(self, method: str, params: Params = None) -> "AsyncRaifStream":
        """A streaming request (``"stream": true`` added): ``async for event in ...``, then ``.result``."""
        params = dict(params or {})
        params.setdefault("stream", True)
        return AsyncRaifStream(self, method, params)

    # -- convenience ---------------------------------------------------------------------------------

    async def health(self) -> Dict[str, Any]:
        return await self.call("health")

    async def stats(self) -> Dict[str, Any]:
        return await self.call("stats")

    async def verifiers(self) -> List[Dict[str, Any]]:
        return (await self.call("verifiers"))["verifiers"]

    async def score(self, items: Sequence[Dict[str, Any]], mode: Optional[str] = None,
                    reasoning: Optional[str] = None, policy: Optional[str] = None) -> List[Dict[str, Any]]:
        return (await self.call("score", _score_params(items, mode, reasoning, policy)))["results"]

    async def generate(self, prompt: Optional[str] = None, *, messages: Optional[List[Dict[str, str]]] = None,
                       on_event: Optional[EventCallback] = None, **options: Any) -> Dict[str, Any]:
        return await self.call("generate", _generate_params(prompt, messages, options), on_event=on_event)

    def generate_stream(self, prompt: Optional[str] = None, *, messages: Optional[List[Dict[str, str]]] = None,
                        **options: Any) -> "AsyncRaifStream":
        """Streaming ``generate``: ``async for`` the ``token`` events, then read ``.result``."""
        return self.stream("generate", _generate_params(prompt, messages, options))

    async def generate_and_score(self, prompt: Optional[str] = None, *, constraints: Any,
                                 messages: Optional[List[Dict[str, str]]] = None, mode: Optional[str] = None,
                                 reasoning: Optional[str] = None, policy: Optional[str] = None,
                                 on_event: Optional[EventCallback] = None, **options: Any) -> Dict[str, Any]:
        params = _generate_params(prompt, messages, options)
        params.update(_drop_none(constraints=constraints, mode=mode, reasoning=reasoning, policy=policy))
        return await self.call("generate_and_score", params, on_event=on_event)

    async def cancel(self, target: Any) -> bool:
        return bool((await self.call("cancel", {"target": target}))["cancelled"])

    # -- I/O -------------------------------------------------------------------------------------------

    async def _send(self, message: Any) -> None:
        writer = self._writer
        if writer is None:
            raise self._closed_error or ConnectionError("not connected")
        writer.write(encode_frame(message))  # one write per frame: frames never interleave
        await writer.drain()

    async def _read_loop(self) -> None:
        reader = self._reader
        assert reader is not None
        orphan_error: Optional[RaifError] = None
        try:
            while True:
                header = await reader.readexactly(HEADER.size)
                (length,) = HEADER.unpack(header)
                if length > self.max_frame_bytes:
                    raise ConnectionError(f"server sent a frame of {length} bytes, over the client limit")
                message = json.loads(await reader.readexactly(length))
                orphan_error = self._dispatch(message) or orphan_error
        except asyncio.IncompleteReadError:
            error: BaseException = orphan_error or ConnectionError("raif closed the connection")
        except (ConnectionError, OSError, ValueError) as exc:
            # A reset right after an error reply with id null (e.g. -32003): report that reply.
            error = orphan_error or (exc if isinstance(exc, ConnectionError) else ConnectionError(str(exc)))
        except Exception as exc:  # never leave pending calls hanging
            error = ConnectionError(f"raif client reader failed: {exc!r}")
        self._writer = self._reader = None
        self._closed_error = error
        self._fail_all(error)

    def _dispatch(self, message: Any) -> Optional[RaifError]:
        """Routes one frame; returns the RaifError of a reply with id null (it concerns no known call)."""
        if isinstance(message, list):
            orphan = None
            for element in message:
                orphan = self._dispatch(element) or orphan
            return orphan
        if not isinstance(message, dict):
            return None
        request_id = message.get("id")
        if "event" in message:
            listener = self._listeners.get(request_id)
            if listener is not None:
                try:
                    outcome = listener(RaifEvent(request_id, message["event"], message.get("data") or {}))
                    if asyncio.iscoroutine(outcome):
                        asyncio.ensure_future(outcome)
                except Exception as exc:  # a failing callback fails its own call, not the connection
                    self._listeners.pop(request_id, None)
                    future = self._pending.get(request_id)
                    if future is not None and not future.done():
                        future.set_exception(exc)
            return None
        if request_id is None:
            return RaifError.from_error_object(message["error"]) if "error" in message else None
        future = self._pending.get(request_id)
        if future is not None and not future.done():
            future.set_result(message)
        return None

    def _fail_all(self, error: BaseException) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)
        self._pending.clear()
        self._listeners.clear()


class AsyncRaifStream:
    """The events of one streaming request (asyncio); ``result`` is set when iteration ends."""

    def __init__(self, client: AsyncRaifClient, method: str, params: Dict[str, Any]):
        self.client = client
        self.method = method
        self.params = params
        self.result: Any = None
        self._queue: "asyncio.Queue[Any]" = asyncio.Queue()
        self._task: Optional[asyncio.Task] = None

    def __aiter__(self) -> AsyncIterator[RaifEvent]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[RaifEvent]:
        done = object()

        async def run() -> Any:
            try:
                return await self.client.call(self.method, self.params, on_event=self._queue.put_nowait)
            finally:
                self._queue.put_nowait(done)

        self._task = asyncio.ensure_future(run())
        try:
            while True:
                item = await self._queue.get()
                if item is done:
                    break
                yield item
            self.result = await self._task
        finally:
            if not self._task.done():
                self._task.cancel()

    async def wait(self) -> Any:
        """Drains the remaining events and returns the result."""
        async for _ in self:
            pass
        return self.result


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Call a method of a running raif server (default: health).")
    parser.add_argument("method", nargs="?", default="health", help="method name (default: health)")
    parser.add_argument("params", nargs="?", default=None, help="params as a JSON object")
    parser.add_argument("--socket", default=None, help="socket path (default: $RAIF_SOCKET, "
                        "$XDG_RUNTIME_DIR/raif.sock, /tmp/raif-<uid>.sock)")
    parser.add_argument("--stream", action="store_true", help="stream events (printed as JSON lines on stderr)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds to wait for the reply")
    args = parser.parse_args(argv)

    params: Dict[str, Any] = {}
    if args.params is not None:
        try:
            params = json.loads(args.params)
        except json.JSONDecodeError as exc:
            print(f"raif_client: PARAMS_JSON is not valid JSON: {exc}", file=sys.stderr)
            return 2
        if not isinstance(params, dict):
            print("raif_client: PARAMS_JSON must be a JSON object", file=sys.stderr)
            return 2

    try:
        with RaifClient(args.socket, timeout=args.timeout) as client:
            if args.stream:
                stream = client.stream(args.method, params)
                for event in stream:
                    print(json.dumps({"event": event.event, "data": event.data}, ensure_ascii=False),
                          file=sys.stderr, flush=True)
                result = stream.result
            else:
                result = client.call(args.method, params)
    except RaifError as error:
        print(json.dumps({"error": error.to_json()}, ensure_ascii=False, indent=2), file=sys.stderr)
        return 1
    except (ConnectionError, TimeoutError) as exc:
        print(f"raif_client: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
