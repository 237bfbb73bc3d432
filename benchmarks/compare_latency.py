"""Side-by-side single-text latency: our ONNX detector vs the same scikit-learn pipeline vs alt-profanity-check.

Same texts (real eval texts of one category), same thread setting, one text per call, after a warm-up.
Run after `dvc repro` (needs models/ and data/prepared/):

    python benchmarks/compare_latency.py --category hate --threads 1

alt-profanity-check (a linear-SVM profanity detector on PyPI) is optional: `pip install alt-profanity-check`.
It loads its bundled joblib files, i.e. unpickles them; run it only on a machine where that is acceptable.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from toxsynth.classifier.artifacts import classifier_path, eval_splits, onnx_path
from toxsynth.classifier.persist import load
from toxsynth.classifier.runtime import Detector


def timed(fn, texts: list[str], warmup: int) -> np.ndarray:
    for text in texts[:warmup]:
        fn(text)
    times = np.empty(len(texts))
    for i, text in enumerate(texts):
        start = time.perf_counter_ns()
        fn(text)
        times[i] = (time.perf_counter_ns() - start) / 1e6
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--category", default="hate")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--models", type=Path, default=Path("models"))
    parser.add_argument("--eval", type=Path, default=Path("data/prepared/eval.jsonl"))
    args = parser.parse_args()

    texts, _ = eval_splits(args.eval, (args.category,))[args.category]
    texts = (texts * (args.calls // len(texts) + 1))[: args.calls]
    detector = Detector(onnx_path(args.models / "onnx", args.category, "augmented"), threads=args.threads)
    pipeline, _ = load(classifier_path(args.models / "classifier", args.category, "augmented"))
    contenders = {
        "toxsynth ONNX (onnxruntime)": lambda t: detector.run(Detector.batch([t])),
        "same pipeline, scikit-learn predict_proba": lambda t: pipeline.predict_proba([t]),
    }
    try:
        from profanity_check import predict_prob

        contenders["alt-profanity-check predict_prob"] = lambda t: predict_prob([t])
    except ImportError:
        print("alt-profanity-check is not installed: `pip install alt-profanity-check` to include it")

    print(f"category={args.category} threads={args.threads} calls={len(texts)} (one text per call, real eval texts)")
    rows = []
    with threadpool_limits(limits=args.threads):
        for name, fn in contenders.items():
            times = timed(fn, texts, args.warmup)
            rows.append((name, np.percentile(times, 50), np.percentile(times, 99)))
    base50, base99 = rows[0][1], rows[0][2]
    print(f"{'detector':45} {'p50 ms':>9} {'p99 ms':>9} {'p50 / ours':>11} {'p99 / ours':>11}")
    for name, p50, p99 in rows:
        print(f"{name:45} {p50:9.3f} {p99:9.3f} {p50 / base50:10.1f}x {p99 / base99:10.1f}x")


if __name__ == "__main__":
    main()
