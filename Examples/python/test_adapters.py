"""Trainer adapters against a real raif server: each adapter called exactly as its trainer calls it.

    python3 -m unittest Examples/python/test_adapters.py      # from the repository root

Starts the built server (``$RAIF_BIN``, else ``.build/debug/raif``, else ``.build/release/raif``)
with ``serve --socket <temporary path> --no-model`` and waits for ``health``; the examples' tests
start a second server with ``--model`` (the default model; skipped when it is not installed). Without a binary every test
fails with a message saying so: build first (``swift build --product raif``).

Standard library only. The expected rewards are worked out by hand from IFEval's rules:
``punctuation:no_comma`` fails on any ``,``; ``keywords:existence`` needs every keyword (case
blind); ``length_constraints:number_words`` counts ``\\w+`` runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import raif_client  # noqa: E402
from raif_adapters import core  # noqa: E402
from raif_adapters.core import RaifError, ResponseExtractionError  # noqa: E402
from raif_adapters import openrlhf, open_instruct, trl, verl  # noqa: E402

# ----------------------------------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------------------------------

_server: subprocess.Popen | None = None
_workdir: str | None = None
_socket: str | None = None
_log = None
_saved_env: dict[str, str | None] = {}


def _binary() -> Path:
    if os.environ.get("RAIF_BIN"):  # an explicit binary must exist: no silent fallback to another build
        explicit = Path(os.environ["RAIF_BIN"])
        if explicit.is_file() and os.access(explicit, os.X_OK):
            return explicit
        raise RuntimeError(f"RAIF_BIN={explicit} is not an executable file; build raif or fix RAIF_BIN")
    candidates = [REPO / ".build" / "debug" / "raif", REPO / ".build" / "release" / "raif"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError(
        "test_adapters needs the raif binary and found none at "
        + ", ".join(str(c) for c in candidates)
        + ". Build it first (swift build --product raif) or point RAIF_BIN at it."
    )


def setUpModule() -> None:  # noqa: N802 - unittest's name
    global _server, _workdir, _socket, _log
    binary = _binary()
    _workdir = tempfile.mkdtemp(prefix="raif-adapters-")
    _socket = os.path.join(_workdir, "raif.sock")
    _log = open(os.path.join(_workdir, "server.log"), "w+b")
    # Verifiers only: the adapters need no model (the examples' tests start one that has it).
    _server = subprocess.Popen(
        [str(binary), "serve", "--socket", _socket, "--no-model"], stdout=_log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if _server.poll() is not None:
            break
        if os.path.exists(_socket):
            try:
                client = raif_client.RaifClient(_socket)
                try:
                    client.call("health", {})
                finally:
                    client.close()
                break
            except (OSError, EOFError, RaifError) as error:
                last_error = error
        time.sleep(0.1)
    else:
        tearDownModule()
        raise RuntimeError(f"raif server did not answer health within 60 s (last error: {last_error})")
    if _server.poll() is not None:
        _log.seek(0)
        output = _log.read().decode(errors="replace")[-2000:]
        code = _server.returncode
        tearDownModule()
        raise RuntimeError(f"raif server exited with {code} before answering health:\n{output}")
    for key in ("RAIF_SOCKET", "RAIF_MODE", "RAIF_REASONING", "RAIF_POLICY"):
        _saved_env[key] = os.environ.pop(key, None)
    os.environ["RAIF_SOCKET"] = _socket  # how file-loaded adapters (OpenRLHF) find the server


def tearDownModule() -> None:  # noqa: N802
    global _server
    core.close_clients()
    for key, value in _saved_env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    if _server is not None and _server.poll() is None:
        _server.terminate()
        try:
            _server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _server.kill()
            _server.wait()
    _server = None
    if _log is not None:
        _log.close()
    if _workdir is not None:
        shutil.rmtree(_workdir, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# Shared cases
# ----------------------------------------------------------------------------------------------

NO_COMMA = {"instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}
FRUIT = {"instruction_id_list": ["keywords:existence"], "kwargs": [{"keywords": ["banana", "apple"]}]}
SHORT = {"instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"num_words": 5, "relation": "less than"}]}
THREE = {
    "instruction_id_list": ["punctuation:no_comma", "keywords:existence", "length_constraints:number_words"],
    "kwargs": [None, {"keywords": ["banana", "apple"]}, {"num_words": 5, "relation": "less than"}],
}
BAD_ID = {"instruction_id_list": ["keywords:no_such_check"], "kwargs": [{}]}

CHATML_PROMPT = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nSay hello.<|im_end|>\n<|im_start|>assistant\n"
LLAMA3_PROMPT = (
    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nName two fruits.<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\n"
)
R1_PROMPT = "<\uff5cbegin\u2581of\u2581sentence\uff5c><\uff5cUser\uff5c>Count to three.<\uff5cAssistant\uff5c><think>\n"
R1_EOS = "<\uff5cend\u2581of\u2581sentence\uff5c>"


def _values(vector) -> list[float]:
    return [float(x) for x in (vector.tolist() if hasattr(vector, "tolist") else vector)]


# ----------------------------------------------------------------------------------------------
# Chat templates and label parsing (no server involved)
# ----------------------------------------------------------------------------------------------


class ResponseExtractionTests(unittest.TestCase):
    CASES = [
        # (name, query, prompt, response)
        ("chatml prefix", CHATML_PROMPT + "Hello world.<|im_end|>", CHATML_PROMPT, "Hello world."),
        ("chatml eos+pad", CHATML_PROMPT + "Hi.<|im_end|>\n<|endoftext|><|endoftext|>", CHATML_PROMPT, "Hi."),
        ("llama3 prefix", LLAMA3_PROMPT + "Apple and banana.<|eot_id|>", LLAMA3_PROMPT, "Apple and banana."),
        ("r1 prefix", R1_PROMPT + "ok\n</think>\n\nOne two three." + R1_EOS, R1_PROMPT, "ok\n</think>\n\nOne two three."),
        ("left padding", "<|endoftext|><|endoftext|>" + CHATML_PROMPT + "Yo.<|im_end|>", CHATML_PROMPT, "Yo."),
        ("chatml marker", CHATML_PROMPT + "Marker.<|im_end|>", "Say hello.", "Marker."),
        ("llama3 marker", LLAMA3_PROMPT + "Marker.<|eot_id|>", "something else", "Marker."),
        ("r1 marker", R1_PROMPT + "x</think>Marker." + R1_EOS, "other", "<think>\nx</think>Marker."),
        ("last turn wins", CHATML_PROMPT + "first<|im_end|>\n<|im_start|>assistant\nsecond<|im_end|>", "nope", "second"),
        ("keeps own trailing space", CHATML_PROMPT + "Ends with space ", CHATML_PROMPT, "Ends with space "),
    ]

    def test_cases(self) -> None:
        for name, query, prompt, expected in self.CASES:
            with self.subTest(name):
                self.assertEqual(core.response_from_query(query, prompt), expected)

    def test_unknown_format_raises(self) -> None:
        with self.assertRaises(ResponseExtractionError):
            core.response_from_query("User: hi\nBot: hello", "Prompt not in the query")

    def test_openrlhf_extract_responses_checks_lengths(self) -> None:
        with self.assertRaises(ValueError):
            openrlhf.extract_responses(["a", "b"], ["a"])


class ConstraintParsingTests(unittest.TestCase):
    def test_accepted_forms(self) -> None:
        ifeval = {"instruction_id_list": ["punctuation:no_comma"], "kwargs": [None]}
        ground_truth = {"instruction_id": ["punctuation:no_comma"], "kwargs": [None]}
        cases = [
            ("ifeval object", ifeval, ifeval),
            ("ifeval json string", json.dumps(ifeval), ifeval),
            ("ifeval record with extra keys", {**ifeval, "key": 7, "prompt": "p"}, ifeval),
            ("double-encoded", json.dumps(json.dumps(ifeval)), ifeval),
            ("open-instruct python literal", "[{'instruction_id': ['punctuation:no_comma'], 'kwargs': [None]}]",
             [ground_truth]),
            ("open-instruct json list", json.dumps([ground_truth]), [ground_truth]),
            ("list of json strings", [json.dumps(ground_truth)], [ground_truth]),
            ("native tree", {"all": [{"verifier": "punctuation:no_comma"}]}, {"all": [{"verifier": "punctuation:no_comma"}]}),
        ]
        for name, label, expected in cases:
            with self.subTest(name):
                self.assertEqual(core.normalize_constraints(label), expected)

    def test_array_like_values_become_lists(self) -> None:
        class FakeArray:  # what parquet-backed datasets hand over (numpy arrays)
            def __init__(self, items):
                self.items = items

            def tolist(self):
                return list(self.items)

        label = {"instruction_id": FakeArray(["punctuation:no_comma"]), "kwargs": FakeArray([None])}
        self.assertEqual(
            core.normalize_constraints(label), {"instruction_id": ["punctuation:no_comma"], "kwargs": [None]}
        )

    def test_rejected_forms(self) -> None:
        for name, label in [("empty", ""), ("not json", "{oops"), ("number", 3), ("empty list", [])]:
            with self.subTest(name), self.assertRaises(ValueError):
                core.normalize_constraints(label)

    def test_trl_columns(self) -> None:
        columns = {"instruction_id_list": [["punctuation:no_comma"]], "kwargs": [[{}]]}
        self.assertEqual(
            core.constraints_from_columns(columns, 0, ("constraints", "ground_truth")),
            {"instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]},
        )
        with self.assertRaises(KeyError):
            core.constraints_from_columns({"answer": ["x"]}, 0, ("constraints",))

    def test_options_are_checked(self) -> None:
        with self.assertRaises(ValueError):
            core.ScoreOptions(policy="most")
        with self.assertRaises(ValueError):
            trl.RaifReward(on_error="zero")


# ----------------------------------------------------------------------------------------------
# OpenRLHF: reward_func(queries, prompts, labels, **kwargs)
# ----------------------------------------------------------------------------------------------


class OpenRLHFTests(unittest.TestCase):
    def test_batch_rewards_across_chat_formats(self) -> None:
        queries = [
            CHATML_PROMPT + "Hello world.<|im_end|>",
            CHATML_PROMPT + "Hello, world.<|im_end|>",
            LLAMA3_PROMPT + "An apple and a banana.<|eot_id|>",
            LLAMA3_PROMPT + "Just a banana.<|eot_id|>",
            # The reasoning has a comma, the answer does not: passes with reasoning stripped.
            R1_PROMPT + "Hmm, easy.\n</think>\n\nOne two three." + R1_EOS,
            R1_PROMPT + "Easy.\n</think>\n\nOne two three four five six." + R1_EOS,
        ]
        prompts = [CHATML_PROMPT, CHATML_PROMPT, LLAMA3_PROMPT, LLAMA3_PROMPT, R1_PROMPT, R1_PROMPT]
        labels = [json.dumps(x) for x in (NO_COMMA, NO_COMMA, FRUIT, FRUIT)] + [
            json.dumps({"instruction_id_list": SHORT["instruction_id_list"] + ["punctuation:no_comma"],
                        "kwargs": SHORT["kwargs"] + [None]}),
            json.dumps(SHORT),
        ]
        out = openrlhf.reward_func(queries, prompts, labels)
        self.assertEqual(set(out), {"rewards", "scores", "extra_logs"})
        self.assertEqual(_values(out["rewards"]), [1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
        self.assertEqual(_values(out["scores"]), [1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
        logs = out["extra_logs"]
        self.assertEqual(set(logs), {"raif/pass_rate", "raif/mean_reward", "raif/format_fail_rate"})
        for name, values in logs.items():
            self.assertEqual(len(_values(values)), len(queries), name)  # OpenRLHF splits them per sample
        self.assertAlmostEqual(sum(_values(logs["raif/pass_rate"])) / len(queries), 0.5)
        self.assertEqual(_values(logs["raif/format_fail_rate"]), [0.0] * len(queries))

    def test_tensors_when_torch_is_importable(self) -> None:
        out = openrlhf.reward_func([CHATML_PROMPT + "Hello world."], [CHATML_PROMPT], [json.dumps(NO_COMMA)])
        try:
            import torch
        except ImportError:
            self.assertIsInstance(out["rewards"], list)
        else:
            self.assertIsInstance(out["rewards"], torch.Tensor)
            self.assertEqual(tuple(out["rewards"].shape), (1,))

    def test_loaded_by_path_like_openrlhf(self) -> None:
        import importlib.util

        spec = importlib.util.spec_from_file_location("reward_func", HERE / "raif_adapters" / "openrlhf.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out = module.reward_func([CHATML_PROMPT + "No commas here."], [CHATML_PROMPT], [json.dumps(NO_COMMA)])
        self.assertEqual(_values(out["rewards"]), [1.0])

    def test_open_instruct_labels_and_fraction_policy(self) -> None:
        label = "[{'instruction_id': ['punctuation:no_comma', 'keywords:existence', " \
                "'length_constraints:number_words'], 'kwargs': [None, {'keywords': ['banana', 'apple']}, " \
                "{'num_words': 5, 'relation': 'less than'}]}]"
        query = CHATML_PROMPT + "Apple, banana.<|im_end|>"  # a comma: 2 of 3 followed
        out = openrlhf.reward_func([query], [CHATML_PROMPT], [label], policy="fraction")
        self.assertAlmostEqual(_values(out["rewards"])[0], 2 / 3, places=6)
        self.assertEqual(_values(out["scores"]), [0.0])
        out = openrlhf.reward_func([query], [CHATML_PROMPT], [label])  # default policy: all
        self.assertEqual(_values(out["rewards"]), [0.0])

    def test_loose_mode(self) -> None:
        # Loose mode also tries the response without its first line, which holds the only comma.
        query = CHATML_PROMPT + "Sure, here it is:\nHello world.<|im_end|>"
        strict = openrlhf.reward_func([query], [CHATML_PROMPT], [json.dumps(NO_COMMA)])
        loose = openrlhf.reward_func([query], [CHATML_PROMPT], [json.dumps(NO_COMMA)], mode="loose")
        self.assertEqual((_values(strict["rewards"]), _values(loose["rewards"])), ([0.0], [1.0]))

    def test_raif_recipe_format_rewards(self) -> None:
        # RAIF's policy: format +1/-1 plus answer +2 (all pass) / -2 (none, or bad format).
        queries = [
            R1_PROMPT + "Let me think.\n</think>\n\nHello world." + R1_EOS,  # <think> opened by the prompt
            CHATML_PROMPT + "Hello world.<|im_end|>",  # no reasoning block at all
            R1_PROMPT + "Hmm.\n</think>\n\nHello, world." + R1_EOS,  # good format, constraint fails
        ]
        prompts = [R1_PROMPT, CHATML_PROMPT, R1_PROMPT]
        out = openrlhf.reward_func(queries, prompts, [json.dumps(NO_COMMA)] * 3, policy="raif", reasoning="require")
        self.assertEqual(_values(out["rewards"]), [3.0, -3.0, -1.0])
        self.assertEqual(_values(out["scores"]), [1.0, 0.0, 0.0])
        self.assertEqual(_values(out["extra_logs"]["raif/format_fail_rate"]), [0.0, 1.0, 0.0])

    def test_bad_constraint_raises_not_zero(self) -> None:
        with self.assertRaises(RaifError) as caught:
            openrlhf.reward_func(
                [CHATML_PROMPT + "Hello.", CHATML_PROMPT + "Hi."], [CHATML_PROMPT] * 2,
                [json.dumps(NO_COMMA), json.dumps(BAD_ID)],
            )
        self.assertIn("keywords:no_such_check", caught.exception.message)
        self.assertEqual(caught.exception.code, -32602)

    def test_unreadable_label_raises(self) -> None:
        with self.assertRaises(ValueError):
            openrlhf.reward_func([CHATML_PROMPT + "Hello."], [CHATML_PROMPT], ["not a constraint"])


# ----------------------------------------------------------------------------------------------
# TRL: reward_func(prompts=, completions=, completion_ids=, **columns)
# ----------------------------------------------------------------------------------------------


def _trl_kwargs(**columns):
    logged: list[tuple[str, float]] = []
    kwargs = {
        "completion_ids": [[1, 2, 3]] * len(next(iter(columns.values()))),
        "trainer_state": object(),
        "log_extra": lambda name, values: None,
        "log_metric": lambda name, value: logged.append((name, value)),
        **columns,
    }
    return kwargs, logged


class TRLTests(unittest.TestCase):
    PROMPTS = ["Say hello without commas.", "Name two fruits.", "Count to three."]
    COMPLETIONS = ["Hello world.", "Just a banana.", "One two three."]
    CONSTRAINTS = [json.dumps(NO_COMMA), json.dumps(FRUIT), json.dumps(SHORT)]

    def test_standard_format(self) -> None:
        reward = trl.RaifReward()
        self.assertEqual(reward.__name__, "raif_reward")
        kwargs, logged = _trl_kwargs(constraints=self.CONSTRAINTS)
        rewards = reward(prompts=self.PROMPTS, completions=self.COMPLETIONS, **kwargs)
        self.assertEqual(rewards, [1.0, 0.0, 1.0])
        self.assertEqual(dict(logged)["raif_reward/pass_rate"], 2 / 3)

    def test_conversational_format(self) -> None:
        prompts = [[{"role": "system", "content": "Be brief."}, {"role": "user", "content": p}] for p in self.PROMPTS]
        completions = [[{"role": "assistant", "content": c}] for c in self.COMPLETIONS]
        kwargs, _ = _trl_kwargs(constraints=self.CONSTRAINTS)
        self.assertEqual(trl.RaifReward()(prompts=prompts, completions=completions, **kwargs), [1.0, 0.0, 1.0])

    def test_other_columns(self) -> None:
        ground_truth = ["[{'instruction_id': ['punctuation:no_comma'], 'kwargs': [None]}]"] * 2
        kwargs, _ = _trl_kwargs(ground_truth=ground_truth)
        self.assertEqual(trl.RaifReward()(prompts=["p", "p"], completions=["a b", "a, b"], **kwargs), [1.0, 0.0])
        kwargs, _ = _trl_kwargs(instruction_id_list=[["keywords:existence"]] * 2, kwargs=[[{"keywords": ["apple"]}]] * 2)
        self.assertEqual(trl.RaifReward()(prompts=["p", "p"], completions=["An apple.", "A pear."], **kwargs), [1.0, 0.0])
        kwargs, _ = _trl_kwargs(spec=[NO_COMMA, NO_COMMA])
        reward = trl.RaifReward("spec", name="ifeval_strict")
        self.assertEqual(reward.__name__, "ifeval_strict")
        self.assertEqual(reward(prompts=["p", "p"], completions=["a b", "a, b"], **kwargs), [1.0, 0.0])

    def test_reasoning_required(self) -> None:
        # RAIF's recipe through TRL: a reasoning block (opened by the prompt or not) then the answer.
        kwargs, _ = _trl_kwargs(constraints=[json.dumps(NO_COMMA)] * 3)
        reward = trl.RaifReward(policy="raif", reasoning="require")
        completions = ["Hmm.\n</think>\nHello world.", "<think>Hmm.</think>Hello world.", "Hello world."]
        self.assertEqual(reward(prompts=["p"] * 3, completions=completions, **kwargs), [3.0, 3.0, -3.0])

    def test_errors_raise_or_skip(self) -> None:
        kwargs, _ = _trl_kwargs(constraints=[json.dumps(NO_COMMA), json.dumps(BAD_ID), json.dumps(FRUIT)])
        completions = ["Hello world.", "Hello.", "Apple and banana."]
        with self.assertRaises(RaifError) as caught:
            trl.RaifReward()(prompts=self.PROMPTS, completions=completions, **kwargs)
        self.assertIn("keywords:no_such_check", caught.exception.message)
        skipped = trl.RaifReward(on_error="none")(prompts=self.PROMPTS, completions=completions, **kwargs)
        self.assertEqual(skipped, [1.0, None, 1.0])  # TRL turns None into NaN: only that sample is skipped

    def test_async_variant_on_trl_style_loop(self) -> None:
        reward = trl.async_raif_reward(name="raif_async")
        self.assertTrue(asyncio.iscoroutinefunction(reward))  # TRL's test for its async path
        self.assertEqual(reward.__name__, "raif_async")
        # TRL runs async reward functions on a daemon event loop in another thread.
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        try:
            kwargs, _ = _trl_kwargs(constraints=self.CONSTRAINTS)

            async def gather():
                return await asyncio.gather(
                    reward(prompts=self.PROMPTS, completions=self.COMPLETIONS, **kwargs),
                    reward(prompts=self.PROMPTS, completions=list(reversed(self.COMPLETIONS)), **kwargs),
                )

            first, second = asyncio.run_coroutine_threadsafe(gather(), loop).result(timeout=30)
            self.assertEqual(first, [1.0, 0.0, 1.0])
            # Reversed: "One two three." has no comma, "Just a banana." lacks apple, "Hello world." < 5 words.
            self.assertEqual(second, [1.0, 0.0, 1.0])
            mixed, _ = _trl_kwargs(constraints=[json.dumps(NO_COMMA), json.dumps(BAD_ID)])
            skipping = trl.async_raif_reward(on_error="none")
            self.assertEqual(
                asyncio.run_coroutine_threadsafe(skipping(prompts=["p", "p"], completions=["a b", "a b"], **mixed), loop)
                .result(30),
                [1.0, None],
            )
            bad, _ = _trl_kwargs(constraints=[json.dumps(BAD_ID)])
            with self.assertRaises(RaifError):
                asyncio.run_coroutine_threadsafe(reward(prompts=["p"], completions=["x"], **bad), loop).result(30)
        finally:
            asyncio.run_coroutine_threadsafe(core.close_async_clients(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            loop.close()


# ----------------------------------------------------------------------------------------------
# veRL: compute_score(data_source, solution_str, ground_truth, extra_info) and the batch form
# ----------------------------------------------------------------------------------------------


class VeRLTests(unittest.TestCase):
    def test_single_like_naive_reward_manager(self) -> None:
        result = verl.compute_score("ifeval", "Apple, banana.", json.dumps(THREE), {"index": 0})
        self.assertEqual(result["score"], 0.0)
        self.assertFalse(result["passed"])
        self.assertEqual(json.loads(result["follow_instruction_list"]), [False, True, True])
        self.assertAlmostEqual(result["instruction_accuracy"], 2 / 3)
        result = verl.compute_score(
            data_source="ifeval", solution_str="Apple, banana.", ground_truth=THREE, extra_info=None, policy="fraction"
        )
        self.assertAlmostEqual(result["score"], 2 / 3, places=6)

    def test_batch_like_batch_reward_manager(self) -> None:
        solutions = ["Apple and banana.", "Apple, banana.", "Hello world."]
        truths = [THREE, json.dumps(THREE), NO_COMMA]
        for function in (verl.compute_score, verl.compute_score_batch):
            with self.subTest(function.__name__):
                results = function(
                    data_sources=["ifeval"] * 3, solution_strs=solutions, ground_truths=truths,
                    extra_infos=[{"prompt": "p"}, None, {}],
                )
                self.assertEqual([r["score"] for r in results], [1.0, 0.0, 1.0])
                self.assertEqual({frozenset(r) for r in results}, {frozenset(results[0])})  # same keys for veRL

    def test_numpy_style_object_arrays(self) -> None:
        class ObjectArray:  # veRL's non_tensor_batch columns are numpy object arrays
            def __init__(self, items):
                self.items = list(items)

            def __len__(self):
                return len(self.items)

            def __iter__(self):
                return iter(self.items)

            def tolist(self):
                return list(self.items)

        results = verl.compute_score(
            data_sources=ObjectArray(["ifeval", "ifeval"]), solution_strs=["Hello world.", "Hello, world."],
            ground_truths=[{"instruction_id": ObjectArray(["punctuation:no_comma"]), "kwargs": ObjectArray([None])}] * 2,
            extra_infos=ObjectArray([{"index": 0}, {"index": 1}]),
        )
        self.assertEqual([r["score"] for r in results], [1.0, 0.0])

    def test_errors_raise(self) -> None:
        with self.assertRaises(RaifError):
            verl.compute_score("ifeval", "Hello.", BAD_ID)
        with self.assertRaises(ValueError):
            verl.compute_score(data_sources=["a"], solution_strs=["x", "y"], ground_truths=[NO_COMMA] * 2,
                               extra_infos=[None])


# ----------------------------------------------------------------------------------------------
# open-instruct: verifier(tokenized_prediction, prediction, label, query=None) with verbatim labels
# ----------------------------------------------------------------------------------------------


class OpenInstructTests(unittest.TestCase):
    LABEL = ("[{'instruction_id': ['punctuation:no_comma', 'keywords:existence'], "
             "'kwargs': [None, {'keywords': ['moon']}]}]")

    def test_verbatim_ground_truth(self) -> None:
        verifier = open_instruct.RaifIFEvalVerifier()
        self.assertEqual(verifier.name, "raif_ifeval")
        self.assertEqual(verifier([1, 2], "The moon is bright.", self.LABEL).score, 1.0)
        self.assertEqual(verifier([1, 2], "The sun, not the moon.", self.LABEL).score, 0.5)
        self.assertEqual(verifier([1, 2], "The sun, not the stars.", self.LABEL, query="q").score, 0.0)
        self.assertEqual(verifier([], "   ", self.LABEL).score, 0.0)  # open-instruct scores empty as 0

    def test_async_call_gathered(self) -> None:
        verifier = open_instruct.RaifIFEvalVerifier()

        async def run():
            try:
                return await asyncio.gather(
                    verifier.async_call([], "The moon is bright.", self.LABEL),
                    verifier.async_call([], "The sun, not the moon.", json.dumps(core.normalize_constraints(self.LABEL))),
                )
            finally:
                await core.close_async_clients()

        self.assertEqual([r.score for r in asyncio.run(run())], [1.0, 0.5])

    def test_policy_and_errors(self) -> None:
        verifier = open_instruct.RaifIFEvalVerifier(policy="all")
        self.assertEqual(verifier([], "The sun, not the moon.", self.LABEL).score, 0.0)
        with self.assertRaises(RaifError):
            open_instruct.RaifIFEvalVerifier()([], "x", "[{'instruction_id': ['nope:nope'], 'kwargs': [None]}]")
        results = open_instruct.score_ground_truths(["The moon.", "Moon, sun."], [self.LABEL, self.LABEL])
        self.assertEqual([r.score for r in results], [1.0, 0.5])


# ----------------------------------------------------------------------------------------------
# Examples: best_of_n.py and grpo_group.py on the default model (generate_and_score)
# ----------------------------------------------------------------------------------------------


def _model_path() -> Path | None:
    path = Path(os.environ.get("RAIF_MODEL") or Path.home() / ".cache/raif/models/SmolLM2-135M-Instruct.Q4_1.gguf")
    return path if path.is_file() else None


@unittest.skipIf(_model_path() is None, "the default model is not installed (set RAIF_MODEL or run scripts/setup.sh)")
class ExamplesTests(unittest.TestCase):
    """Runs both examples as a user would, against a server that holds the default model."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.workdir = tempfile.mkdtemp(prefix="raif-examples-")
        cls.socket = os.path.join(cls.workdir, "raif.sock")
        cls.log = open(os.path.join(cls.workdir, "server.log"), "w+b")
        cls.server = subprocess.Popen(
            [str(_binary()), "serve", "--socket", cls.socket, "--model", str(_model_path())],
            stdout=cls.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and cls.server.poll() is None:
            try:
                with raif_client.RaifClient(cls.socket) as client:
                    if client.call("health", {}).get("status") == "ok":
                        return
            except (OSError, EOFError, RaifError):
                pass
            time.sleep(0.2)
        cls.log.seek(0)
        output = cls.log.read().decode(errors="replace")[-2000:]
        cls.tearDownClass()
        raise RuntimeError(f"raif serve --model did not become healthy within 120 s:\n{output}")

    @classmethod
    def tearDownClass(cls) -> None:
        if cls.server.poll() is None:
            cls.server.terminate()
            try:
                cls.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                cls.server.kill()
                cls.server.wait()
        cls.log.close()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def run_example(self, name: str, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(HERE.parent / name), "--socket", self.socket, *args],
            capture_output=True, text=True, timeout=300,
        )
        self.assertEqual(done.returncode, 0, f"{name} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def test_best_of_n(self) -> None:
        out = self.run_example("best_of_n.py")
        self.assertIn("best of 4: #", out)
        self.assertIn("verdicts:", out)
        raw = json.loads(self.run_example("best_of_n.py", "--json", "-n", "2", "--max-tokens", "16"))
        self.assertEqual(len(raw["choices"]), 2)
        best = raw["group"]["best_index"]
        self.assertEqual(raw["choices"][best]["reward"], max(c["reward"] for c in raw["choices"]))

    def test_grpo_group(self) -> None:
        out = self.run_example("grpo_group.py")
        self.assertIn("advantages match", out)
        self.assertIn("masks match RAIF's rule", out)
        kinds = [line.split()[1] for line in out.splitlines() if re.match(r"\s*\d+\s+(direct|reasoning)\s", line)]
        self.assertEqual((kinds.count("direct"), kinds.count("reasoning")), (4, 4))


if __name__ == "__main__":
    unittest.main()
