"""Dedup: each removal reason on small crafted records, the eval check that cannot be switched off, the report."""

from __future__ import annotations

import pytest

from tests.conftest import write_params
from tests.synthetic.conftest import LONG, real, syn
from toxsynth.config import Params
from toxsynth.errors import InputError
from toxsynth.synthetic.dedup import DedupParams, dedup
from toxsynth.synthetic.minhash import MinHashParams, shingles

PARAMS = DedupParams()
OTHER = ["a quiet library with tall windows and a cat asleep on the returns desk all afternoon",
         "we planted tomatoes and basil in the back garden and hope for a warm dry summer this year",
         "the bakery on the corner sells rye bread on tuesdays and a lemon cake every friday"]


def reasons(removed: list[dict]) -> dict[str, tuple[str, str]]:
    return {r["id"]: (r["reason"], r["duplicate_of"]) for r in removed}


def run(synthetic, train=(), evals=(), params=PARAMS):
    return dedup(list(synthetic), list(train), list(evals), params, seed=1)


def test_distinct_texts_all_stay():
    unique, removed, report = run([syn(str(i), t) for i, t in enumerate(OTHER)])
    assert [r["text"] for r in unique] == OTHER and removed == []
    assert report["total"]["duplication_rate"] == 0.0


def test_exact_duplicate_after_normalization_is_removed_and_points_at_the_first():
    unique, removed, _ = run([syn("a", LONG), syn("b", OTHER[0]), syn("c", "  " + LONG.upper() + " ")])
    assert [r["id"] for r in unique] == ["synthetic:a", "synthetic:b"]
    assert reasons(removed) == {"synthetic:c": ("exact_synthetic", "synthetic:a")}


def test_near_duplicate_is_removed_with_its_similarity():
    edited = LONG.replace("coffee", "tea")
    unique, removed, _ = run([syn("a", LONG), syn("b", edited)])
    assert reasons(removed) == {"synthetic:b": ("near_synthetic", "synthetic:a")}
    assert 0.7 <= removed[0]["similarity"] < 1.0


def test_near_threshold_is_a_param():
    edited = LONG.replace("fallen", "dropped")  # 3 of 26 shingles change: Jaccard 23/29 = 0.79
    assert run([syn("a", LONG), syn("b", edited)])[1] != []
    strict = DedupParams(minhash=MinHashParams(threshold=0.95))
    assert run([syn("a", LONG), syn("b", edited)], params=strict)[1] == []


def test_bad_minhash_params_name_the_params_line(tmp_path):
    path = write_params(tmp_path / "params.yaml", {"dedup": {"minhash": {"threshold": 0.999}}})
    with pytest.raises(InputError, match=r"params.yaml:\d+: dedup.minhash.threshold: threshold 0.999 with 128 perm"):
        Params(path).section(DedupParams, "dedup")


def test_same_text_in_two_categories_is_not_a_duplicate():
    unique, removed, _ = run([syn("a", LONG, category="hate"), syn("b", LONG, category="violence")])
    assert len(unique) == 2 and removed == []


def test_same_text_with_both_labels_is_dropped_entirely():
    unique, removed, _ = run([syn("a", LONG, label=1), syn("b", LONG, label=0), syn("c", OTHER[0])])
    assert [r["id"] for r in unique] == ["synthetic:c"]
    assert reasons(removed) == {"synthetic:a": ("conflicting_labels", "synthetic:b"),
                                "synthetic:b": ("exact_synthetic", "synthetic:a")}


@pytest.mark.parametrize("against_train", [True, False])
def test_eval_leak_is_removed_exact_and_near_even_with_train_checks_off(against_train):
    evals = [real("e1", LONG, category="sexual"), real("e2", OTHER[1], category="hate")]
    synthetic = [syn("a", LONG.lower()), syn("b", OTHER[1].replace("year", "spring")), syn("c", OTHER[2])]
    unique, removed, report = run(synthetic, evals=evals, params=DedupParams(against_train=against_train))
    assert [r["id"] for r in unique] == ["synthetic:c"]
    # an eval text of any category counts: every category's eval set must stay unseen
    assert reasons(removed) == {"synthetic:a": ("exact_eval", "real:e1"), "synthetic:b": ("near_eval", "real:e2")}
    assert report["hate"]["pos"]["v1"]["removed"]["exact_eval"] == 1
    assert report["hate"]["pos"]["v1"]["removed"]["near_eval"] == 1


def test_train_copies_of_the_same_category_are_removed():
    train = [real("t1", LONG, category="hate"), real("t2", OTHER[0], category="hate"),
             real("t3", OTHER[1], category="violence")]
    synthetic = [syn("a", LONG), syn("b", OTHER[0].replace("afternoon", "morning")), syn("c", OTHER[1])]
    unique, removed, _ = run(synthetic, train=train)
    assert reasons(removed) == {"synthetic:a": ("exact_train", "real:t1"), "synthetic:b": ("near_train", "real:t2")}
    assert [r["id"] for r in unique] == ["synthetic:c"]  # only a violence train text: new for hate
    assert run(synthetic, train=train, params=DedupParams(against_train=False))[1] == []


def test_near_match_picks_the_most_similar_reference():
    close, closer = LONG.replace("coffee", "tea").replace("late", "slow"), LONG.replace("coffee", "tea")
    _, removed, _ = run([syn("a", LONG)], evals=[real("e1", close), real("e2", closer)])
    assert reasons(removed) == {"synthetic:a": ("near_eval", "real:e2")}


def test_report_has_the_duplication_measures_per_category_label_and_template():
    synthetic = [syn("a", LONG, prompt="p1"), syn("b", LONG, prompt="p1"), syn("c", LONG, prompt="p2"),
                 syn("d", OTHER[0], prompt="p2"), syn("e", OTHER[1], template="v2"), syn("f", OTHER[2], label=0)]
    _, _, report = run(synthetic)
    cell = report["hate"]["pos"]["v1"]
    assert cell["generated"] == 4 and cell["unique"] == 2 and cell["duplicates"] == 2
    assert cell["duplication_rate"] == 0.5
    assert cell["prompts"] == 2 and cell["mean_duplicates_per_prompt"] == 1.0
    assert cell["duplicates_same_prompt"] == 1  # b repeats a (same prompt); c repeats a from another prompt
    assert report["hate"]["pos"]["v2"]["duplicates"] == 0 and report["hate"]["neg"]["v1"]["generated"] == 1
    assert report["hate"]["total"]["generated"] == 6 and report["total"]["removed"]["exact_synthetic"] == 2


def test_short_texts_are_one_shingle():
    assert shingles("Go away now", 3) == [b"go away now"]
    assert shingles("one two three four", 3) == [b"one two three", b"two three four"]


def test_texts_without_words_are_nobodys_near_duplicate():
    unique, removed, _ = run([syn("a", "🙂🙂"), syn("b", "🌧 !"), syn("c", "...")], evals=[real("e", "🎉🎉", label=1)])
    assert [r["id"] for r in unique] == ["synthetic:a", "synthetic:b", "synthetic:c"] and removed == []
