"""The in-process backend: a left-padded batch with the static KV cache continues each prompt as it would alone."""

from __future__ import annotations

import torch

from toxsynth.llm import base
from toxsynth.llm.backend import SamplingParams, TransformersBackend, chat_prompt

PROMPTS = ["List three kinds of weather.", "Write one short sentence about a quiet morning in a small town by the sea."]


def test_padded_static_cache_batch_matches_each_prompt_decoded_alone(base_dir):
    model, tokenizer = base.load(base_dir, base.LLMParams(dtype="float32"))
    near_greedy = SamplingParams(temperature=1e-4, top_p=1.0, repetition_penalty=1.0, max_new_tokens=12,
                                 response_prefix="1.")
    backend = TransformersBackend(model, tokenizer, near_greedy)
    batched = backend.generate(PROMPTS, seed=0)
    for prompt, got in zip(PROMPTS, batched):
        ids = tokenizer(chat_prompt(tokenizer, prompt, "1."), return_tensors="pt", add_special_tokens=False)
        with torch.inference_mode():  # alone: no padding, the default dynamic cache, greedy
            out = model.generate(**ids, do_sample=False, max_new_tokens=12, pad_token_id=tokenizer.pad_token_id)
        alone = "1." + tokenizer.decode(out[0, ids["input_ids"].shape[1]:], skip_special_tokens=True)
        assert got == alone
    assert backend.new_tokens > 12  # both rows produced tokens, counted without the padding
