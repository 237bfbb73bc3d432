"""Valid entries per minute of generation settings side by side, on the same requests.

Each `--variant name:key=value,...` runs the same requests (same chat prompts, reply prefix and sampling settings)
with some settings changed: `batch_size`, `max_new_tokens`, `entries_per_request`, `dtype` (float32 | bfloat16),
`merge` (1: fold the LoRA adapter into the base weights first, 0: run it as a separate layer), `cache` (static, the
stage's | dynamic, transformers' default). The first variant is
the reference for the speed-up column. Without `--variant` it compares the stage's settings with the same backend
fed one prompt at a time.

Run after `dvc repro finetune` (needs models/base, models/adapter, data/prepared/train.jsonl):

    python benchmarks/generation.py --requests 64 --variant before:merge=0 --variant after:merge=1,dtype=bfloat16

With `--backend openai --base-url URL` it sends the same requests to an OpenAI-compatible server instead, at each
`--concurrency` (requests in flight), with generate.openai's other settings (`--model` overrides the served name):

    python benchmarks/generation.py --backend openai --base-url http://127.0.0.1:8000/v1 --concurrency 1,4,16,64
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

from toxsynth.config import Params
from toxsynth.jsonl import read_records
from toxsynth.llm import base
from toxsynth.llm.backend import TransformersBackend
from toxsynth.llm.generate import GenerateParams, few_shot_pools, make_request
from toxsynth.llm.openai_backend import OpenAIBackend
from toxsynth.llm.resources import derived_seed

KEYS = {"batch_size": int, "max_new_tokens": int, "entries_per_request": int, "dtype": str, "merge": int,
        "cache": str}


def variant(spec: str) -> tuple[str, dict]:
    name, _, rest = spec.partition(":")
    changes = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        if key not in KEYS:
            raise SystemExit(f"error: --variant {spec!r}: unknown key {key!r} (one of {', '.join(KEYS)})")
        changes[key] = KEYS[key](value)
    return name, changes


def requests_for(gen: GenerateParams, pools: dict, count: int, seed: int) -> list:
    combos = gen.combos
    return [make_request(combos[i % len(combos)], i // len(combos), pools, gen, seed) for i in range(count)]


def figures(requests: list, responses: list[str], gen: GenerateParams, seconds: float, new_tokens: int) -> dict:
    judged = [r.judge(text, gen) for r, text in zip(requests, responses)]
    valid, parsed = sum(reason is None for j in judged for _, reason in j), sum(len(j) for j in judged)
    return {"seconds": seconds, "valid": valid, "valid_per_min": 60 * valid / seconds,
            "tokens_per_s": new_tokens / seconds, "success_rate": valid / max(parsed, 1)}


def measure_server(gen: GenerateParams, concurrency: int, pools: dict, count: int, seed: int) -> dict:
    """All `count` requests at once to the server, at most `concurrency` in flight; the same seeds at every
    concurrency, so a deterministic server gives the same texts and only the time differs."""
    tokenizer = base.load_tokenizer(Path("models/base"))
    backend = OpenAIBackend(dataclasses.replace(gen.openai, max_concurrency=concurrency), gen.sampling, tokenizer)
    backend.check_model()
    requests = requests_for(gen, pools, count, seed)
    start = time.time()
    responses = backend.generate([r.prompt for r in requests], derived_seed(seed, "bench"))
    return figures(requests, responses, gen, time.time() - start, backend.new_tokens)


def measure(changes: dict, gen: GenerateParams, llm: base.LLMParams, pools: dict, count: int, seed: int) -> dict:
    gen = dataclasses.replace(gen, **{k: v for k, v in changes.items() if k in GenerateParams.__dataclass_fields__})
    llm = dataclasses.replace(llm, dtype=changes.get("dtype", llm.dtype))
    adapter = Path("models/adapter")
    enabled = json.loads((adapter / "adapter_info.json").read_text())["enabled"]
    model, tokenizer = base.load(Path("models/base"), llm, adapter if enabled else None,
                                 merge_adapter=bool(changes.get("merge", 1)))
    requests = requests_for(gen, pools, count, seed)
    backend = TransformersBackend(model, tokenizer, gen.sampling, changes.get("cache", "static"))
    start = time.time()
    responses = [text for i in range(0, count, gen.batch_size)
                 for text in backend.generate([r.prompt for r in requests[i:i + gen.batch_size]],
                                              derived_seed(seed, "bench", i))]
    return {**figures(requests, responses, gen, time.time() - start, backend.new_tokens),
            "dtype": str(model.dtype).replace("torch.", "")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--requests", type=int, default=32)
    parser.add_argument("--variant", action="append", default=[], help="name:key=value,... (see above)")
    parser.add_argument("--backend", choices=("transformers", "openai"), default="transformers")
    parser.add_argument("--base-url", help="with --backend openai (default: generate.openai.base_url)")
    parser.add_argument("--model", help="with --backend openai: the served name (default: generate.openai.model)")
    parser.add_argument("--concurrency", default="1,4,16,64", help="with --backend openai: requests in flight")
    args = parser.parse_args()
    params = Params(args.params)
    gen, llm, seed = params.section(GenerateParams, "generate"), params.section(base.LLMParams, "llm"), params.seed()
    pools = few_shot_pools([r for r in read_records("data/prepared/train.jsonl") if r["category"] in gen.categories],
                           gen.categories)
    if args.backend == "openai":
        server = dataclasses.replace(gen.openai, base_url=args.base_url or gen.openai.base_url,
                                     model=args.model or gen.openai.model)
        compare_concurrency(dataclasses.replace(gen, openai=server), args, pools, seed)
        return
    variants = [variant(s) for s in args.variant] or [("stage settings", {}), ("batch 1", {"batch_size": 1})]
    print(f"{args.requests} requests per variant; stage settings: batch {gen.batch_size}, max_new_tokens "
          f"{gen.max_new_tokens}, {gen.entries_per_request} entries per request")
    print(f"{'variant':24} {'dtype':>9} {'seconds':>8} {'valid':>6} {'valid/min':>10} {'tokens/s':>9} "
          f"{'success':>8} {'speed-up':>9}", flush=True)
    first = None
    for name, changes in variants:
        m = measure(changes, gen, llm, pools, args.requests, seed)
        first = first or m
        print(f"{name:24} {m['dtype']:>9} {m['seconds']:8.1f} {m['valid']:6d} {m['valid_per_min']:10.1f} "
              f"{m['tokens_per_s']:9.1f} {m['success_rate']:8.2f} {m['valid_per_min'] / first['valid_per_min']:8.2f}x",
              flush=True)


def compare_concurrency(gen: GenerateParams, args, pools: dict, seed: int) -> None:
    print(f"{args.requests} requests per concurrency to {gen.openai.base_url} (model {gen.openai.model!r}, "
          f"{gen.openai.endpoint}); max_new_tokens {gen.max_new_tokens}, {gen.entries_per_request} entries per request")
    print(f"{'concurrency':>11} {'seconds':>8} {'valid':>6} {'valid/min':>10} {'tokens/s':>9} {'success':>8}", flush=True)
    for concurrency in map(int, args.concurrency.split(",")):
        m = measure_server(gen, concurrency, pools, args.requests, seed)
        print(f"{concurrency:11d} {m['seconds']:8.1f} {m['valid']:6d} {m['valid_per_min']:10.1f} "
              f"{m['tokens_per_s']:9.1f} {m['success_rate']:8.2f}", flush=True)


if __name__ == "__main__":
    main()
