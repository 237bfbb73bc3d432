"""Where the detector's artifacts live, and the eval split per category."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from toxsynth.jsonl import read_records

MODELS = ("baseline", "augmented")  # baseline: real train only; augmented: real + synthetic (what ships)


def classifier_path(classifier_dir: Path, category: str, model: str) -> Path:
    return Path(classifier_dir) / model / f"{category}.skops"


def onnx_path(onnx_dir: Path, category: str, model: str) -> Path:
    """models/onnx/<category>.onnx is the shipped (augmented) model; the baseline sits beside it."""
    return Path(onnx_dir) / (f"{category}.onnx" if model == "augmented" else f"{category}.baseline.onnx")


def eval_splits(path: Path, categories: tuple[str, ...]) -> dict[str, tuple[list[str], np.ndarray]]:
    """category -> (texts, labels) of the eval file, read once and checked (file:line on a bad record)."""
    records = read_records(path)
    splits = {}
    for category in categories:
        rows = [r for r in records if r["category"] == category]
        if not rows:
            raise ValueError(f"{path}: no eval rows for category {category!r}")
        splits[category] = ([r["text"] for r in rows], np.array([r["label"] for r in rows]))
    return splits
