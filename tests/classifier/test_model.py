"""Training: stock pipeline, the paper's MLP shape by default, determinism, sampling, skops round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.classifier.conftest import SMALL, tame_records
from toxsynth.classifier.model import (TOKEN_PATTERN, TrainParams, build_pipeline, cap_real_rows, closed_vocabulary,
                                      data_hash, load, save, train)


def test_default_pipeline_is_tfidf_and_a_600x600_mlp():
    pipeline = build_pipeline(TrainParams(), seed=3)
    assert [name for name, _ in pipeline.steps] == ["tfidf", "mlp"]
    assert pipeline.named_steps["mlp"].hidden_layer_sizes == (600, 600)
    assert pipeline.named_steps["mlp"].random_state == 3
    assert pipeline.named_steps["tfidf"].token_pattern == TOKEN_PATTERN
    assert not pipeline.named_steps["tfidf"].sublinear_tf


def test_learns_the_tame_task(tame_model):
    pipeline, meta = tame_model
    texts = ["the rain is awful today honestly", "the train left on time as usual"]
    assert list(pipeline.predict(texts)) == [1, 0]
    assert meta["category"] == "hate" and meta["train_rows"] == 240 and meta["train_positives"] == 120


def test_training_is_deterministic():
    a, meta_a = train(tame_records(), "hate", SMALL, seed=7)
    b, meta_b = train(tame_records(), "hate", SMALL, seed=7)
    for wa, wb in zip(a.named_steps["mlp"].coefs_, b.named_steps["mlp"].coefs_):
        np.testing.assert_array_equal(wa, wb)
    assert meta_a["train_data_sha256"] == meta_b["train_data_sha256"]


def test_only_the_category_is_used_and_one_label_is_an_error():
    records = tame_records() + tame_records(40, category="violence")
    _, meta = train(records, "hate", SMALL, seed=0)
    assert meta["train_rows"] == 240
    with pytest.raises(ValueError, match="both labels"):
        train([r for r in records if r["label"] == 1], "hate", SMALL, seed=0)


def test_cap_samples_real_rows_stratified_and_keeps_synthetic():
    real = tame_records(1000)
    synthetic = tame_records(30, source="synthetic:model", seed=1)
    capped = cap_real_rows(real + synthetic, 100, seed=0)
    assert len(capped) == 130 and sum(r["label"] for r in capped if r["source"] == "tame") == 50
    baseline = cap_real_rows(real, 100, seed=0)
    assert [r for r in capped if r["source"] == "tame"] == baseline  # both models see the same real rows
    assert cap_real_rows(real, 0, seed=0) == sorted(real, key=lambda r: r["id"])


def test_data_hash_tracks_content():
    records = tame_records(10)
    changed = [dict(records[0], label=1 - records[0]["label"])] + records[1:]
    reordered = [{key: r[key] for key in reversed(list(r))} for r in records]  # same content, other key order
    assert data_hash(records) == data_hash(reordered) != data_hash(changed)
    assert data_hash(records) != data_hash(records[::-1])  # training order is part of the data


def test_skops_round_trip(tame_model, tmp_path):
    pipeline, meta = tame_model
    save(pipeline, meta, tmp_path / "hate.skops")
    loaded, loaded_meta = load(tmp_path / "hate.skops")
    texts = ["the fog will not lift", "our station got a new cafe"]
    np.testing.assert_array_equal(loaded.predict_proba(texts), pipeline.predict_proba(texts))
    assert loaded_meta == json.loads(json.dumps(meta))
    assert (tmp_path / "hate.skops").read_bytes()[:2] == b"PK"  # a skops zip, not a pickle


def test_vocabulary_is_closed_under_member_words():
    texts = [r["text"] for r in tame_records()]
    vocabulary = closed_vocabulary(SMALL, texts)
    assert any(" " in term for term in vocabulary)
    assert all(word in vocabulary for term in vocabulary for word in term.split(" "))
    assert sorted(vocabulary.values()) == list(range(len(vocabulary)))
