"""The OpenAI-compatible backend against a loopback server backed by the real bundled model: concurrency, retries,
per-request journaling, resume after SIGKILL, served-name checks, and a real llama-server when one is installed."""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import write_params
from tests.llm.conftest import tame_train
from tests.llm.openai_server import LoopbackServer
from tests.llm.test_generate import digest, generation_workdir, sigkill_once
from toxsynth.llm.generate import GenerateParams, run, score
from toxsynth.llm.journal import Journal
from toxsynth.llm.openai_backend import OpenAIBackend, OpenAIParams, ServerError

SAMPLING = GenerateParams(max_new_tokens=12).sampling
PROMPTS = [f"Write a short note about item {i}." for i in range(6)]  # tame stand-ins


@pytest.fixture(scope="module")
def server(base_dir):
    with LoopbackServer(base_dir) as s:
        yield s


def backend(server, tokenizer=None, **overrides) -> OpenAIBackend:
    params = OpenAIParams(**{"base_url": server.base_url, "max_concurrency": 4, "timeout_s": 60, **overrides})
    return OpenAIBackend(params, SAMPLING, tokenizer or server.backend.tokenizer)


def test_concurrent_requests_give_the_responses_of_one_at_a_time(server):
    server.peak_in_flight = 0
    together = backend(server, max_concurrency=4).generate(PROMPTS, seed=7)
    assert server.peak_in_flight > 1, "requests should overlap"
    alone = backend(server, max_concurrency=1).generate(PROMPTS, seed=7)
    assert together == alone
    assert all(r.startswith("1.") for r in together)  # the completions endpoint continues our response prefix
    assert len(set(together)) > 1  # each request has its own seed
    assert backend(server, max_concurrency=2).generate(PROMPTS[:2], seed=8) != together[:2]


def test_chat_endpoint_uses_the_server_template_without_a_prefix(server):
    replies = backend(server, endpoint="chat").generate(PROMPTS[:2], seed=7)
    assert len(replies) == 2 and all(isinstance(r, str) for r in replies)
    assert replies != backend(server).generate(PROMPTS[:2], seed=7)


def tiny_params(base_url: str) -> GenerateParams:
    return GenerateParams(categories=("hate",), versions=("v1",), target_entries=6, max_requests=3,
                          entries_per_request=2, few_shot=2, batch_size=4, max_new_tokens=24, backend="openai",
                          openai=OpenAIParams(base_url=base_url, max_concurrency=4, timeout_s=60))


def records(server, journal_dir: Path, faults=()) -> tuple[list, list]:
    params = tiny_params(server.base_url)
    server.faults = list(faults)
    journal = Journal(journal_dir, "f")
    requests, _ = run(OpenAIBackend(params.openai, params.sampling, server.backend.tokenizer), journal, tame_train(),
                      params, seed=3)
    valid, rejected, _ = score(requests, journal, params, {"backend": "openai"}, seed=3)
    return valid + rejected, requests


def test_injected_429_and_500_lose_and_double_nothing(server, tmp_path):
    clean, requests = records(server, tmp_path / "clean")
    attempts_before, completed_before = server.attempts, sum(server.completed.values())
    faulty, _ = records(server, tmp_path / "faulty", faults=(429, 500, 429, 500, 503))
    assert [r["id"] for r in faulty] == [r["id"] for r in clean]
    assert faulty == clean
    assert server.attempts - attempts_before == len(requests) + 5  # each fault was retried once, nothing more
    assert sum(server.completed.values()) - completed_before == len(requests)
    lines = (tmp_path / "faulty" / "f.jsonl").read_text().splitlines()
    asked = [json.loads(line)["request"] for line in lines if "request" in json.loads(line)]
    assert sorted(asked) == sorted(r.id for r in requests)  # each request journaled exactly once


def test_a_failed_request_keeps_what_finished_and_the_rerun_asks_only_for_the_rest(server, tmp_path):
    items = list(enumerate(PROMPTS[:4]))
    server.faults = [0, 0, 500, 500, 500]  # the third request fails for good: first try and both retries
    failing = backend(server, max_concurrency=1, max_retries=2)  # one at a time, in order
    got = []
    with pytest.raises(ServerError, match="failed after 2 retries"):
        for item in failing.generate_each(items, seed=5):
            got.append(item)
    done = [i for i, _ in got]
    assert done[:2] == [0, 1] and 2 not in done  # all that finished was handed over (the fourth may have started)
    attempts = server.attempts
    rest = dict(backend(server).generate_each([i for i in items if i[0] not in dict(got)], seed=5))
    assert server.attempts - attempts == 4 - len(done)
    assert {**dict(got), **rest} == dict(enumerate(backend(server).generate(PROMPTS[:4], seed=5)))


def test_a_name_the_server_does_not_serve_fails_early_with_the_fix(server):
    with pytest.raises(ServerError, match="--lora-modules NAME=models/adapter"):
        backend(server, model="mistralai/Mistral-7B-Instruct-v0.2").check_model()
    backend(server).check_model()


def test_no_server_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    params = OpenAIParams(base_url=f"http://127.0.0.1:{port}/v1", max_retries=0, timeout_s=5)
    with pytest.raises(ServerError, match="no OpenAI-compatible server answers"):
        OpenAIBackend(params, SAMPLING, object()).check_model()


def test_the_api_key_is_read_from_the_named_variable(server, monkeypatch):
    monkeypatch.setenv("TOXSYNTH_TEST_KEY", "sk-loopback")
    server.auth_headers.clear()
    backend(server, api_key_env="TOXSYNTH_TEST_KEY").generate(PROMPTS[:1], seed=1)
    assert server.auth_headers == ["Bearer sk-loopback"]


def openai_workdir(folder: Path, base_dir: Path, base_url: str) -> list[str]:
    command = generation_workdir(folder, base_dir)
    write_params(folder / "params.yaml", {
        "seed": 3, "llm": {"base_model": "smollm2-135m"},
        "generate": {"categories": ["hate"], "versions": ["v1"], "target_entries": 6, "max_requests": 3,
                     "entries_per_request": 2, "few_shot": 2, "batch_size": 4, "max_new_tokens": 24,
                     "backend": "openai", "openai": {"base_url": base_url, "max_concurrency": 2}}})
    return command


def request_lines(folder: Path) -> int:
    files = list((folder / "journal").glob("*.jsonl"))
    return sum('"request"' in line for line in files[0].read_text().splitlines()) if files else 0


@pytest.mark.slow
def test_openai_stage_killed_with_sigkill_resumes_byte_identical(server, base_dir, tmp_path):
    straight = openai_workdir(tmp_path / "straight", base_dir, server.base_url)
    subprocess.run(straight, check=True, capture_output=True)
    total = request_lines(tmp_path / "straight")
    killed = openai_workdir(tmp_path / "killed", base_dir, server.base_url)
    sigkill_once(killed, lambda: request_lines(tmp_path / "killed") >= 2, poll_s=0.05)
    before = request_lines(tmp_path / "killed")
    assert 2 <= before < total, "the kill should land mid-run"
    answered = sum(server.completed.values())
    subprocess.run(killed, check=True, capture_output=True)
    assert sum(server.completed.values()) - answered <= total - before + 2  # finished ones are not asked again
    assert request_lines(tmp_path / "killed") == total  # ... nor journaled twice
    for name in ("generated.jsonl", "rejected.jsonl"):
        assert digest(tmp_path / "killed" / name) == digest(tmp_path / "straight" / name), name
    rows = [json.loads(x) for x in (tmp_path / "killed" / "generated.jsonl").read_text().splitlines()]
    assert rows and all(r["backend"] == "openai" for r in rows)
    report = json.loads((tmp_path / "killed" / "generate.json").read_text())
    assert report["run"]["device"] == "server" and report["run"]["new_tokens"] > 0
    assert "base_url" not in json.dumps(rows)


def llama_server_command(gguf: Path, port: int) -> list[str] | None:
    """llama.cpp's own `llama-server` binary when on PATH, else llama-cpp-python's server in this interpreter."""
    if shutil.which("llama-server"):
        return ["llama-server", "-m", str(gguf), "--host", "127.0.0.1", "--port", str(port), "--alias", "toxsynth",
                "-c", "2048", "--parallel", "2"]
    if importlib.util.find_spec("llama_cpp") and importlib.util.find_spec("uvicorn"):
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
                "--port", str(port), "--model_alias", "toxsynth", "--n_ctx", "2048"]
    return None


@pytest.mark.slow
@pytest.mark.skipif(llama_server_command(Path("m.gguf"), 0) is None,
                    reason="no llama.cpp server: neither llama-server on PATH nor llama-cpp-python[server] installed "
                           "(pip install 'llama-cpp-python[server]' compiles llama.cpp, about 13 min on 2 cores)")
def test_a_real_llama_server_answers_through_the_backend(tmp_path):
    from toxsynth.llm.base import bundled_gguf

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = llama_server_command(bundled_gguf("smollm2-135m"), port)
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        params = OpenAIParams(base_url=f"http://127.0.0.1:{port}/v1", endpoint="chat", max_concurrency=2,
                              timeout_s=60, extra_body={"repeat_penalty": 1.1})
        deadline, backend_ = time.time() + 120, OpenAIBackend(params, SAMPLING)
        while True:
            try:
                backend_.check_model()
                break
            except ServerError:
                if time.time() > deadline or server.poll() is not None:
                    raise
                time.sleep(1)
        replies = backend_.generate(PROMPTS[:4], seed=3)
        assert len(replies) == 4 and all(replies) and backend_.new_tokens > 0
        if "llama_cpp.server" in command:  # one request at a time: each request's seed fixes its answer
            assert backend_.generate(PROMPTS[:4], seed=3) == replies
            assert backend_.generate(PROMPTS[:4], seed=4) != replies
    finally:
        server.kill()
        server.wait()
