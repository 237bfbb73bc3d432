"""The linear model (the reference, and the teacher of `train.distill`): out-of-fold scoring and soft targets."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from tests.classifier.conftest import SMALL, tame_features, tame_records
from toxsynth.classifier.linear import fit_linear, linear_pipeline, out_of_fold_probabilities
from toxsynth.classifier import model as model_module
from toxsynth.classifier.model import train
from toxsynth.classifier.rows import cap_real_rows, validation_split


def _noise(n: int = 400) -> tuple[list[str], np.ndarray]:
    """Texts of random common words with random labels: nothing to learn, plenty to memorise."""
    rng = random.Random(0)
    words = [f"w{i}" for i in range(40)]
    return [" ".join(rng.choices(words, k=6)) for _ in range(n)], np.array([rng.randint(0, 1) for _ in range(n)])


def test_out_of_fold_probabilities_come_from_models_that_did_not_see_the_text():
    texts, labels = _noise()
    in_sample = linear_pipeline(0).fit(texts, labels).predict_proba(texts)[:, 1]
    out_of_fold = out_of_fold_probabilities(texts, labels, seed=0)
    assert roc_auc_score(labels, in_sample) > 0.9  # a model scoring its own rows has memorised their labels
    assert abs(roc_auc_score(labels, out_of_fold) - 0.5) < 0.1
    np.testing.assert_array_equal(out_of_fold, out_of_fold_probabilities(texts, labels, seed=0))


def test_linear_fit_is_the_same_on_one_or_two_blas_threads():
    # 20,000 texts over 20,000 words: enough features that OpenBLAS splits L-BFGS's vector sums over two threads,
    # which without the one-thread fit changed the coefficients' last bits here (4e-16)
    rng = random.Random(0)
    words = [f"w{i}" for i in range(20_000)]
    texts = [" ".join(rng.choices(words, k=8)) for _ in range(20_000)]
    labels = np.array([int("w1" in text.split() or rng.random() < 0.2) for text in texts])
    coefs = []
    for threads in (1, 2):
        with threadpool_limits(threads, user_api="blas"):
            coefs.append(fit_linear(texts, labels, seed=0).named_steps["lr"].coef_)
    np.testing.assert_array_equal(coefs[0], coefs[1])


def test_out_of_fold_probabilities_learn_a_real_task():
    records = tame_records(200)
    labels = np.array([r["label"] for r in records])
    prob = out_of_fold_probabilities([r["text"] for r in records], labels, seed=1)
    assert ((prob > 0.5) == labels).mean() > 0.95


def test_distilled_detector_trains_on_labels_mixed_with_the_teachers_out_of_fold_scores(monkeypatch):
    seen = []
    real_fit = model_module.fit_mlp

    def recording_fit(x, y, x_val, y_val, params, seed, targets=None):
        seen.append((y, targets))
        return real_fit(x, y, x_val, y_val, params, seed, targets)

    monkeypatch.setattr(model_module, "fit_mlp", recording_fit)
    records, distill = tame_records(), 0.7
    pipeline, meta = train(records, "hate", tame_features(), dataclasses.replace(SMALL, distill=distill), seed=0)
    fit_rows, _ = validation_split(cap_real_rows(records, SMALL.max_rows, 0), SMALL.validation_fraction, 0)
    (labels, targets), = seen
    teacher = out_of_fold_probabilities([r["text"] for r in fit_rows], labels, seed=0)
    np.testing.assert_allclose(targets, (1 - distill) * labels + distill * teacher)
    assert not np.array_equal(targets, labels) and meta["params"]["distill"] == distill
    texts = ["the rain is awful today honestly", "the train left on time as usual"]
    assert list(pipeline.predict_proba(texts)[:, 1] > meta["threshold"]) == [True, False]
    seen.clear()
    train(records, "hate", tame_features(), SMALL, seed=0)
    assert seen[0][1] is None  # distill 0: the labels themselves, as before the option existed
