"""Bootstrap intervals, paired deltas and per-source figures on synthetic scores."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, f1_score

from toxsynth.classifier.confidence import (bootstrap_indices, by_source, f1_from_predictions, interval, intervals,
                                            paired_delta, paired_resamples, pr_auc_resamples)
from toxsynth.classifier.evaluate import metrics


def scored(n: int, seed: int = 0, noise: float = 0.35):
    """Labels and probabilities from a fair but imperfect model."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return y, np.clip(0.5 + (y - 0.5) * 0.6 + rng.normal(0, noise, n), 0, 1)


def test_indices_shape_and_range():
    idx = bootstrap_indices(50, 7, seed=1)
    assert idx.shape == (7, 50) and idx.min() >= 0 and idx.max() < 50
    assert (idx == bootstrap_indices(50, 7, seed=1)).all()


def test_vectorized_f1_matches_sklearn_row_by_row():
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.integers(0, 2, (40, 30)), rng.integers(0, 2, (40, 30))
    y_pred[0] = 0                      # no predicted positives
    y_true[1] = 0                      # no actual positives
    y_true[2], y_pred[2] = 0, 0        # undefined: 0
    y_true[3], y_pred[3] = 1, 1        # perfect
    y_pred[4] = 1 - y_true[4]          # all wrong
    got = f1_from_predictions(y_true, y_pred)
    want = [f1_score(t, p, zero_division=0) for t, p in zip(y_true, y_pred)]
    assert got.shape == (40,) and got == pytest.approx(want, abs=1e-12)
    assert got[2] == 0 and got[3] == 1 and got[4] == 0
    assert f1_from_predictions(y_true[:2][None], y_pred[:2][None]).shape == (1, 2)  # any leading shape


@pytest.mark.parametrize("ties", [None, 1, 2])
def test_vectorized_pr_auc_matches_sklearn_per_resample(ties):
    y, prob = scored(60, seed=5)
    if ties is not None:
        prob = np.round(prob, ties)  # groups of equal scores, of which a resample draws some rows or none
    idx = np.vstack([bootstrap_indices(60, 250, seed=2), bootstrap_indices(60, 50, seed=3)[:, :60]])
    idx[0], idx[1] = 0, 59  # one row drawn 60 times: one class only
    got = pr_auc_resamples(y, prob, idx, chunk=64)  # rounds cross chunk boundaries
    want = [average_precision_score(y[r], prob[r]) if 0 < y[r].sum() < len(r) else np.nan for r in idx]
    assert np.isnan(got[:2]).all() and not np.isnan(got[2:]).any()
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_interval_contains_point_and_narrows_with_more_rows():
    widths = []
    for n in (200, 2000):
        y, p = scored(n)
        ci, point = intervals(y, p, 0.5, rounds=300), metrics(y, p, 0.5)
        assert ci["f1_ci_low"] <= point["f1"] <= ci["f1_ci_high"]
        assert ci["pr_auc_ci_low"] <= point["pr_auc"] <= ci["pr_auc_ci_high"]
        assert all(isinstance(v, float) for v in ci.values())
        widths.append((ci["f1_ci_high"] - ci["f1_ci_low"], ci["pr_auc_ci_high"] - ci["pr_auc_ci_low"]))
    assert widths[1][0] < widths[0][0] / 2 and widths[1][1] < widths[0][1] / 2


def test_threshold_is_strict():
    y, p = np.repeat([0, 1], 20), np.repeat([0.5, 0.9], 20)   # 0.5 is not > 0.5: every prediction is right
    ci = intervals(y, p, 0.5, rounds=100)
    assert (ci["f1_ci_low"], ci["f1_ci_high"], ci["pr_auc_ci_low"]) == (1, 1, 1)
    assert intervals(y, p, 0.49, rounds=100)["f1_ci_high"] < 1


def test_same_seed_same_result_other_seed_differs():
    y, p = scored(300)
    assert intervals(y, p, 0.5, rounds=200, seed=4) == intervals(y, p, 0.5, rounds=200, seed=4)
    assert intervals(y, p, 0.5, rounds=200, seed=4) != intervals(y, p, 0.5, rounds=200, seed=5)
    b = scored(300, seed=9)[1]
    assert paired_delta(y, p, 0.5, b, 0.5, rounds=100, seed=2) == paired_delta(y, p, 0.5, b, 0.5, rounds=100, seed=2)


def test_single_class_resamples_give_no_pr_auc():
    y, p = np.array([1, 0, 0, 0, 0, 0]), np.linspace(0.9, 0.1, 6)
    ci = intervals(y, p, 0.5, rounds=200)        # about a third of the resamples miss the one positive
    assert ci["f1_ci_low"] == 0 and ci["pr_auc_ci_low"] is not None
    none = intervals(np.zeros(5, int), p[:5], 0.5, rounds=20)
    assert none["pr_auc_ci_low"] is None and none["f1_ci_high"] == 0


def test_model_against_itself_is_exactly_zero():
    y, p = scored(400)
    d = paired_delta(y, p, 0.5, p, 0.5, rounds=200)
    assert (d["f1"], d["f1_ci_low"], d["f1_ci_high"]) == (0, 0, 0)
    assert (d["pr_auc"], d["pr_auc_ci_low"], d["pr_auc_ci_high"]) == (0, 0, 0)
    assert d["significant"] is False


def test_clearly_better_model_excludes_zero():
    y, good = scored(600, seed=1, noise=0.15)
    _, poor = scored(600, seed=1, noise=0.6)
    d = paired_delta(y, good, 0.5, poor, 0.5, rounds=300)
    assert d["f1"] > 0 and d["f1_ci_low"] > 0 and d["pr_auc_ci_low"] > 0 and d["significant"] is True
    assert paired_delta(y, poor, 0.5, good, 0.5, rounds=300)["f1_ci_high"] < 0
    assert d["pr_auc"] == pytest.approx(average_precision_score(y, good) - average_precision_score(y, poor))


def test_resampled_differences_are_the_paired_interval_and_narrow_when_folds_are_averaged():
    y, good = scored(400, seed=1, noise=0.3)
    _, poor = scored(400, seed=1, noise=0.5)
    f1, pr_auc = paired_resamples(y, good, 0.5, poor, 0.5, bootstrap_indices(400, 300, seed=7))
    d = paired_delta(y, good, 0.5, poor, 0.5, rounds=300, seed=7)
    assert f1.shape == pr_auc.shape == (300,)
    assert interval(f1) == (d["f1_ci_low"], d["f1_ci_high"])
    assert interval(pr_auc) == (d["pr_auc_ci_low"], d["pr_auc_ci_high"])
    other = paired_resamples(y, good, 0.5, poor, 0.5, bootstrap_indices(400, 300, seed=8))[0]
    low, high = interval((f1 + other) / 2)     # two folds resampled on their own: the mean varies less
    assert high - low < d["f1_ci_high"] - d["f1_ci_low"]


def test_by_source_splits_and_flags_one_label_source():
    y = np.array([1, 0, 1, 0, 1, 1, 0, 0])
    p = np.array([0.9, 0.2, 0.4, 0.6, 0.8, 0.7, 0.1, 0.3])
    src = ["web", "web", "web", "web", "all_pos", "all_pos", "all_neg", "all_neg"]
    out = by_source(y, p, 0.5, src)
    assert list(out) == ["all_neg", "all_pos", "web"]
    web = out["web"]
    assert (web["rows"], web["positives"]) == (4, 2)
    assert web["precision"] == 0.5 and web["recall"] == 0.5 and web["f1"] == 0.5
    assert web["pr_auc"] == pytest.approx(average_precision_score(y[:4], p[:4]))
    assert out["all_pos"] == {"rows": 2, "positives": 2, "f1": 1.0, "pr_auc": None, "precision": 1.0, "recall": 1.0}
    assert out["all_neg"]["pr_auc"] is None and out["all_neg"]["f1"] == 0.0


def test_seed_mean_resamples_carry_the_spread_between_seeds():
    from toxsynth.classifier.confidence import interval, seed_mean_resamples

    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.3).astype(int)
    good, bad = np.where(y == 1, 0.8, 0.2) + rng.normal(0, 0.1, 400), rng.random(400)
    idx = bootstrap_indices(len(y), 300, 1)
    f1_one, pr_one = seed_mean_resamples(y, [(good, 0.5)] * 3, idx, 2)
    f1_alone, _ = seed_mean_resamples(y, [(good, 0.5)], idx, 2)
    assert np.allclose(f1_one, f1_alone)  # identical seeds: just the eval-row bootstrap
    f1_mixed, _ = seed_mean_resamples(y, [(good, 0.5), (bad, 0.5), (good, 0.5)], idx, 2)
    low, high = interval(f1_mixed)
    one_low, one_high = interval(f1_one)
    assert high - low > 3 * (one_high - one_low)  # a seed that trained badly widens the interval
    assert np.array_equal(f1_mixed, seed_mean_resamples(y, [(good, 0.5), (bad, 0.5), (good, 0.5)], idx, 2)[0])
