"""Where the detector's artifacts live, and the eval split of one category."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from toxsynth.jsonl import read_jsonl

MODELS = ("baseline", "augmented")  # baseline: real train only; augmented: real + synthetic (what ships)


def classifier_path(classifier_dir: Path, category: str, model: str) -> Path:
    return Path(classifier_dir) / model / f"{category}.skops"


def onnx_path(onnx_dir: Path, category: str, model: str) -> Path:
    """models/onnx/<category>.onnx is the shipped (augmented) model; the baseline sits beside it."""
    return Path(onnx_dir) / (f"{category}.onnx" if model == "augmented" else f"{category}.baseline.onnx")


def eval_split(path: Path, category: str) -> tuple[list[str], np.ndarray]:
    rows = [r for r in read_jsonl(path) if r["category"] == category]
    if not rows:
        raise ValueError(f"{path}: no eval rows for category {category!r}")
    return [r["text"] for r in rows], np.array([r["label"] for r in rows])
