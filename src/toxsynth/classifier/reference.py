"""The reference every evaluation shows: the TF-IDF + LogisticRegression a user would write instead of our MLP."""

from __future__ import annotations

import numpy as np
from sklearn.pipeline import Pipeline

from toxsynth.classifier.linear import fit_linear
from toxsynth.classifier.model import TrainParams
from toxsynth.classifier.rows import cap_real_rows, data_hash

THRESHOLD = 0.5  # with class_weight="balanced", 0.5 is the model's own decision rule (predict)


def train_reference(records: list[dict], category: str, params: TrainParams, seed: int) -> tuple[Pipeline, dict]:
    """scikit-learn defaults plus word 1-2-grams and balanced classes, on the same capped rows as the detectors."""
    rows = cap_real_rows([r for r in records if r["category"] == category], params.max_rows, seed)
    labels = np.array([r["label"] for r in rows])
    pipeline = fit_linear([r["text"] for r in rows], labels, seed)
    meta = {"category": category, "model": "reference", "threshold": THRESHOLD, "train_rows": len(rows),
            "train_positives": int(labels.sum()), "train_data_sha256": data_hash(rows),
            "features": len(pipeline.named_steps["tfidf"].vocabulary_), "seed": seed}
    return pipeline, meta
