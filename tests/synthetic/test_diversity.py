"""Diversity measures against values worked out by hand on tiny inputs, and the report's shape."""

from __future__ import annotations

import numpy as np
import pytest

from tests.synthetic.conftest import real, syn
from toxsynth.synthetic.diversity import (DiversityParams, distinct, distinct2_plot, diversity_report,
                                          embedding_distance, measure, mtld, same_token_count,
                                          self_bleu)


def test_distinct_n_counts_unique_over_all_ngrams_inside_each_text():
    texts = [["a", "b", "a"], ["a", "b"]]
    assert distinct(texts, 1) == 2 / 5  # a b a a b
    assert distinct(texts, 2) == 2 / 3  # (a b) (b a) (a b); no n-gram spans two texts
    assert distinct(texts, 3) == 1.0
    assert distinct([["a"]], 2) == 0.0


def test_mtld_by_hand():
    assert mtld("a a a a".split()) == 2.0  # a|a a|a: TTR 0.5 ends a factor at tokens 2 and 4, both ways: 4 / 2
    assert mtld("a b a b".split()) == 4.0  # one full factor (a b a: TTR 0.67), then "b" (TTR 1: adds 0)
    # no factor completes: partial factor (1 - 3/4) / (1 - 0.72) = 0.892857, both directions
    assert mtld("a b c a".split()) == pytest.approx(4 / ((1 - 0.75) / 0.28))
    assert mtld([]) == 0.0


def test_self_bleu_by_hand():
    # "a b c d" vs "a b c e": precisions 3/4, 2/3, 1/2 and 0/1 (smoothed to 0.1/1), same length: no brevity penalty
    expected = (0.75 * 2 / 3 * 0.5 * 0.1) ** 0.25
    assert self_bleu([list("abcd"), list("abce")]) == pytest.approx(expected)
    assert self_bleu([list("abcd"), list("abcd"), list("abcd")]) == pytest.approx(1.0)
    assert self_bleu([list("abcd")]) == 0.0


def test_embedding_distance_by_hand():
    vectors = np.array([[1, 0], [0, 1], [1, 0]], dtype=np.float32)
    assert embedding_distance(vectors) == pytest.approx(1 - (0 + 1 + 0) / 3)  # pairs: cos 0, 1, 0


def test_measure_tokenizes_lowercase_words():
    result = measure(["Red fish, blue fish.", "red fish"], DiversityParams(), seed=1)
    assert result["texts"] == 2 and result["tokens"] == 6 and result["vocabulary"] == 3
    assert result["distinct_1"] == 0.5 and result["distinct_2"] == 0.75  # red fish|fish blue|blue fish|red fish


def test_report_compares_with_a_real_sample_of_equal_tokens_and_notes_an_empty_cell():
    synthetic = [syn(str(i), f"plain words number {i} here and there", category="hate") for i in range(3)]  # 7 words
    train = [real(str(i), f"other plain sentence {i}", label=1) for i in range(10)]  # 4 words each
    train += [real(f"n{i}", f"neg text {i}", label=0) for i in range(4)]
    report = diversity_report(synthetic, train, ("hate",), DiversityParams(), seed=1)
    cell = report["hate"]["pos"]
    assert cell["synthetic"]["tokens"] == 21 and cell["real"]["tokens"] == 24  # 6 real texts: the first >= 21 tokens
    assert cell["synthetic"]["texts"] == 3 and cell["real"]["texts"] == 6
    assert cell["ratio"]["distinct_1"] == round(cell["synthetic"]["distinct_1"] / cell["real"]["distinct_1"], 4)
    assert "note" in report["hate"]["neg"]
    assert report == diversity_report(synthetic, train, ("hate",), DiversityParams(), seed=1)
    rows = distinct2_plot(report)
    assert rows["synthetic"] == [{"set": "hate/pos", "distinct_2": cell["synthetic"]["distinct_2"]}]
    assert rows["real"] == [{"set": "hate/pos", "distinct_2": cell["real"]["distinct_2"]}]



def test_self_bleu_compares_equal_text_counts_on_both_sides():
    # the real side needs more (shorter) texts for as many tokens; self-BLEU still scores 4 texts per side
    synthetic = [syn(str(i), f"long plain words number {i} here and there", category="hate") for i in range(4)]
    train = [real(f"{i:02d}", f"plain words {i % 3} today", label=1) for i in range(20)]
    cell = diversity_report(synthetic, train, ("hate",), DiversityParams(), seed=1)["hate"]["pos"]
    theirs = same_token_count(sorted(train, key=lambda r: r["id"]), cell["synthetic"]["tokens"], seed=1)
    assert cell["real"]["texts"] == len(theirs) > 4
    assert cell["real"]["self_bleu"] == measure(theirs, DiversityParams(), 1, bleu_texts=4)["self_bleu"]
    assert cell["real"]["self_bleu"] != measure(theirs, DiversityParams(), 1)["self_bleu"]  # all of them: higher


def test_by_template_puts_each_generation_mode_against_its_own_real_sample():
    synthetic = [syn(str(i), f"same words again {i % 2}", category="hate", template="v1") for i in range(4)]
    synthetic += [syn(f"r{i}", f"fresh {i} distinct phrasing number {i * 7}", category="hate", template="rewrite")
                  for i in range(4)]
    train = [real(f"{i:02d}", f"a real sentence about topic {i}", label=1) for i in range(20)]
    modes = diversity_report(synthetic, train, ("hate",), DiversityParams(), seed=1)["hate"]["pos"]["by_template"]
    assert set(modes) == {"v1", "rewrite"} and modes["v1"]["texts"] == modes["rewrite"]["texts"] == 4
    assert modes["rewrite"]["distinct_1_ratio"] > modes["v1"]["distinct_1_ratio"]  # the repetitive mode shows
