"""Live tests of `raif serve --http`: the real binary, called over HTTP as OpenRLHF calls a remote reward model.

Builds nothing. Finds the binary at ``$RAIF_BIN``, else ``.build/debug/raif``, else
``.build/release/raif``. Standard library only (urllib), like a trainer host without extras.

    python3 Examples/python/test_http.py
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from raif_client import RaifClient  # noqa: E402
from test_live_server import raif_binary  # noqa: E402

NO_COMMA = json.dumps({"instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]})
CHATML_PROMPT = "<|im_start|>user\nWrite a line without commas.<|im_end|>\n<|im_start|>assistant\n"


class HTTPServer:
    """`raif serve --http 127.0.0.1:0` in a child process; the bound port is read from its log."""

    def __init__(self, *extra: str):
        binary = raif_binary()
        self.dir = tempfile.mkdtemp(prefix="raif-http-")
        self.socket = os.path.join(self.dir, "raif.sock")
        self.log_path = os.path.join(self.dir, "serve.log")
        self._log = open(self.log_path, "wb")
        help_text = subprocess.run([str(binary), "serve", "--help"], capture_output=True, text=True).stdout
        no_model = ["--no-model"] if "--no-model" in help_text else []
        self.process = subprocess.Popen(
            [str(binary), "serve", "--socket", self.socket, "--http", "127.0.0.1:0", *no_model, *extra],
            stdout=self._log, stderr=subprocess.STDOUT)
        self.url = self._wait_for_address()

    def _wait_for_address(self, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"raif serve exited with {self.process.returncode}:\n{self.log()}")
            match = re.search(r"raif\.http\.address=(127\.0\.0\.1:\d+)", self.log())
            if match:
                return f"http://{match.group(1)}"
            time.sleep(0.05)
        raise RuntimeError(f"no raif.http.address in the log within {seconds} s:\n{self.log()}")

    def log(self) -> str:
        with open(self.log_path, "rb") as handle:
            return handle.read().decode(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)
        return self.process.returncode


def post(url: str, data: Any, raw: bytes | None = None, method: str = "POST") -> tuple[int, dict[str, Any]]:
    """POSTs JSON as OpenRLHF's ``request_api_wrapper`` does; returns (status, parsed body)."""
    body = raw if raw is not None else json.dumps(data).encode()
    request = urllib.request.Request(url, data=body if method == "POST" else None,
                                     headers={"Content-Type": "application/json"}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=180) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def remote_rm_fn(api_url: str, queries: list[str], prompts: list[str], labels: list[str]) -> list[float]:
    """OpenRLHF's remote reward call: POST {"query", "prompts", "labels"}, read "rewards"."""
    status, response = post(api_url, {"query": queries, "prompts": prompts, "labels": labels})
    assert status == 200, response
    assert "rewards" in response, f"rewards not in {response}"
    return response["rewards"]


class HTTPTests(unittest.TestCase):
    server: HTTPServer

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = HTTPServer("--max-frame-bytes", "65536")

    @classmethod
    def tearDownClass(cls) -> None:
        status = cls.server.stop()
        assert status == 0, f"raif serve exited with {status}"

    def test_openrlhf_remote_reward(self) -> None:
        queries = [
            CHATML_PROMPT + "a line without them<|im_end|>",
            CHATML_PROMPT + "a line, with one<|im_end|>\n<|endoftext|>",
            # No prompt prefix match: the response is found after the last assistant marker.
            "<|im_start|>system\nx<|im_end|>\n" + CHATML_PROMPT + "fine<|im_end|>",
        ]
        prompts = [CHATML_PROMPT, CHATML_PROMPT, "another prompt"]
        rewards = remote_rm_fn(self.server.url + "/get_reward", queries, prompts, [NO_COMMA] * 3)
        self.assertEqual(rewards, [1.0, 0.0, 1.0])

    def test_full_reply_and_options(self) -> None:
        label = {"instruction_id_list": ["punctuation:no_comma", "change_case:english_lowercase"],
                 "kwargs": [{}, {}]}
        data = {"query": [CHATML_PROMPT + "Mixed case no comma"], "prompts": [CHATML_PROMPT], "labels": [label]}
        status, reply = post(self.server.url + "/get_reward?policy=fraction", data)
        self.assertEqual(status, 200, reply)
        self.assertEqual(reply["rewards"], [0.5])
        self.assertEqual(reply["scores"], [0.0])
        self.assertEqual(reply["extra_logs"]["raif/pass_rate"], [0.0])
        status, reply = post(self.server.url + "/get_reward", {**data, "policy": "raif"})
        self.assertEqual(reply["rewards"], [-3.0])  # no <think>: format -1, answer -2
        self.assertEqual(reply["extra_logs"]["raif/format_fail_rate"], [1.0])

    def test_open_instruct_ground_truth(self) -> None:
        label = "[{'instruction_id': ['keywords:existence'], 'kwargs': [{'keywords': ['cat']}]}]"
        rewards = remote_rm_fn(self.server.url + "/get_reward",
                               [CHATML_PROMPT + "a cat", CHATML_PROMPT + "a dog"], [CHATML_PROMPT] * 2, [label] * 2)
        self.assertEqual(rewards, [1.0, 0.0])

    def test_score_matches_socket(self) -> None:
        params = {"items": [{"response": "hello, world", "constraints": {"verifier": "punctuation:no_comma"}},
                            {"response": "hello world", "constraints": json.loads(NO_COMMA)}],
                  "policy": "fraction"}
        status, reply = post(self.server.url + "/score", params)
        self.assertEqual(status, 200, reply)
        with RaifClient(self.server.socket) as client:
            socket_reply = client.call("score", params)
        self.assertEqual(reply, socket_reply)
        self.assertEqual([r["passed"] for r in reply["results"]], [False, True])

    def test_errors_are_never_rewards(self) -> None:
        url = self.server.url
        cases = [
            (url + "/get_reward", {"query": ["x"], "prompts": ["x"], "labels": ["{\"instruction_id_list\": "
                                                                             "[\"no:such\"], \"kwargs\": [{}]}"]}, 400),
            (url + "/get_reward", {"query": ["plain"], "prompts": ["other"], "labels": [NO_COMMA]}, 400),
            (url + "/get_reward", {"query": ["a", "b"], "labels": [NO_COMMA]}, 400),
            (url + "/get_reward?temperature=0", {"query": [], "labels": []}, 400),
            (url + "/nowhere", {}, 404),
        ]
        for target, data, expected in cases:
            with self.subTest(target=target, data=data):
                status, reply = post(target, data)
                self.assertEqual(status, expected, reply)
                self.assertNotIn("rewards", reply)
                self.assertIsInstance(reply["error"]["code"], int)
                self.assertTrue(reply["error"]["message"])
        status, reply = post(url + "/get_reward", None, raw=b"{not json")
        self.assertEqual((status, reply["error"]["code"]), (400, -32700))
        status, reply = post(url + "/score", None, method="GET")
        self.assertEqual((status, reply["error"]["code"]), (405, -32600))
        status, reply = post(url + "/score", None, raw=b" " * 70000)
        self.assertEqual((status, reply["error"]["code"]), (413, -32003))

    def test_non_loopback_refused(self) -> None:
        result = subprocess.run([str(raif_binary()), "serve", "--socket", "/tmp/raif-unused.sock",
                                 "--http", "0.0.0.0:0"], capture_output=True, text=True, timeout=60)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("not a loopback address", result.stderr)


if __name__ == "__main__":
    unittest.main()
