"""Training: the paper's MLP on the shared features, validation split, early stopping, threshold, determinism."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import yaml

from tests.classifier.conftest import SMALL, tame_features, tame_records
from tests.conftest import ROOT
from toxsynth.classifier.features import TOKEN_PATTERN
from toxsynth.classifier.model import TrainParams, best_threshold, calibrated_threshold, sample_weights, train
from toxsynth.classifier.persist import load, save
from toxsynth.classifier.rows import cap_real_rows, data_hash, validation_split
from toxsynth.config import Params, key_lines
from toxsynth.errors import InputError


def test_default_detector_is_the_shared_tfidf_and_a_600x600_mlp(tame_model):
    pipeline, meta = train(tame_records(), "hate", tame_features(), dataclasses.replace(SMALL, hidden_layers=(600, 600),
                                                                                       max_iter=2), seed=3)
    assert [name for name, _ in pipeline.steps] == ["tfidf", "mlp"]
    mlp = pipeline.named_steps["mlp"]
    assert [w.shape[1] for w in mlp.coefs_] == [600, 600, 1] and mlp.random_state == 3
    assert TrainParams().hidden_layers == (600, 600)
    assert pipeline.named_steps["tfidf"].token_pattern == TOKEN_PATTERN and not pipeline.named_steps["tfidf"].sublinear_tf
    assert mlp.coefs_[0].shape[0] == len(pipeline.named_steps["tfidf"].vocabulary_) == meta["features"]


def test_learns_the_tame_task(tame_model):
    pipeline, meta = tame_model
    texts = ["the rain is awful today honestly", "the train left on time as usual"]
    assert list(pipeline.predict_proba(texts)[:, 1] > meta["threshold"]) == [True, False]
    assert meta["train_rows"] == 240 and meta["validation"]["rows"] == 24 and meta["validation"]["f1"] == 1.0


def test_validation_split_is_stratified_grouped_seeded_and_real_only():
    real = [dict(r, group=f"user{i // 4}") for i, r in enumerate(tame_records(400))]
    real = [dict(r, label=int(r["group"][4:]) % 2) for r in real]  # labels per user, as in C-SSRS
    synthetic = tame_records(20, source="synthetic", seed=1)
    fit, val = validation_split(real + synthetic, 0.1, seed=0)
    assert len(val) == 40 and sum(r["label"] for r in val) == 20
    assert {r["group"] for r in val}.isdisjoint({r.get("group") for r in fit})
    assert not any(r["source"] == "synthetic" for r in val) and len(fit) == 380
    assert validation_split(real + synthetic, 0.1, seed=0) == (fit, val)
    assert validation_split(real + synthetic, 0.1, seed=1)[1] != val


def test_early_stopping_keeps_the_epoch_with_the_lowest_validation_loss():
    # labels unrelated to the text: the validation loss only gets worse once the MLP starts memorising
    records = [dict(r, label=(i * 7919) % 3 == 0) for i, r in enumerate(tame_records(300))]
    records = [dict(r, label=int(r["label"])) for r in records]
    params = dataclasses.replace(SMALL, max_iter=40, n_iter_no_change=3)
    _, meta = train(records, "hate", tame_features(records), params, seed=0)
    losses = [h["val_loss"] for h in meta["history"]]
    assert meta["epochs"] < 40 and meta["epochs"] == meta["best_epoch"] + 3
    # an epoch counts as better only when it lowers the validation loss by more than 1e-4
    assert losses[meta["best_epoch"] - 1] <= min(losses) + 1e-4
    assert all(loss > min(losses[: meta["best_epoch"]]) - 1e-4 for loss in losses[meta["best_epoch"]:])


def test_threshold_maximises_validation_f_beta_and_a_fixed_one_is_kept():
    labels = np.array([1, 1, 0, 1, 0, 0, 0, 1])
    prob = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.2, 0.1, 0.05])
    assert best_threshold(labels, prob) == pytest.approx(0.45)  # top 4 positive: F1 = 6/8 (top 8: 8/12)
    # beta 3 weighs recall 9 times: top 8 gives F3 = 10*4 / (8 + 9*4) = 0.909 > top 4's 10*3 / (4 + 36) = 0.75
    assert best_threshold(labels, prob, beta=3.0) == pytest.approx(0.025)
    assert best_threshold(np.array([1, 0, 1]), np.array([0.5, 0.5, 0.2])) == pytest.approx(0.1)  # no cut in ties
    _, meta = train(tame_records(), "hate", tame_features(), dataclasses.replace(SMALL, threshold=0.7), seed=0)
    assert meta["threshold"] == 0.7


def test_the_calibrated_cut_is_the_best_f_beta_over_one_plus_beta_squared():
    labels = np.array([1, 1, 0, 1, 0, 0, 0, 1])
    prob = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.2, 0.1, 0.05])
    assert calibrated_threshold(labels, prob) == pytest.approx(0.75 / 2)  # best F1: top 4, 6/8
    assert calibrated_threshold(labels, prob, beta=3.0) == pytest.approx((10 * 4 / (8 + 36)) / 10)  # best F3: top 8
    # validation scores that rank the same but sit elsewhere move the argmax cut, not the calibrated one
    assert calibrated_threshold(labels, prob ** 2) == calibrated_threshold(labels, prob)
    assert best_threshold(labels, prob ** 2) != best_threshold(labels, prob)
    params = dataclasses.replace(SMALL, threshold="calibrated")
    records = tame_records()
    pipeline, meta = train(records, "hate", tame_features(), params, seed=0)
    _, val = validation_split(cap_real_rows(records, params.max_rows, 0), params.validation_fraction, 0)
    val_prob = pipeline.predict_proba([r["text"] for r in val])[:, 1]
    assert meta["threshold"] == pytest.approx(calibrated_threshold(np.array([r["label"] for r in val]), val_prob))


def test_params_are_checked():
    for bad in ({"threshold": 1.5}, {"threshold": "best"}, {"class_weight": "auto"}, {"validation_fraction": 0.0}):
        with pytest.raises(ValueError):
            TrainParams(**bad)


def test_per_category_settings_replace_the_shared_ones_for_that_category_only():
    params = dataclasses.replace(SMALL, per_category={"hate": {"threshold": 0.7, "alpha": 1}})
    _, hate = train(tame_records(), "hate", tame_features(), params, seed=0)
    assert hate["threshold"] == 0.7 and hate["params"]["alpha"] == 1.0 and hate["params"]["per_category"] == {}
    sexual = tame_records(category="sexual")
    _, other = train(sexual, "sexual", tame_features(sexual), params, seed=0)
    assert other["threshold"] != 0.7 and other["params"]["alpha"] == SMALL.alpha


@pytest.mark.parametrize(("entry", "reason"), [
    ("{politics: {alpha: 1}}", "per_category.politics: unknown category"),
    ("{political: {max_rows: 10}}", "per_category.political.max_rows: not a per-category key"),
    ("{political: {aplha: 1}}", "per_category.political.aplha: not a per-category key"),
    ("{political: {distill: 2}}", r"per_category.political: distill must be in \[0, 1\], got 2.0"),
    ("{political: 0.5}", "per_category.political: expected a mapping"),
])
def test_a_bad_per_category_entry_names_its_line(tmp_path, entry, reason):
    data = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    data["train"]["per_category"] = yaml.safe_load(entry)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError, match=reason) as e:
        Params(path).section(TrainParams, "train")
    assert e.value.line == key_lines(path)[("train", "per_category")]


def test_dvc_set_param_reaches_one_category(tmp_path):
    """The README's `dvc exp run -S` lines: an existing per-category key, and a new one with `+`."""
    from dvc.utils.hydra import apply_overrides

    path = tmp_path / "params.yaml"
    path.write_text((ROOT / "params.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    apply_overrides(path, ["train.per_category.political.distill=0.7", "+train.per_category.sexual.distill=0.5"])
    params = Params(path).section(TrainParams, "train")
    assert params.for_category("political").distill == 0.7 and params.for_category("sexual").distill == 0.5
    before = Params(ROOT / "params.yaml").section(TrainParams, "train")
    for category in ("hate", "violence", "self_harm"):  # the others keep every value they had, shared or their own
        assert (dataclasses.replace(params.for_category(category), per_category={})
                == dataclasses.replace(before.for_category(category), per_category={})), category
    assert dataclasses.replace(params.for_category("political"), distill=before.for_category("political").distill,
                               per_category={}) == dataclasses.replace(before.for_category("political"),
                                                                       per_category={})


def test_balanced_weights_give_each_label_the_same_total():
    labels = np.array([1, 0, 0, 0])
    weights = sample_weights(labels, "balanced")
    assert weights[labels == 1].sum() == pytest.approx(weights[labels == 0].sum()) == pytest.approx(2.0)
    assert sample_weights(labels, "none") is None


TRAIN_AND_SAVE = """
import sys
from tests.classifier.conftest import SMALL, tame_features, tame_records
from toxsynth.classifier.model import train
from toxsynth.classifier.persist import save
features = tame_features()
save(features, None, sys.argv[1] + "/features.skops")
save(*train(tame_records(), "hate", features, SMALL, seed=7), sys.argv[1] + "/hate.skops")
"""


def test_training_twice_gives_byte_identical_files(tmp_path):
    # two processes with different hash seeds: memory addresses and set orders differ, the files must not
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        env = {**os.environ, "PYTHONHASHSEED": {"a": "1", "b": "2"}[run]}
        subprocess.run([sys.executable, "-c", TRAIN_AND_SAVE, str(tmp_path / run)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    for name in ("features.skops", "hate.skops", "hate.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_only_the_category_is_used_and_one_label_is_an_error():
    records = tame_records() + tame_records(40, category="violence")
    _, meta = train(records, "hate", tame_features(), SMALL, seed=0)
    assert meta["train_rows"] == 240
    with pytest.raises(ValueError, match="both labels"):
        train([r for r in records if r["label"] == 1], "hate", tame_features(), SMALL, seed=0)


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
