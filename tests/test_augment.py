"""Augment: share caps, synthetic negatives on/off, label balance, provenance kept, and the empty case."""

from __future__ import annotations

import pytest

from tests.synthetic.conftest import real, syn
from toxsynth.augment import AugmentParams, augment
from toxsynth.config import Params
from toxsynth.errors import InputError

REAL = [real(f"p{i}", f"pos {i}", label=1) for i in range(10)] + [real(f"n{i}", f"neg {i}", label=0) for i in range(20)]
SYN = [syn(f"p{i}", f"spos {i}", label=1) for i in range(8)] + [syn(f"n{i}", f"sneg {i}", label=0) for i in range(6)]


def synthetic_counts(records):
    return [sum(1 for r in records if r["source"] == "synthetic" and r["label"] == label) for label in (1, 0)]


def test_share_cap_is_per_label_and_relative_to_real():
    records, report = augment(REAL, SYN, ("hate",), AugmentParams(max_synthetic_share=0.5), seed=1)
    assert synthetic_counts(records) == [5, 0]  # 0.5 x 10 real positives; negatives off by default
    assert report["hate"]["synthetic"] == {"pos": 5, "neg": 0}
    assert report["hate"]["synthetic_offered"] == {"pos": 8, "neg": 6}
    assert "negatives left out" in report["hate"]["note"]
    assert records[:30] == REAL  # the real records stay, in order, with their source


def test_share_cap_counts_only_the_real_rows_the_trainer_samples():
    # 30 real rows, train.max_rows 15: the trainer keeps 5 positives (stratified), so at most 0.5 x 5 synthetic ones
    records, report = augment(REAL, SYN, ("hate",), AugmentParams(max_synthetic_share=0.5), seed=1, max_real_rows=15)
    assert report["hate"]["real_trained"] == {"pos": 5, "neg": 10} and report["hate"]["real"] == {"pos": 10, "neg": 20}
    assert synthetic_counts(records) == [2, 0]
    assert report["hate"]["synthetic_share_pos"] == round(2 / 7, 4) and report["hate"]["synthetic_share"] == 0.1176


def test_synthetic_negatives_and_label_balance():
    on = AugmentParams(synthetic_negatives=True, max_synthetic_share=1.0)
    assert synthetic_counts(augment(REAL, SYN, ("hate",), on, seed=1)[0]) == [8, 6]
    equal = AugmentParams(synthetic_negatives=True, max_synthetic_share=1.0, label_balance="equal")
    assert synthetic_counts(augment(REAL, SYN, ("hate",), equal, seed=1)[0]) == [6, 6]
    ratio = AugmentParams(synthetic_negatives=True, max_synthetic_share=1.0, label_balance="real_ratio")
    assert synthetic_counts(augment(REAL, SYN, ("hate",), ratio, seed=1)[0]) == [3, 6]  # real is 10:20 = 1:2


def test_choice_is_seeded_and_keeps_provenance():
    params = AugmentParams(max_synthetic_share=0.3)
    first, _ = augment(REAL, SYN, ("hate",), params, seed=1)
    assert first == augment(REAL, SYN, ("hate",), params, seed=1)[0]
    chosen = [r for r in first if r["source"] == "synthetic"]
    assert len(chosen) == 3 and all(r["template"] == "v1" and r["prompt_id"] for r in chosen)


def test_empty_synthetic_gives_the_real_set_and_a_note():
    records, report = augment(REAL, [], ("hate", "violence"), AugmentParams(), seed=1)
    assert records == REAL
    assert report["hate"]["synthetic"] == {"pos": 0, "neg": 0} and "no unique synthetic" in report["hate"]["note"]
    assert report["violence"]["real"] == {"pos": 0, "neg": 0} and "note" in report["violence"]


def test_unknown_label_balance_names_the_params_line(tmp_path):
    (tmp_path / "params.yaml").write_text("augment:\n  synthetic_negatives: false\n  max_synthetic_share: 0.5\n"
                                          "  label_balance: maybe\n  filter: {enabled: false, min_pos_prob: auto,"
                                          " max_neg_prob: auto}\n")
    with pytest.raises(InputError, match=r"params.yaml:4: augment.label_balance: label_balance must be one of"):
        Params(tmp_path / "params.yaml").section(AugmentParams, "augment")
