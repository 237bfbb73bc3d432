"""Evaluation metrics against values worked out by hand, and the plot data."""

import numpy as np
import pytest

from toxsynth.classifier.evaluate import confusion_rows, metrics, pr_curve

Y = np.array([1, 1, 1, 0, 0, 0, 0, 0])
P = np.array([0.9, 0.8, 0.3, 0.6, 0.2, 0.1, 0.4, 0.05])


def test_metrics_by_hand():
    m = metrics(Y, P, threshold=0.5)
    # predicted positive: 0.9, 0.8 (true) and 0.6 (false); missed: 0.3
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == pytest.approx(2 / 3)
    assert m["f1"] == pytest.approx(2 / 3) and m["accuracy"] == pytest.approx(6 / 8)
    # ranking: of the 15 positive/negative pairs, only (0.3 vs 0.6) and (0.3 vs 0.4) are out of order
    assert m["roc_auc"] == pytest.approx(13 / 15)
    # average precision: positives at ranks 1, 2, 5 -> (1 + 1 + 3/5) / 3
    assert m["pr_auc"] == pytest.approx((1 + 1 + 0.6) / 3)
    assert (m["eval_pos"], m["eval_neg"]) == (3, 5)


def test_metrics_with_one_class_do_not_crash():
    m = metrics(np.zeros(4, dtype=int), np.array([0.1, 0.2, 0.7, 0.3]), 0.5)
    assert m["roc_auc"] is None and m["accuracy"] == 0.75


def test_pr_curve_is_thinned_and_ends_at_full_precision():
    y = np.random.default_rng(0).integers(0, 2, 5000)
    p = np.random.default_rng(1).random(5000)
    curve = pr_curve(y, p)
    assert len(curve) <= 200 and curve[-1] == {"recall": 0.0, "precision": 1.0}


def test_confusion_rows():
    rows = confusion_rows(np.array([1, 0]), np.array([0.2, 0.9]), 0.5)
    assert rows == [{"actual": "harmful", "predicted": "not harmful"}, {"actual": "not harmful", "predicted": "harmful"}]
