"""Dedup throughput: exact + MinHash near-duplicate removal of 10k and 100k texts, with peak memory.

The texts are real prepared train texts, and a third of them are copies of earlier ones with a word or two
dropped or swapped, so both the exact and the near-duplicate paths do real work. Each size runs in its own
process, so the peak RSS it reports is that size's alone. Run after `dvc repro prepare`:

    python benchmarks/dedup.py                       # 10k and 100k
    python benchmarks/dedup.py --sizes 1000 --train data/prepared/train.jsonl   # a quick run
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time

from toxsynth.data.normalize import dedup_key
from toxsynth.jsonl import read_records
from toxsynth.llm.resources import peak_rss_mb
from toxsynth.synthetic.dedup import Removals, within_synthetic
from toxsynth.synthetic.minhash import MinHashParams, Signer

EDITED_SHARE = 1 / 3


def corpus(train: str, size: int, seed: int) -> list[dict]:
    """`size` records: distinct real texts, a third of them edited copies (near duplicates) of earlier ones."""
    rng = random.Random(seed)
    texts = sorted({r["text"] for r in read_records(train, ("text",)) if len(r["text"].split()) >= 6})
    rng.shuffle(texts)
    out = []
    for i in range(size):
        if out and rng.random() < EDITED_SHARE:
            words = rng.choice(out).split()
            j = rng.randrange(len(words))
            words[j:j + 1] = [] if rng.random() < 0.5 and len(words) > 4 else ["indeed"]
            out.append(" ".join(words))
        else:
            out.append(texts[i % len(texts)])
    return [{"id": f"t{i:07d}", "text": t, "label": 1} for i, t in enumerate(out)]


def run_one(train: str, size: int, seed: int) -> dict:
    records = corpus(train, size, seed)
    start = time.perf_counter()
    removals, keys = Removals(), [dedup_key(r["text"]) for r in records]
    within_synthetic(records, keys, list(range(len(records))), removals, Signer(MinHashParams(), seed))
    seconds = time.perf_counter() - start
    reasons = [w["reason"] for w in removals.why.values()]
    return {"texts": size, "seconds": round(seconds, 2), "texts_per_s": round(size / seconds),
            "exact": reasons.count("exact_synthetic"), "near": reasons.count("near_synthetic"),
            "peak_rss_mb": round(peak_rss_mb())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child mode: one size, JSON out
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.train, args.sizes[0], args.seed)))
        return
    results = []
    for size in args.sizes:
        child = subprocess.run([sys.executable, __file__, "--one", "--train", args.train, "--sizes", str(size),
                                "--seed", str(args.seed)], capture_output=True, text=True, check=True)
        results.append(json.loads(child.stdout.splitlines()[-1]))
        r = results[-1]
        print(f"{r['texts']:>7} texts: {r['seconds']:6.1f} s, {r['texts_per_s']:>6} texts/s, "
              f"peak RSS {r['peak_rss_mb']} MB, removed {r['exact']} exact + {r['near']} near")
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(f"time ratio {large['texts']}/{small['texts']} texts: {large['seconds'] / small['seconds']:.1f}x "
              f"(linear would be {large['texts'] / small['texts']:.0f}x)")


if __name__ == "__main__":
    main()
