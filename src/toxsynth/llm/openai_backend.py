"""The OpenAI-compatible backend: concurrent requests to a served model (vLLM, llama.cpp's llama-server, TGI)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from toxsynth.config import in_range, one_of
from toxsynth.llm.backend import SamplingParams, chat_prompt
from toxsynth.llm.resources import derived_seed

ENDPOINTS = ("completions", "chat")


@dataclass(frozen=True)
class OpenAIParams:
    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = "toxsynth"  # the served name; vLLM: the adapter's NAME in --lora-modules NAME=models/adapter
    api_key_env: str = "TOXSYNTH_OPENAI_API_KEY"  # the variable that holds the key (unset: none is sent)
    endpoint: str = "completions"  # completions: our chat template and response_prefix; chat: the server's template
    max_concurrency: int = 8  # requests in flight at once
    timeout_s: float = 300.0  # per request
    max_retries: int = 6  # on 429, 5xx, timeouts and lost connections, with exponential backoff (and Retry-After)
    send_seed: bool = True  # one seed per request, derived from the batch seed (vLLM, llama.cpp and TGI honour it)
    extra_body: dict = field(default_factory=dict)  # merged into each request, e.g. {repeat_penalty: 1.1} (llama.cpp)

    def __post_init__(self):
        one_of(self, "endpoint", ENDPOINTS)
        in_range(self, "[1, inf)", "max_concurrency")
        in_range(self, "[0, inf)", "max_retries")
        in_range(self, "(0, inf)", "timeout_s")

    def shaping(self) -> dict:
        """The fields that shape responses (the journal's fingerprint): not the address, key, timeouts or retries."""
        return {"model": self.model, "endpoint": self.endpoint, "send_seed": self.send_seed,
                "extra_body": self.extra_body}


class ServerError(RuntimeError):
    """The server refused or failed a request after all retries."""


class OpenAIBackend:
    """One HTTP request per prompt, up to `max_concurrency` at once; each request's seed derives from the batch seed
    and its position, so a response does not depend on which other requests ran beside it."""

    name = "openai"
    per_request = True  # the generate loop journals each response as it arrives

    def __init__(self, params: OpenAIParams, sampling: SamplingParams, tokenizer=None):
        from openai import OpenAI

        if params.endpoint == "completions" and tokenizer is None:
            raise ValueError("the completions endpoint renders the chat template here: pass the base model's tokenizer")
        self.params, self.sampling, self.tokenizer = params, sampling, tokenizer
        self.client = OpenAI(base_url=params.base_url, api_key=os.environ.get(params.api_key_env) or "none",
                             timeout=params.timeout_s, max_retries=params.max_retries)
        self.new_tokens = 0
        self._lock = threading.Lock()

    def check_model(self) -> None:
        """Fail early, with the fix, when the server does not serve `model` (e.g. a LoRA not passed to vLLM)."""
        import openai

        try:
            served = [m.id for m in self.client.models.list()]
        except openai.APIConnectionError as e:
            raise ServerError(f"no OpenAI-compatible server answers at {self.params.base_url}: {e}") from None
        if self.params.model not in served:
            raise ServerError(f"{self.params.base_url} serves {served}, not generate.openai.model "
                              f"{self.params.model!r}; vLLM serves the adapter as NAME with --enable-lora "
                              f"--lora-modules NAME=models/adapter, llama-server names its model with --alias")

    def generate(self, prompts: list[str], seed: int) -> list[str]:
        responses = dict(self.generate_each(list(enumerate(prompts)), seed))
        return [responses[i] for i in range(len(prompts))]

    def generate_each(self, items: list[tuple[int, str]], seed: int) -> Iterator[tuple[int, str]]:
        """(position, response) for each (position, prompt), in the order they finish.

        Raises ServerError after yielding every response that finished, when any request failed for good."""
        error = None
        with ThreadPoolExecutor(self.params.max_concurrency) as pool:
            futures = {pool.submit(self._one, prompt, derived_seed(seed, "request", i)): i for i, prompt in items}
            for future in as_completed(futures):
                if future.cancelled():
                    continue
                if future.exception() is None:
                    yield futures[future], future.result()
                elif error is None:
                    error = future.exception()
                    for other in futures:
                        other.cancel()
        if error is not None:
            raise ServerError(f"{self.params.base_url}: a request failed after {self.params.max_retries} retries: "
                              f"{type(error).__name__}: {error}") from error

    def _one(self, prompt: str, seed: int) -> str:
        s, p = self.sampling, self.params
        common = {"model": p.model, "temperature": s.temperature, "top_p": s.top_p, "max_tokens": s.max_new_tokens,
                  "extra_body": {"repetition_penalty": s.repetition_penalty, **p.extra_body}}
        if p.send_seed:
            common["seed"] = seed
        if p.endpoint == "completions":
            reply = self.client.completions.create(prompt=chat_prompt(self.tokenizer, prompt, s.response_prefix),
                                                   **common)
            text = s.response_prefix + reply.choices[0].text
        else:
            reply = self.client.chat.completions.create(messages=[{"role": "user", "content": prompt}], **common)
            text = reply.choices[0].message.content or ""
        with self._lock:
            self.new_tokens += reply.usage.completion_tokens if reply.usage else 0
        return text
