"""Data-budget curve: one real sample per budget and seed shared by the arms, the filter arm, intervals, plots."""

from __future__ import annotations

import dataclasses

import pytest

from tests.classifier.conftest import SMALL, tame_features, tame_records
from toxsynth.augment import AugmentParams
from toxsynth.classifier.curve import ARMS, CurveParams, budget_train_params, category_curve, plot_rows


def synthetic_rows() -> list[dict]:
    """Weather complaints labelled positive, and four bus lines wrongly labelled positive: the filter's targets."""
    good = [{**r, "id": f"synthetic:{i}", "source": "synthetic"}
            for i, r in enumerate(tame_records(80, seed=5)) if r["label"] == 1]
    bad = [{**r, "id": f"synthetic:bad{i}", "label": 1, "source": "synthetic"}
           for i, r in enumerate(tame_records(8, seed=6)) if r["label"] == 0]
    return good + bad


@pytest.fixture(scope="module")
def curve():
    real, eval_rows = tame_records(400, seed=1), tame_records(120, seed=2, source="eval")
    params = CurveParams(budgets=(60, 200), seeds=2, bootstrap_rounds=50, min_steps_per_epoch=4)
    aug = AugmentParams(max_synthetic_share=2.0)
    args = ("hate", real, synthetic_rows(), eval_rows, tame_features(real), dataclasses.replace(SMALL, max_rows=300),
            aug, params, 7)
    return category_curve(*args), category_curve(*args)


def test_every_budget_has_every_arm_with_intervals_and_paired_deltas(curve):
    report, _ = curve
    assert list(report) == ["60", "200"]
    for budget, point in report.items():
        assert point["real_rows"] == int(budget) and 0 < point["real_positives"] < point["real_rows"]
        for arm in ARMS:
            summary = point[arm]
            assert len(summary["f1_seeds"]) == len(summary["pr_auc_seeds"]) == 2
            assert summary["f1_ci_low"] <= summary["f1_ci_high"] and summary["pr_auc_ci_low"] <= summary["pr_auc_ci_high"]
            assert 0 <= summary["pr_auc_mean"] <= 1 and summary["f1_sd"] >= 0
        assert point["baseline"]["synthetic_rows_mean"] == 0
        for arm in ("augmented", "augmented_filter"):
            delta = point[arm]["minus_baseline"]
            assert delta["pr_auc"] == pytest.approx(point[arm]["pr_auc_mean"] - point["baseline"]["pr_auc_mean"])
            assert delta["f1_ci_low"] <= delta["f1_ci_high"]


def test_the_filter_arm_drops_synthetic_rows_its_baseline_disagrees_with(curve):
    report, _ = curve
    for point in report.values():
        offered = len(synthetic_rows())
        assert point["augmented"]["synthetic_rows_mean"] == offered  # share cap 2.0 does not bind
        assert point["augmented_filter"]["synthetic_rows_mean"] < offered


def test_the_curve_is_reproducible(curve):
    first, second = curve
    assert first == second


def test_plot_rows_have_one_line_per_arm(curve):
    rows = plot_rows(curve[0], "pr_auc")
    assert [r["budget"] for r in rows] == [60, 200] and all(set(ARMS) < set(r) for r in rows)


def test_small_budgets_train_with_smaller_batches():
    params = dataclasses.replace(SMALL, batch_size=500, per_category={"political": {"batch_size": 100}})
    assert budget_train_params(params, "hate", 250, 4).batch_size == 62
    assert budget_train_params(params, "hate", 4000, 4).batch_size == 500
    assert budget_train_params(params, "political", 4000, 4).batch_size == 100  # the category's own setting


@pytest.mark.parametrize("bad", [{"budgets": ()}, {"budgets": (10,)}, {"seeds": 0}, {"bootstrap_rounds": 0}])
def test_params_refuse_unusable_values(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        CurveParams(**bad)
