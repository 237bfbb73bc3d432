"""Bundle graphs side by side: texts per second at batch 256 on one thread, rounds alternating, and agreement.

Each file is timed over the same shuffled eval texts (all categories), once per round in turn, so a machine whose
speed drifts moves every graph alike; the median over rounds is printed. Run after `dvc repro export`, e.g. with a
bundle exported from an earlier commit:

    python benchmarks/compare_bundles.py /tmp/before.onnx models/onnx/toxsynth.onnx --rounds 6
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from toxsynth.classifier.runtime import Detector
from toxsynth.jsonl import read_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundles", nargs="+")
    parser.add_argument("--eval", default="data/prepared/eval.jsonl")
    parser.add_argument("--texts", type=int, default=5120)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    texts = [r["text"] for r in read_records(args.eval)]
    texts = [texts[i] for i in np.random.default_rng(args.seed).permutation(len(texts))[: args.texts]]
    batches = [Detector.batch(texts[i:i + args.batch_size]) for i in range(0, len(texts), args.batch_size)]
    detectors = {path: Detector(path, threads=1) for path in args.bundles}
    scores = {path: detector.scores(texts) for path, detector in detectors.items()}  # also the warm-up
    rates = {path: [] for path in detectors}
    for _ in range(args.rounds):
        for path, detector in detectors.items():
            start = time.perf_counter()
            for batch in batches:
                detector.run(batch)
            rates[path].append(len(texts) / (time.perf_counter() - start))
    first = args.bundles[0]
    for path, values in rates.items():
        gap = float(np.max(np.abs(scores[path] - scores[first])))
        print(f"{path}: median {np.median(values):,.0f} texts/s (range {min(values):,.0f}-{max(values):,.0f}), "
              f"max probability difference to the first {gap:.1e}", flush=True)


if __name__ == "__main__":
    main()
