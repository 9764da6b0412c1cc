"""Tests of raif_client.py against a small in-test fake server on a temporary Unix socket.

Standard library only: ``python3 -m unittest Examples/python/test_raif_client.py`` (or run the
file). The fake server speaks the framing and envelope of Protocol/PROTOCOL.md with a few test
methods; a separate test runs the client against the real server.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import socket
import struct
import sys
import tempfile
import threading
import time
import unittest
from typing import Any, Dict, List, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import raif_client  # noqa: E402
from raif_client import (AsyncRaifClient, ErrorCode, FrameDecoder, RaifClient, RaifError,  # noqa: E402
                         RaifEvent, default_socket_path, encode_frame)


class FakeRaifServer:
    """A threaded stand-in for `raif serve`: each request runs in its own thread, so replies are
    written in completion order.

    Methods: ``echo`` (result ``{"params": params}``), ``sleep`` (``{"ms"}``; replies after that
    long), ``fail`` (error from ``{"code", "message", "data"?}``), ``stream`` (``{"n"}`` token
    events, then ``{"count": n}``), ``count`` (notifications received so far), ``health``,
    ``score`` (echoes the params it got), ``generate`` / ``generate_and_score`` (echo), ``cancel``.
    Frames over ``max_frame_bytes`` get -32003 and a close; zero-length frames -32600; bad JSON -32700.
    """

    def __init__(self, max_frame_bytes: int = 1 << 20):
        self.dir = tempfile.mkdtemp(prefix="raif-test-")
        self.path = os.path.join(self.dir, "s.sock")
        self.max_frame_bytes = max_frame_bytes
        self.notifications: List[Dict[str, Any]] = []
        self.requests_seen: List[Dict[str, Any]] = []
        self.completed_sleeps: List[int] = []
        self.frames: List[Any] = []
        self._conns: List[socket.socket] = []
        self.connections = 0
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.path)
        self._listener.listen(64)
        self._stopping = False
        self._threads: List[threading.Thread] = []
        self._accept_thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._accept_thread.start()

    def drop_connections(self) -> None:
        """Closes every open client connection (as a restarting server would)."""
        for conn in list(self._conns):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._accept_thread.join(timeout=5)
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.rmdir(self.dir)

    def _accept_loop(self) -> None:
        while not self._stopping:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            self._conns.append(conn)
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    @staticmethod
    def _read_exact(conn: socket.socket, n: int) -> Optional[bytes]:
        buf = bytearray()
        while len(buf) < n:
            chunk = conn.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return bytes(buf)

    def _serve(self, conn: socket.socket) -> None:
        write_lock = threading.Lock()

        def send(message: Any) -> None:
            with write_lock, contextlib.suppress(OSError):
                conn.sendall(encode_frame(message))

        with conn:
            while True:
                header = self._read_exact(conn, 4)
                if header is None:
                    return
                (length,) = struct.unpack(">I", header)
                if length > self.max_frame_bytes:
                    send({"id": None, "error": {"code": -32003, "message": "frame too large",
                                                "data": {"declared": length, "limit": self.max_frame_bytes}}})
                    return  # close without reading the body
                if length == 0:
                    send({"id": None, "error": {"code": -32600, "message": "invalid request: empty frame"}})
                    continue
                payload = self._read_exact(conn, length)
                if payload is None:
                    return
                try:
                    message = json.loads(payload)
                except ValueError as exc:
                    send({"id": None, "error": {"code": -32700, "message": f"parse error: {exc}"}})
                    continue
                self.frames.append(message)
                if isinstance(message, list):
                    threading.Thread(target=self._batch, args=(message, send), daemon=True).start()
                else:
                    threading.Thread(target=self._handle, args=(message, send), daemon=True).start()

    def _batch(self, messages: List[Any], send) -> None:
        replies: List[Any] = []
        for m in messages:
            self._handle(m, replies.append)
        if replies:
            send(replies)

    def _handle(self, message: Dict[str, Any], send) -> None:
        self.requests_seen.append(message)
        request_id = message.get("id")
        method = message.get("method")
        params = message.get("params") or {}
        if request_id is None:
            self.notifications.append(message)
            return
        if method == "echo":
            send({"id": request_id, "result": {"params": params}})
        elif method == "sleep":
            time.sleep(params.get("ms", 0) / 1000)
            send({"id": request_id, "result": {"slept_ms": params.get("ms", 0)}})
            self.completed_sleeps.append(params.get("ms", 0))
        elif method == "fail":
            error = {"code": params["code"], "message": params["message"]}
            if "data" in params:
                error["data"] = params["data"]
            send({"id": request_id, "error": error})
        elif method == "stream":
            for i in range(params.get("n", 3)):
                send({"id": request_id, "event": "token", "data": {"index": 0, "text": f"t{i}"}})
                time.sleep(0.001)
            send({"id": request_id, "result": {"count": params.get("n", 3), "stream": params.get("stream")}})
        elif method == "count":
            send({"id": request_id, "result": {"notifications": len(self.notifications)}})
        elif method == "health":
            send({"id": request_id, "result": {"status": "ok", "version": "test", "uptime_s": 1.0, "model": None}})
        elif method in ("score", "generate", "generate_and_score"):
            if method == "score":
                result = {"results": [{"reward": 1.0, "echo": params}]}
            else:
                result = {"echo": params}
            send({"id": request_id, "result": result})
        else:
            send({"id": request_id, "error": {"code": -32601, "message": f"method not found: {method}",
                                              "data": {"method": method}}})


class FramingTests(unittest.TestCase):
    def test_encode_frame_is_big_endian_length_then_compact_utf8(self) -> None:
        frame = encode_frame({"a": "é", "b": [1, 2]})
        payload = '{"a":"é","b":[1,2]}'.encode()
        self.assertEqual(frame[:4], struct.pack(">I", len(payload)))
        self.assertEqual(frame[4:], payload)

    def test_nan_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            encode_frame({"x": float("nan")})

    def test_decoder_handles_any_split(self) -> None:
        messages = [{"id": i, "result": {"text": "😀" * i}} for i in range(20)]
        stream = b"".join(encode_frame(m) for m in messages)
        for chunk in (1, 2, 3, 5, 4096):
            decoder = FrameDecoder()
            frames: List[bytes] = []
            for start in range(0, len(stream), chunk):
                frames += decoder.feed(stream[start:start + chunk])
            self.assertEqual([json.loads(f) for f in frames], messages, f"chunk {chunk}")

    def test_decoder_rejects_oversize_header(self) -> None:
        decoder = FrameDecoder(max_frame_bytes=10)
        with self.assertRaises(ConnectionError):
            decoder.feed(struct.pack(">I", 11))

    def test_default_socket_path(self) -> None:
        env = {k: os.environ.get(k) for k in ("RAIF_SOCKET", "XDG_RUNTIME_DIR")}
        try:
            os.environ["RAIF_SOCKET"] = "/x/explicit.sock"
            os.environ["XDG_RUNTIME_DIR"] = "/run/user/5"
            self.assertEqual(default_socket_path(), "/x/explicit.sock")
            del os.environ["RAIF_SOCKET"]
            self.assertEqual(default_socket_path(), "/run/user/5/raif.sock")
            del os.environ["XDG_RUNTIME_DIR"]
            self.assertEqual(default_socket_path(), f"/tmp/raif-{os.getuid()}.sock")
        finally:
            for k, v in env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


class ServerTestCase(unittest.TestCase):
    max_frame_bytes = 1 << 20

    def setUp(self) -> None:
        self.server = FakeRaifServer(max_frame_bytes=self.max_frame_bytes)

    def tearDown(self) -> None:
        self.server.close()


class BlockingClientTests(ServerTestCase):
    def test_call_returns_result_and_reuses_one_connection(self) -> None:
        with RaifClient(self.server.path, timeout=10) as client:
            for i in range(5):
                self.assertEqual(client.call("echo", {"i": i}), {"params": {"i": i}})
            self.assertEqual(client.health()["status"], "ok")
        self.assertEqual(self.server.connections, 1)

    def test_unicode_and_big_integers_round_trip(self) -> None:
        params = {"s": "a\u0000b 😀 \u2028 é", "big": 2**63 - 1, "neg": -2**63, "f": 0.1}
        with RaifClient(self.server.path, timeout=10) as client:
            self.assertEqual(client.call("echo", params), {"params": params})

    def test_call_many_pipelines_and_matches_out_of_order_replies(self) -> None:
        # The first request is the slowest: the server answers in reverse order.
        delays = [300, 200, 100, 0]
        with RaifClient(self.server.path, timeout=10) as client:
            results = client.call_many([("sleep", {"ms": ms}) for ms in delays])
        self.assertEqual(results, [{"slept_ms": ms} for ms in delays])
        # All four were in flight at once (pipelined), so they finished fastest first.
        self.assertEqual(self.server.completed_sleeps, [0, 100, 200, 300])

    def test_call_many_large_pipeline_does_not_deadlock(self) -> None:
        calls = [("echo", {"i": i, "pad": "x" * 2000}) for i in range(2000)]
        with RaifClient(self.server.path, timeout=60) as client:
            results = client.call_many(calls)
        self.assertEqual([r["params"]["i"] for r in results], list(range(2000)))

    def test_error_reply_raises_raif_error(self) -> None:
        with RaifClient(self.server.path, timeout=10) as client:
            with self.assertRaises(RaifError) as caught:
                client.call("fail", {"code": -32602, "message": "params.n must be an integer, got string",
                                     "data": {"field": "params.n"}})
            self.assertEqual(caught.exception.code, ErrorCode.INVALID_PARAMS)
            self.assertEqual(caught.exception.message, "params.n must be an integer, got string")
            self.assertEqual(caught.exception.data, {"field": "params.n"})
            with self.assertRaises(RaifError) as caught:
                client.call("no_such_method")
            self.assertEqual(caught.exception.code, ErrorCode.METHOD_NOT_FOUND)
            # The connection is still usable.
            self.assertEqual(client.call("echo"), {"params": {}})

    def test_call_many_with_errors(self) -> None:
        calls = [("echo", {"i": 1}), ("fail", {"code": -32001, "message": "timeout"}), ("echo", {"i": 2})]
        with RaifClient(self.server.path, timeout=10) as client:
            results = client.call_many(calls, return_exceptions=True)
            self.assertEqual(results[0], {"params": {"i": 1}})
            self.assertIsInstance(results[1], RaifError)
            self.assertEqual(results[1].code, ErrorCode.TIMEOUT)
            self.assertEqual(results[2], {"params": {"i": 2}})
            with self.assertRaises(RaifError):
                client.call_many(calls)
            self.assertEqual(client.call("echo", {"after": True}), {"params": {"after": True}})

    def test_batch_sends_one_frame_and_orders_results(self) -> None:
        with RaifClient(self.server.path, timeout=10) as client:
            results = client.batch([("sleep", {"ms": 50}), ("echo", {"i": 2}),
                                    ("fail", {"code": -32602, "message": "params.x is required"})],
                                   return_exceptions=True)
            self.assertEqual(results[:2], [{"slept_ms": 50}, {"params": {"i": 2}}])
            self.assertEqual(results[2].code, ErrorCode.INVALID_PARAMS)
            self.assertEqual(client.batch([]), [])
            with self.assertRaises(RaifError):
                client.batch([("nope", {})])
        batches = [m for m in self.server.frames if isinstance(m, list)]
        self.assertEqual([len(b) for b in batches], [3, 1])

    def test_notifications_get_no_reply(self) -> None:
        with RaifClient(self.server.path, timeout=10) as client:
            client.notify("echo", {"n": 1})
            client.notify("echo", {"n": 2})
            deadline = time.monotonic() + 5
            while client.call("count")["notifications"] < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            self.assertEqual(client.call("count"), {"notifications": 2})
        self.assertTrue(all("id" not in n for n in self.server.notifications))

    def test_stream_yields_events_then_result(self) -> None:
        with RaifClient(self.server.path, timeout=10) as client:
            stream = client.stream("stream", {"n": 4})
            events = list(stream)
            self.assertEqual([e.data["text"] for e in events], ["t0", "t1", "t2", "t3"])
            self.assertTrue(all(e.event == "token" and e.id == stream.id for e in events))
            self.assertEqual(stream.result, {"count": 4, "stream": True})
            self.assertEqual(client.call("echo", {"x": 1}), {"params": {"x": 1}})

    def test_frame_too_large_raises_and_client_reconnects(self) -> None:
        self.server.max_frame_bytes = 1000
        with RaifClient(self.server.path, timeout=10) as client:
            with self.assertRaises(RaifError) as caught:
                client.call("echo", {"pad": "x" * 5000})
            self.assertEqual(caught.exception.code, ErrorCode.FRAME_TOO_LARGE)
            self.assertEqual(caught.exception.data["declared"], len(encode_frame(
                {"id": 1, "method": "echo", "params": {"pad": "x" * 5000}})) - 4)
            # The server closed that connection; the next call opens a new one.
            self.assertEqual(client.call("echo", {"ok": 1}), {"params": {"ok": 1}})
        self.assertEqual(self.server.connections, 2)

    def test_reconnects_after_the_server_closed_an_idle_connection(self) -> None:
        with RaifClient(self.server.path, timeout=10) as client:
            self.assertEqual(client.call("echo", {"n": 1}), {"params": {"n": 1}})
            self.server.drop_connections()
            time.sleep(0.05)
            self.assertEqual(client.call("echo", {"n": 2}), {"params": {"n": 2}})
        self.assertEqual(self.server.connections, 2)

    def test_convenience_methods_send_the_documented_params(self) -> None:
        with RaifClient(self.server.path, timeout=10) as client:
            results = client.score([{"response": "hi", "constraints": {"verifier": "x"}}], mode="loose",
                                   policy="fraction")
            self.assertEqual(results[0]["echo"], {"items": [{"response": "hi", "constraints": {"verifier": "x"}}],
                                                  "mode": "loose", "policy": "fraction"})
            self.assertEqual(client.generate("Hello", max_tokens=4, seed=1)["echo"],
                             {"prompt": "Hello", "max_tokens": 4, "seed": 1})
            out = client.generate_and_score(messages=[{"role": "user", "content": "q"}], constraints=[], n=4,
                                            reasoning="require")
            self.assertEqual(out["echo"], {"messages": [{"role": "user", "content": "q"}], "n": 4,
                                           "constraints": [], "reasoning": "require"})
            with self.assertRaises(ValueError):
                client.generate()

    def test_timeout(self) -> None:
        with RaifClient(self.server.path) as client:
            with self.assertRaises(TimeoutError):
                client.call("sleep", {"ms": 500}, timeout=0.05)

    def test_connection_refused_is_a_clear_error(self) -> None:
        with self.assertRaises(ConnectionError) as caught:
            RaifClient(os.path.join(self.server.dir, "absent.sock")).call("health")
        self.assertIn("raif serve", str(caught.exception))

    def test_threads_share_a_client(self) -> None:
        client = RaifClient(self.server.path, timeout=10)
        errors: List[BaseException] = []

        def worker(k: int) -> None:
            try:
                for i in range(50):
                    assert client.call("echo", {"k": k, "i": i}) == {"params": {"k": k, "i": i}}
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        client.close()
        self.assertEqual(errors, [])


class AsyncClientTests(ServerTestCase):
    def run_async(self, coro):
        return asyncio.run(asyncio.wait_for(coro, 30))

    def test_concurrent_calls_share_one_connection_and_complete_out_of_order(self) -> None:
        async def scenario():
            async with AsyncRaifClient(self.server.path) as client:
                order: List[int] = []

                async def timed(ms: int):
                    result = await client.call("sleep", {"ms": ms})
                    order.append(ms)
                    return result

                results = await asyncio.gather(*(timed(ms) for ms in (300, 150, 0)))
                return results, order

        results, order = self.run_async(scenario())
        self.assertEqual(results, [{"slept_ms": 300}, {"slept_ms": 150}, {"slept_ms": 0}])
        self.assertEqual(order, [0, 150, 300])
        self.assertEqual(self.server.connections, 1)

    def test_many_concurrent_calls(self) -> None:
        async def scenario():
            async with AsyncRaifClient(self.server.path) as client:
                return await client.call_many([("echo", {"i": i}) for i in range(500)])

        results = self.run_async(scenario())
        self.assertEqual([r["params"]["i"] for r in results], list(range(500)))

    def test_errors_raise_raif_error(self) -> None:
        async def scenario():
            async with AsyncRaifClient(self.server.path) as client:
                with self.assertRaises(RaifError) as caught:
                    await client.call("fail", {"code": -32004, "message": "model unavailable: none loaded"})
                self.assertEqual(caught.exception.code, ErrorCode.MODEL_UNAVAILABLE)
                mixed = await client.call_many([("echo", {}), ("nope", {})], return_exceptions=True)
                self.assertEqual(mixed[0], {"params": {}})
                self.assertIsInstance(mixed[1], RaifError)
                return await client.health()

        self.assertEqual(self.run_async(scenario())["status"], "ok")

    def test_events_reach_the_callback_and_the_stream(self) -> None:
        async def scenario():
            async with AsyncRaifClient(self.server.path) as client:
                seen: List[RaifEvent] = []
                result = await client.call("stream", {"n": 3}, on_event=seen.append)
                stream = client.stream("stream", {"n": 5})
                texts = [event.data["text"] async for event in stream]
                return seen, result, texts, stream.result

        seen, result, texts, stream_result = self.run_async(scenario())
        self.assertEqual([e.data["text"] for e in seen], ["t0", "t1", "t2"])
        self.assertEqual(result, {"count": 3, "stream": None})
        self.assertEqual(texts, ["t0", "t1", "t2", "t3", "t4"])
        self.assertEqual(stream_result, {"count": 5, "stream": True})

    def test_failing_event_callback_fails_only_its_call(self) -> None:
        def explode(event: RaifEvent) -> None:
            raise ValueError("callback bug")

        async def scenario():
            async with AsyncRaifClient(self.server.path) as client:
                with self.assertRaises(ValueError):
                    await client.call("stream", {"n": 2}, on_event=explode)
                return await client.call("echo", {"ok": True})

        self.assertEqual(self.run_async(scenario()), {"params": {"ok": True}})

    def test_cancelled_call_sends_cancel(self) -> None:
        async def scenario():
            async with AsyncRaifClient(self.server.path) as client:
                with self.assertRaises(asyncio.TimeoutError):
                    await client.call("sleep", {"ms": 400}, timeout=0.05)
                await asyncio.sleep(0.05)
                return await client.call("echo", {"still": "usable"})

        self.assertEqual(self.run_async(scenario()), {"params": {"still": "usable"}})
        cancels = [m for m in self.server.requests_seen if m.get("method") == "cancel"]
        self.assertEqual(len(cancels), 1)
        self.assertNotIn("id", cancels[0])
        self.assertEqual(cancels[0]["params"], {"target": 1})

    def test_connection_loss_fails_pending_calls(self) -> None:
        self.server.max_frame_bytes = 100

        async def scenario():
            async with AsyncRaifClient(self.server.path) as client:
                slow = asyncio.ensure_future(client.call("sleep", {"ms": 1000}))
                await asyncio.sleep(0.05)
                with self.assertRaises(RaifError) as caught:
                    await client.call("echo", {"pad": "x" * 500})
                self.assertEqual(caught.exception.code, ErrorCode.FRAME_TOO_LARGE)
                with self.assertRaises((RaifError, ConnectionError)):
                    await slow

        self.run_async(scenario())

    def test_batch(self) -> None:
        async def scenario():
            async with AsyncRaifClient(self.server.path) as client:
                return await client.batch([("echo", {"i": 1}), ("nope", {})], return_exceptions=True)

        results = self.run_async(scenario())
        self.assertEqual(results[0], {"params": {"i": 1}})
        self.assertEqual(results[1].code, ErrorCode.METHOD_NOT_FOUND)
        self.assertEqual(len([m for m in self.server.frames if isinstance(m, list)]), 1)

    def test_notify(self) -> None:
        async def scenario():
            async with AsyncRaifClient(self.server.path) as client:
                await client.notify("echo", {"n": 1})
                for _ in range(200):
                    if (await client.call("count"))["notifications"] == 1:
                        return True
                    await asyncio.sleep(0.01)
                return False

        self.assertTrue(self.run_async(scenario()))


class CommandLineTests(ServerTestCase):
    def run_main(self, *args: str):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = raif_client.main(list(args))
        return code, out.getvalue(), err.getvalue()

    def test_no_arguments_calls_health(self) -> None:
        old = os.environ.get("RAIF_SOCKET")
        os.environ["RAIF_SOCKET"] = self.server.path
        try:
            code, out, _ = self.run_main()
        finally:
            if old is None:
                os.environ.pop("RAIF_SOCKET")
            else:
                os.environ["RAIF_SOCKET"] = old
        self.assertEqual(code, 0)
        self.assertEqual(json.loads(out)["status"], "ok")

    def test_method_and_params(self) -> None:
        code, out, _ = self.run_main("--socket", self.server.path, "echo", '{"a": [1, "é"]}')
        self.assertEqual(code, 0)
        self.assertEqual(json.loads(out), {"params": {"a": [1, "é"]}})

    def test_error_goes_to_stderr_with_nonzero_exit(self) -> None:
        code, out, err = self.run_main("--socket", self.server.path, "nope")
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertEqual(json.loads(err)["error"]["code"], ErrorCode.METHOD_NOT_FOUND)

    def test_stream_prints_events_on_stderr(self) -> None:
        code, out, err = self.run_main("--socket", self.server.path, "--stream", "stream", '{"n": 2}')
        self.assertEqual(code, 0)
        self.assertEqual([json.loads(line)["data"]["text"] for line in err.splitlines()], ["t0", "t1"])
        self.assertEqual(json.loads(out)["count"], 2)

    def test_bad_params_and_missing_server(self) -> None:
        self.assertEqual(self.run_main("--socket", self.server.path, "echo", "[1]")[0], 2)
        self.assertEqual(self.run_main("--socket", self.server.path, "echo", "{bad")[0], 2)
        code, _, err = self.run_main("--socket", os.path.join(self.server.dir, "none.sock"))
        self.assertEqual(code, 2)
        self.assertIn("cannot connect", err)


if __name__ == "__main__":
    unittest.main()
