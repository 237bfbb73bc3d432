"""Valid entries per minute: the batched backend vs the same backend fed one prompt at a time.

Both sides build the same chat prompts (reply prefix included) and sample with the same settings; only the
batching differs (each batch, or each single prompt, gets its own derived seed).

Run after `dvc repro generate` (needs models/base, models/adapter, data/prepared/train.jsonl):

    python benchmarks/generation.py --requests 32 --batch-size 32
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from toxsynth.config import Params
from toxsynth.jsonl import read_records
from toxsynth.llm import base
from toxsynth.llm.backend import TransformersBackend
from toxsynth.llm.generate import GenerateParams, few_shot_pools, make_request
from toxsynth.llm.resources import derived_seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--requests", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=None, help="default: generate.batch_size")
    args = parser.parse_args()
    params = Params(args.params)
    gen, llm, seed = params.section(GenerateParams, "generate"), params.section(base.LLMParams, "llm"), params.seed()
    adapter = Path("models/adapter")
    enabled = json.loads((adapter / "adapter_info.json").read_text())["enabled"]
    model, tokenizer = base.load(Path("models/base"), llm, adapter if enabled else None)
    pools = few_shot_pools([r for r in read_records("data/prepared/train.jsonl") if r["category"] in gen.categories],
                           gen.categories)
    combos = gen.combos
    requests = [make_request(combos[i % len(combos)], i // len(combos), pools, gen, seed) for i in range(args.requests)]
    prompts = [r.prompt for r in requests]
    batch_size = args.batch_size or gen.batch_size
    backend = TransformersBackend(model, tokenizer, gen.sampling)
    start = time.time()
    ours = [text for i in range(0, len(prompts), batch_size)
            for text in backend.generate(prompts[i:i + batch_size], derived_seed(seed, "bench", i))]
    ours_s = time.time() - start
    start = time.time()
    naive = [text for i, prompt in enumerate(prompts) for text in backend.generate([prompt], derived_seed(seed, "single", i))]
    naive_s = time.time() - start
    ours_v = sum(r.valid_count(text, gen) for r, text in zip(requests, ours))
    naive_v = sum(r.valid_count(text, gen) for r, text in zip(requests, naive))
    print(f"{len(prompts)} requests, max_new_tokens={gen.max_new_tokens}, device={model.device}, dtype={model.dtype}")
    print(f"{'backend':32} {'seconds':>8} {'valid':>6} {'valid/min':>10}")
    print(f"{'toxsynth batched (batch ' + str(batch_size) + ')':32} {ours_s:8.1f} {ours_v:6d} {60 * ours_v / ours_s:10.1f}")
    print(f"{'same backend, batch 1':32} {naive_s:8.1f} {naive_v:6d} {60 * naive_v / naive_s:10.1f}")
    ratio = (ours_v / ours_s) / max(naive_v / naive_s, 1e-9)
    print(f"speed-up in valid entries per minute: {ratio:.1f}x (wall time {naive_s / ours_s:.1f}x)")


if __name__ == "__main__":
    main()
