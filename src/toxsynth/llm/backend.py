"""Generation backends behind one small interface; this module implements the in-process transformers backend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SamplingParams:
    """What a backend needs to sample; built from the generate params (GenerateParams.sampling), no defaults here."""

    temperature: float
    top_p: float
    repetition_penalty: float
    max_new_tokens: int
    response_prefix: str  # written for the model as the start of its reply: it then continues a numbered list


class Backend(Protocol):
    """Turns a batch of user prompts into one response each; the same seed and batch give the same responses.

    A backend that answers prompts one request at a time (a server) also sets `per_request = True` and offers
    `generate_each(prompts, seed)`, which yields (position, response) as each finishes, so that every answer is
    journaled the moment it arrives.
    """

    name: str

    def generate(self, prompts: list[str], seed: int) -> list[str]: ...


def chat_prompt(tokenizer, prompt: str, prefix: str) -> str:
    """The model's own chat template around one user prompt, with the reply started by `prefix`."""
    return tokenizer.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False,
                                         add_generation_prompt=True) + prefix


class TransformersBackend:
    """Batched sampling with transformers: chat template, left padding, KV cache, one seed per batch.

    The KV cache is static: allocated once per batch at prompt + max_new_tokens and written in place. The default
    dynamic cache concatenates every layer's keys and values at every step, which on a CPU in float32 took half of
    each decoding step (README generate: `benchmarks/generation.py` with `cache=dynamic`).
    """

    name = "transformers"

    def __init__(self, model, tokenizer, sampling: SamplingParams, cache: str = "static"):
        self.model, self.tokenizer, self.sampling, self.cache = model, tokenizer, sampling, cache
        self.tokenizer.padding_side = "left"  # decoder-only models continue from the right edge
        self.new_tokens = 0  # counted over all calls (tokens before each response's end-of-sequence)

    def generate(self, prompts: list[str], seed: int) -> list[str]:
        prefix = self.sampling.response_prefix
        return [prefix + text for text in self.complete([chat_prompt(self.tokenizer, p, prefix) for p in prompts],
                                                        seed)]

    def complete(self, texts: list[str], seed: int) -> list[str]:
        """The sampled continuation of each raw text (chat template already applied), as one batch."""
        import torch

        batch = self.tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        batch = batch.to(self.model.device)
        torch.manual_seed(seed)
        with torch.inference_mode():
            output = self.model.generate(
                **batch, do_sample=True, temperature=self.sampling.temperature, top_p=self.sampling.top_p,
                repetition_penalty=self.sampling.repetition_penalty, max_new_tokens=self.sampling.max_new_tokens,
                pad_token_id=self.tokenizer.pad_token_id, eos_token_id=self.tokenizer.eos_token_id, use_cache=True,
                cache_implementation=self.cache)
        new = output[:, batch["input_ids"].shape[1]:]
        self.new_tokens += int((new != self.tokenizer.pad_token_id).sum())
        return self.tokenizer.batch_decode(new, skip_special_tokens=True)
