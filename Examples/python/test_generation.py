"""Live tests of generate and generate_and_score: the built `raif serve` on the default model.

Starts the real server (as test_live_server.py does) with ``--model`` on the default model and
drives it through raif_client.py. Skipped when the model is not installed (set RAIF_MODEL or run
scripts/setup.sh). Generations are short (max_tokens <= 32): tests may run on a debug build.

    python3 -m unittest Examples/python/test_generation.py -v
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unittest
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from raif_client import RaifClient, RaifError  # noqa: E402
from test_live_server import RaifProcess  # noqa: E402


def model_path() -> Optional[Path]:
    path = Path(os.environ.get("RAIF_MODEL") or Path.home() / ".cache/raif/models/SmolLM2-135M-Instruct.Q4_1.gguf")
    return path if path.is_file() else None


FIXTURE = REPO / "Tests" / "EngineTests" / "Fixtures" / "model_greedy_smollm2.json"
NO_COMMA = {"instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
            "kwargs": [None, {"relation": "less than", "num_words": 1000}]}


@unittest.skipIf(model_path() is None, "the default model is not installed (set RAIF_MODEL or run scripts/setup.sh)")
class GenerationTests(unittest.TestCase):
    server: RaifProcess

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = RaifProcess("--model", str(model_path()))
        # health answers while the model loads; wait for "ok" with the model described.
        with RaifClient(cls.server.socket, timeout=60) as client:
            for _ in range(600):
                health = client.health()
                if health["status"] == "ok" and health["model"]:
                    break
                time.sleep(0.05)
        cls.health = health

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.cleanup()

    def client(self) -> RaifClient:
        return RaifClient(self.server.socket, timeout=300)

    def test_health_describes_the_model(self) -> None:
        model = self.health["model"]
        self.assertEqual(model["architecture"], "llama")
        self.assertEqual(model["quant_type"], "Q4_1")
        self.assertEqual(model["chat_template"], "chatml")
        self.assertEqual(model["context_length"], 8192)
        self.assertGreater(model["parameters"], 100_000_000)

    def test_greedy_generate_matches_llama_cpp(self) -> None:
        case = json.loads(FIXTURE.read_text())["cases"][0]
        with self.client() as client:
            result = client.generate(case["text"], temperature=0, max_tokens=24)
        choice = result["choices"][0]
        self.assertEqual(choice["token_ids"], case["greedy_ids"][:24])
        self.assertEqual(choice["finish_reason"], "length")
        self.assertEqual(result["usage"], {"prompt_tokens": len(case["prompt_ids"]), "completion_tokens": 24})
        self.assertGreater(result["timings"]["decode_tokens_per_s"], 0)

    def test_generate_cli_matches_socket(self) -> None:
        with self.client() as client:
            result = client.generate(messages=[{"role": "user", "content": "Name a fruit."}], temperature=0,
                                     max_tokens=12)
        cli = subprocess.run([str(self.server.binary), "generate", "--model", str(model_path()), "--temperature", "0",
                              "--max-tokens", "12", "Name a fruit."], capture_output=True, text=True, timeout=300)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        self.assertEqual(cli.stdout, result["choices"][0]["text"] + "\n")
        tokens = subprocess.run([str(self.server.binary), "tokenize", "--model", str(model_path()),
                                 "The capital of France is"], capture_output=True, text=True, timeout=300)
        self.assertEqual(json.loads(tokens.stdout), [504, 3575, 282, 4649, 314])

    def test_streaming_tokens_concatenate_to_the_texts(self) -> None:
        with self.client() as client:
            stream = client.generate_stream(messages=[{"role": "user", "content": "Say hi."}], n=2, seed=11,
                                            temperature=0.9, max_tokens=10)
            texts = ["", ""]
            for event in stream:
                self.assertEqual(event.event, "token")
                texts[event.data["index"]] += event.data["text"]
            result = stream.result
        self.assertEqual(texts, [c["text"] for c in result["choices"]])

    def test_seeded_samples_repeat(self) -> None:
        with self.client() as client:
            first = client.generate("Once upon a time", n=3, seed=5, temperature=1.0, max_tokens=8)
            second = client.generate("Once upon a time", n=3, seed=5, temperature=1.0, max_tokens=8)
        self.assertEqual(first["choices"], second["choices"])

    def test_bad_params_name_the_field(self) -> None:
        with self.client() as client:
            for params, field in [({"prompt": "x", "top_p": 0}, "params.top_p"),
                                  ({"prompt": "x", "n": 65}, "params.n"),
                                  ({"prompt": "x", "max_tokens": 100000}, "params.max_tokens")]:
                with self.assertRaises(RaifError) as caught:
                    client.call("generate", params)
                self.assertEqual(caught.exception.code, -32602)
                self.assertEqual(caught.exception.data["field"], field)
            with self.assertRaises(RaifError) as caught:
                client.generate_and_score("x", constraints={"instruction_id_list": ["nope"], "kwargs": [None]})
            self.assertEqual(caught.exception.code, -32602)

    def test_generate_and_score_group(self) -> None:
        with self.client() as client:
            result = client.generate_and_score(messages=[{"role": "user", "content": "Describe the sea."}],
                                               constraints=NO_COMMA, policy="fraction", n=2, temperature=0,
                                               max_tokens=16)
        for choice in result["choices"]:
            expected = 0.5 if "," in choice["text"] else 1.0
            self.assertEqual(choice["reward"], expected, choice["text"])
            self.assertEqual(choice["follow_instruction_list"], ["," not in choice["text"], True])
        self.assertEqual(result["group"]["std"], 0.0)
        self.assertEqual(result["group"]["advantages"], [0.0, 0.0])
        self.assertEqual(result["group"]["best_index"], 0)

    def test_generate_and_score_stream_and_contrast(self) -> None:
        with self.client() as client:
            stream = client.stream("generate_and_score", {
                "messages": [{"role": "user", "content": "Say hello."}], "constraints": NO_COMMA, "n": 3,
                "seed": 2, "temperature": 0.7, "max_tokens": 8, "stream": True, "contrast": {"direct": 1}})
            scored = {}
            for event in stream:
                if event.event == "scored":
                    scored[event.data["index"]] = event.data
            result = stream.result
        choices = result["choices"]
        self.assertEqual([c["kind"] for c in choices], ["reasoning", "reasoning", "direct"])
        rewards = [c["reward"] for c in choices]
        mask_all = max(rewards[:2]) < rewards[2]
        self.assertEqual([c["mask"] for c in choices], [mask_all, mask_all, True])
        self.assertEqual(sorted(scored), [0, 1, 2])
        for index, data in scored.items():
            self.assertEqual(data["reward"], rewards[index])


if __name__ == "__main__":
    unittest.main()
