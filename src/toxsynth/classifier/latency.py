"""Latency of a shipped ONNX detector: one text per call (p50/p95/p99/max) and batched throughput."""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import cycle, islice

import numpy as np

from toxsynth.classifier.runtime import Detector
from toxsynth.config import in_range


@dataclass(frozen=True)
class BenchmarkParams:
    threads: int = 1  # onnxruntime intra-op threads
    warmup: int = 200  # untimed calls first
    calls: int = 2000  # timed single-text calls (cycling over the eval texts)
    batch_size: int = 256
    batch_rounds: int = 20  # timed batches for the throughput figure
    requirement_ms: float = 10.0  # the production budget per request (the paper's 0.01 s)
    report_only: bool = False  # true: report a p99 over the requirement instead of failing the stage

    def __post_init__(self):
        in_range(self, "[1, inf)", "threads", "calls", "batch_size", "batch_rounds")
        in_range(self, "[0, inf)", "warmup")
        in_range(self, "(0, inf)", "requirement_ms")


def interleaved_texts(splits: dict[str, tuple[list[str], object]]) -> list[str]:
    """Every category's texts taken in turn (the first of each, then the second of each, ...), as the bundle is timed:
    each batch mixes all categories. Stops at the shortest category."""
    return [t for group in zip(*(texts for texts, _ in splits.values())) for t in group]


def throughput_batches(texts: list[str], batch_size: int, rounds: int) -> list[np.ndarray]:
    """`rounds` batches of `batch_size` texts, cycling over `texts` in order."""
    return [Detector.batch(list(islice(cycle(texts), k * batch_size, (k + 1) * batch_size))) for k in range(rounds)]


def measure(detector: Detector, texts: list[str], params: BenchmarkParams) -> dict:
    """Single-text latency percentiles in ms, and texts per second at `batch_size`, timing session.run only."""
    singles = [Detector.batch([t]) for t in islice(cycle(texts), params.warmup + params.calls)]
    for batch in singles[: params.warmup]:
        detector.run(batch)
    times = np.empty(params.calls)
    for i, batch in enumerate(singles[params.warmup:]):
        start = time.perf_counter_ns()
        detector.run(batch)
        times[i] = (time.perf_counter_ns() - start) / 1e6
    batches = throughput_batches(texts, params.batch_size, params.batch_rounds)
    detector.run(batches[0])
    start = time.perf_counter()
    for batch in batches:
        detector.run(batch)
    throughput = params.batch_rounds * params.batch_size / (time.perf_counter() - start)
    p50, p95, p99 = np.percentile(times, [50, 95, 99])
    return {"p50_ms": round(float(p50), 4), "p95_ms": round(float(p95), 4), "p99_ms": round(float(p99), 4),
            "max_ms": round(float(times.max()), 4), "batch_texts_per_s": round(float(throughput), 1),
            "requirement_ms": params.requirement_ms, "meets_requirement": bool(p99 <= params.requirement_ms),
            "calls": params.calls, "threads": params.threads, "batch_size": params.batch_size}
