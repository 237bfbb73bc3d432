"""Valid entries per minute: our batched backend vs a plain batch-1 `model.generate` loop, same prompts and seed.

Run after `dvc repro generate` (needs models/base, models/adapter, data/prepared/train.jsonl):

    python benchmarks/generation.py --requests 32 --batch-size 32
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from toxsynth.config import Params
from toxsynth.jsonl import read_jsonl
from toxsynth.llm import base
from toxsynth.llm.backend import TransformersBackend
from toxsynth.llm.generate import GenerateParams, few_shot_pools, make_request
from toxsynth.llm.parse import classify, parse_entries
from toxsynth.llm.resources import derived_seed


def valid_entries(requests, responses, params: GenerateParams) -> int:
    return sum(classify(e, [s["text"] for s in r.few_shot], r.prompt, params.min_words, params.max_words) is None
               for r, text in zip(requests, responses) for e in parse_entries(text))


def batch_one_loop(model, tokenizer, prompts: list[str], params: GenerateParams, seed: int) -> list[str]:
    """The naive way: one prompt at a time, no padding, same sampling settings."""
    out = []
    for i, prompt in enumerate(prompts):
        chat = tokenizer.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False,
                                             add_generation_prompt=True)
        ids = tokenizer(chat, return_tensors="pt", add_special_tokens=False).to(model.device)
        torch.manual_seed(derived_seed(seed, "single", i))
        with torch.inference_mode():
            gen = model.generate(**ids, do_sample=True, temperature=params.temperature, top_p=params.top_p,
                                 repetition_penalty=params.repetition_penalty, max_new_tokens=params.max_new_tokens,
                                 pad_token_id=tokenizer.pad_token_id)
        out.append(tokenizer.decode(gen[0, ids["input_ids"].shape[1]:], skip_special_tokens=True))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--requests", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=None, help="default: generate.batch_size")
    args = parser.parse_args()
    params = Params(args.params)
    gen, llm, seed = params.section(GenerateParams, "generate"), params.section(base.LLMParams, "llm"), params.get("seed")
    adapter = Path("models/adapter")
    enabled = json.loads((adapter / "adapter_info.json").read_text())["enabled"]
    model, tokenizer = base.load(Path("models/base"), llm, adapter if enabled else None)
    pools = few_shot_pools([r for r in read_jsonl("data/prepared/train.jsonl") if r["category"] in gen.categories],
                           gen.categories)
    combos = [(c, label, v) for c in gen.categories for label in (1, 0) for v in gen.versions]
    requests = [make_request(combos[i % len(combos)], i // len(combos), pools, gen, seed) for i in range(args.requests)]
    prompts = [r.prompt for r in requests]
    batch_size = args.batch_size or gen.batch_size
    backend = TransformersBackend(model, tokenizer, gen.sampling)
    start = time.time()
    ours = [text for i in range(0, len(prompts), batch_size)
            for text in backend.generate(prompts[i:i + batch_size], derived_seed(seed, "bench", i))]
    ours_s = time.time() - start
    start = time.time()
    naive = batch_one_loop(model, tokenizer, prompts, gen, seed)
    naive_s = time.time() - start
    ours_v, naive_v = valid_entries(requests, ours, gen), valid_entries(requests, naive, gen)
    print(f"{len(prompts)} requests, max_new_tokens={gen.max_new_tokens}, device={model.device}, dtype={model.dtype}")
    print(f"{'backend':32} {'seconds':>8} {'valid':>6} {'valid/min':>10}")
    print(f"{'toxsynth batched (batch ' + str(batch_size) + ')':32} {ours_s:8.1f} {ours_v:6d} {60 * ours_v / ours_s:10.1f}")
    print(f"{'plain model.generate, batch 1':32} {naive_s:8.1f} {naive_v:6d} {60 * naive_v / naive_s:10.1f}")
    ratio = (ours_v / ours_s) / max(naive_v / naive_s, 1e-9)
    print(f"speed-up in valid entries per minute: {ratio:.1f}x (wall time {naive_s / ours_s:.1f}x)")


if __name__ == "__main__":
    main()
