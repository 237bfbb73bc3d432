"""Where the detector's artifacts live, and the eval split per category."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from toxsynth.errors import InputError
from toxsynth.jsonl import read_records

DETECTORS = ("baseline", "augmented")  # baseline: real train only; augmented: real + synthetic (what ships)
MODELS = DETECTORS + ("reference",)  # reference: TF-IDF + LogisticRegression, the bar the MLP must clear
BUNDLE = "toxsynth.onnx"  # every category's shipped detector in one file


def classifier_path(classifier_dir: Path, category: str, model: str) -> Path:
    return Path(classifier_dir) / model / f"{category}.skops"


def onnx_path(onnx_dir: Path, category: str, model: str) -> Path:
    """models/onnx/<category>.onnx is the shipped (augmented) model; the baseline sits beside it."""
    return Path(onnx_dir) / (f"{category}.onnx" if model == "augmented" else f"{category}.baseline.onnx")


def eval_records(path: Path, categories: tuple[str, ...]) -> dict[str, list[dict]]:
    """category -> its eval records, read once and checked (file:line on a bad record)."""
    records = read_records(path, ("id", "text", "label", "category", "source"))
    by_category = {}
    for category in categories:
        by_category[category] = [r for r in records if r["category"] == category]
        if not by_category[category]:
            raise InputError(path, None, f"no eval rows for category {category!r}")
    return by_category


def eval_splits(path: Path, categories: tuple[str, ...]) -> dict[str, tuple[list[str], np.ndarray]]:
    """category -> (texts, labels) of the eval file."""
    return {c: ([r["text"] for r in rows], np.array([r["label"] for r in rows]))
            for c, rows in eval_records(path, categories).items()}
