"""Live tests: the built `raif serve` on a temporary socket, driven by raif_client.py and raw frames.

Builds nothing. Finds the binary at ``$RAIF_BIN``, else ``.build/debug/raif``, else
``.build/release/raif`` (``make test`` builds it first), and fails clearly when there is none.

    python3 -m unittest Examples/python/test_live_server.py -v
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path
from typing import List, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from raif_client import AsyncRaifClient, RaifClient, RaifError  # noqa: E402


def raif_binary() -> Path:
    """The built raif binary, or a RuntimeError saying how to get one."""
    candidates: List[Path] = []
    if os.environ.get("RAIF_BIN"):
        candidates.append(Path(os.environ["RAIF_BIN"]))
    candidates += [REPO / ".build" / "debug" / "raif", REPO / ".build" / "release" / "raif"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError("no raif binary at " + ", ".join(map(str, candidates))
                       + "; build it (swift build --product raif) or set RAIF_BIN")


class RaifProcess:
    """`raif serve` in a child process on a socket in a fresh temporary directory."""

    def __init__(self, *extra: str):
        self.binary = raif_binary()
        self.dir = tempfile.mkdtemp(prefix="raif-live-")
        self.socket = os.path.join(self.dir, "raif.sock")
        self.log_path = os.path.join(self.dir, "serve.log")
        self._log = open(self.log_path, "wb")
        # Protocol and lifecycle tests need no model: without an explicit --model the server runs
        # verifiers only, so `health` is "ok" at once instead of "loading" the default model.
        model_args = [] if "--model" in extra else ["--no-model"]
        self.process = subprocess.Popen([str(self.binary), "serve", "--socket", self.socket, *model_args, *extra],
                                        stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_for_health()

    def _wait_for_health(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"raif serve exited with {self.process.returncode}:\n{self.log()}")
            if os.path.exists(self.socket):
                try:
                    with RaifClient(self.socket) as client:
                        client.health()
                    return
                except (OSError, RaifError):
                    pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"raif serve did not answer health within {seconds} s:\n{self.log()}")

    def log(self) -> str:
        with open(self.log_path, "rb") as handle:
            return handle.read().decode(errors="replace")[-4000:]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Sends `sig` and returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode

    def cleanup(self) -> None:
        self.stop()
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)


def frame(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + payload


def read_frame(sock: socket.socket) -> Optional[object]:
    """Reads one frame and parses it; None when the server closed the connection."""
    def exactly(count: int) -> Optional[bytes]:
        data = b""
        while len(data) < count:
            chunk = sock.recv(count - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    header = exactly(4)
    if header is None:
        return None
    body = exactly(struct.unpack(">I", header)[0])
    return None if body is None else json.loads(body)


class LiveServerTest(unittest.TestCase):
    server: RaifProcess

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = RaifProcess("--max-frame-bytes", "65536", "--log-level", "debug")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.cleanup()

    def raw_connection(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(30)
        sock.connect(self.server.socket)
        self.addCleanup(sock.close)
        return sock

    def test_health(self) -> None:
        with RaifClient(self.server.socket) as client:
            health = client.health()
        self.assertEqual(health["status"], "ok")
        self.assertIsInstance(health["version"], str)
        self.assertGreaterEqual(health["uptime_s"], 0)
        self.assertIn("model", health)

    def test_socket_mode_is_0600(self) -> None:
        mode = os.stat(self.server.socket).st_mode
        self.assertTrue(stat.S_ISSOCK(mode))
        self.assertEqual(stat.S_IMODE(mode), 0o600)

    def test_blocking_client_pipelines(self) -> None:
        with RaifClient(self.server.socket) as client:
            results = client.call_many([("health", None)] * 300 + [("stats", None)])
        self.assertEqual(len(results), 301)
        self.assertTrue(all(r["status"] == "ok" for r in results[:300]))
        self.assertIn("methods", results[300])

    def test_blocking_client_errors(self) -> None:
        with RaifClient(self.server.socket) as client:
            with self.assertRaises(RaifError) as unknown:
                client.call("no_such_method")
            self.assertEqual(unknown.exception.code, -32601)
            with self.assertRaises(RaifError) as bad_params:
                client.call("cancel", {})
            self.assertEqual(bad_params.exception.code, -32602)
            self.assertIn("target", bad_params.exception.message)
            # The connection is still in step after errors.
            self.assertEqual(client.health()["status"], "ok")

    def test_batch(self) -> None:
        with RaifClient(self.server.socket) as client:
            results = client.batch([("health", None), ("nope", None), ("stats", None)], return_exceptions=True)
        self.assertEqual(results[0]["status"], "ok")
        self.assertIsInstance(results[1], RaifError)
        self.assertEqual(results[1].code, -32601)
        self.assertIn("in_flight", results[2])

    def test_asyncio_client_concurrent(self) -> None:
        async def run() -> None:
            clients = [AsyncRaifClient(self.server.socket) for _ in range(4)]
            try:
                calls = [client.health() for client in clients for _ in range(50)]
                results = await asyncio.gather(*calls)
                self.assertEqual(len(results), 200)
                self.assertTrue(all(r["status"] == "ok" for r in results))
                with self.assertRaises(RaifError) as caught:
                    await clients[0].call("no_such_method")
                self.assertEqual(caught.exception.code, -32601)
                self.assertFalse(await clients[1].cancel(12345))
                stats = await clients[2].stats()
                self.assertGreaterEqual(stats["methods"]["health"]["served"], 200)
            finally:
                await asyncio.gather(*(client.close() for client in clients))

        asyncio.run(run())

    def test_malformed_json_keeps_connection(self) -> None:
        sock = self.raw_connection()
        sock.sendall(frame(b'{"id": 1, "method": '))
        reply = read_frame(sock)
        self.assertEqual(reply["error"]["code"], -32700)
        self.assertIsNone(reply["id"])
        sock.sendall(frame(b'{"id": 2, "method": "health"}'))
        self.assertEqual(read_frame(sock)["result"]["status"], "ok")

    def test_zero_length_and_non_object(self) -> None:
        sock = self.raw_connection()
        sock.sendall(struct.pack(">I", 0))
        self.assertEqual(read_frame(sock)["error"]["code"], -32600)
        sock.sendall(frame(b'"health"'))
        self.assertEqual(read_frame(sock)["error"]["code"], -32600)
        sock.sendall(frame(b'{"id": "x", "method": "health"}'))
        self.assertEqual(read_frame(sock)["id"], "x")

    def test_oversize_frame_closes_only_that_connection(self) -> None:
        bystander = RaifClient(self.server.socket)
        self.addCleanup(bystander.close)
        self.assertEqual(bystander.health()["status"], "ok")
        sock = self.raw_connection()
        sock.sendall(struct.pack(">I", 65537))
        reply = read_frame(sock)
        self.assertEqual(reply["error"]["code"], -32003)
        self.assertIsNone(read_frame(sock), "the server closes after -32003")
        self.assertEqual(bystander.health()["status"], "ok")

    def test_stats_count_errors(self) -> None:
        with RaifClient(self.server.socket) as client:
            with self.assertRaises(RaifError):
                client.call("missing_method_for_stats")
            stats = client.stats()
        self.assertGreaterEqual(stats["errors"]["-32601"], 1)
        self.assertIn("p50", stats["methods"]["health"]["latency_ms"])
        self.assertIn("p99", stats["methods"]["health"]["latency_ms"])

    def test_cli_call(self) -> None:
        ok = subprocess.run([str(self.server.binary), "call", "health", "--socket", self.server.socket],
                            capture_output=True, text=True, timeout=60)
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertEqual(json.loads(ok.stdout)["status"], "ok")
        bad = subprocess.run([str(self.server.binary), "call", "nope", "{}", "--socket", self.server.socket],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(bad.returncode, 1)
        self.assertEqual(json.loads(bad.stderr)["code"], -32601)


class LifecycleTest(unittest.TestCase):
    def test_sigterm_drains_and_removes_socket(self) -> None:
        server = RaifProcess()
        try:
            with RaifClient(server.socket) as client:
                self.assertEqual(client.health()["status"], "ok")
            self.assertEqual(server.stop(signal.SIGTERM), 0, server.log())
            self.assertFalse(os.path.exists(server.socket))
        finally:
            server.cleanup()

    def test_second_server_on_live_socket_is_refused(self) -> None:
        server = RaifProcess()
        try:
            second = subprocess.run([str(server.binary), "serve", "--socket", server.socket],
                                    capture_output=True, text=True, timeout=60)
            self.assertNotEqual(second.returncode, 0)
            self.assertIn("already listening", second.stderr)
            with RaifClient(server.socket) as client:
                self.assertEqual(client.health()["status"], "ok")
        finally:
            server.cleanup()

    def test_non_socket_path_is_left_alone(self) -> None:
        with tempfile.TemporaryDirectory(prefix="raif-live-") as directory:
            path = os.path.join(directory, "not-a-socket")
            with open(path, "w") as handle:
                handle.write("keep")
            result = subprocess.run([str(raif_binary()), "serve", "--socket", path],
                                    capture_output=True, text=True, timeout=60)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("not a socket", result.stderr)
            with open(path) as handle:
                self.assertEqual(handle.read(), "keep")


if __name__ == "__main__":
    unittest.main()
