"""Label-consistency filter: the baseline detector must agree with a synthetic record's label."""

import pytest

from toxsynth.synthetic.label_filter import FilterParams, label_filter


def rec(i, label, category="hate"):
    return {"id": f"synthetic:{i}", "text": f"sample {i}", "label": label, "category": category, "source": "synthetic"}


SCORES = {"sample 1": 0.9, "sample 2": 0.2, "sample 3": 0.1, "sample 4": 0.6, "sample 5": 0.35}


def scorer(texts):
    return [SCORES[t] for t in texts]


def test_auto_uses_the_detectors_threshold_and_reports_per_label():
    synthetic = [rec(1, 1), rec(2, 1), rec(3, 0), rec(4, 0), rec(5, 1, "sexual")]
    kept, removed, report = label_filter(synthetic, {"hate": (scorer, 0.3), "sexual": (scorer, 0.3)}, FilterParams())
    assert [r["id"] for r in kept] == ["synthetic:1", "synthetic:3", "synthetic:5"]
    assert [(r["id"], r["reason"], r["baseline_prob"]) for r in removed] == [
        ("synthetic:2", "filter_low_probability", 0.2), ("synthetic:4", "filter_high_probability", 0.6)]
    assert report["hate"]["pos"] == {"scored": 2, "kept": 1, "removed": 1}
    assert report["hate"]["neg"] == {"scored": 2, "kept": 1, "removed": 1}
    assert report["hate"]["min_pos_prob"] == report["hate"]["max_neg_prob"] == 0.3
    assert report["sexual"]["pos"] == {"scored": 1, "kept": 1, "removed": 0}


def test_fixed_cuts_override_the_threshold():
    synthetic = [rec(1, 1), rec(2, 1), rec(3, 0), rec(4, 0)]
    kept, _, report = label_filter(synthetic, {"hate": (scorer, 0.3)}, FilterParams(min_pos_prob=0.95, max_neg_prob=0.7))
    assert [r["id"] for r in kept] == ["synthetic:3", "synthetic:4"]
    assert (report["hate"]["min_pos_prob"], report["hate"]["max_neg_prob"]) == (0.95, 0.7)


def test_a_category_without_records_is_reported_empty_and_not_scored():
    def never(texts):
        raise AssertionError("scored nothing")
    kept, removed, report = label_filter([], {"hate": (never, 0.5)}, FilterParams())
    assert kept == removed == [] and report["hate"]["pos"]["scored"] == 0


@pytest.mark.parametrize("bad", [{"min_pos_prob": 1.5}, {"max_neg_prob": -0.1}, {"min_pos_prob": "high"}])
def test_cuts_must_be_auto_or_a_probability(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        FilterParams(**bad)
