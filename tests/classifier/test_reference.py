"""The reference model: plain TF-IDF + balanced LogisticRegression on the detectors' rows, at its 0.5 rule."""

from __future__ import annotations

import dataclasses

from tests.classifier.conftest import SMALL, tame_records
from toxsynth.classifier.reference import THRESHOLD, train_reference
from toxsynth.classifier.rows import cap_real_rows, data_hash


def test_reference_trains_on_the_same_capped_rows_and_learns_the_task():
    records = tame_records(1000) + tame_records(30, source="synthetic", seed=3) + tame_records(50, category="sexual")
    params = dataclasses.replace(SMALL, max_rows=200)
    pipeline, meta = train_reference(records, "hate", params, seed=1)
    rows = cap_real_rows([r for r in records if r["category"] == "hate"], 200, seed=1)
    assert meta["train_data_sha256"] == data_hash(rows) and meta["train_rows"] == 230
    assert meta["threshold"] == THRESHOLD == 0.5
    lr = pipeline.named_steps["lr"]
    assert lr.class_weight == "balanced" and pipeline.named_steps["tfidf"].ngram_range == (1, 2)
    prob = pipeline.predict_proba(["the rain is awful today again", "the ferry crossing was smooth"])[:, 1]
    assert prob[0] > THRESHOLD > prob[1]
