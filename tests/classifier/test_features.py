"""The shared TF-IDF: informative and frequent n-grams cut with an explicit, stable tie-break, closed under member words."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np

from tests.classifier.conftest import SMALL_FEATURES, tame_records
from toxsynth.classifier.features import FeatureParams, feature_rows, fit_features, stable_vocabulary
from toxsynth.classifier.rows import cap_real_rows, validation_split


def test_ties_at_the_cut_are_broken_by_term_whatever_the_text_order():
    # 26 words seen in exactly 2 texts each, a cut at 10: which 10 survive is decided by the term alone
    words = [f"w{chr(97 + i)}{chr(97 + i)}" for i in range(26)]
    texts = [f"{w} filler{i}" for i, w in enumerate(words)] + [f"{w} other{i}" for i, w in enumerate(words)]
    params = FeatureParams(max_features=10, ngram_max=1, min_df=2)
    expected = sorted(words)[:10]
    for seed in range(5):
        random.Random(seed).shuffle(texts)
        assert sorted(stable_vocabulary(texts, params)) == expected


def test_the_cut_keeps_the_highest_document_frequencies():
    texts = [r["text"] for r in tame_records()]
    vocabulary = stable_vocabulary(texts, FeatureParams(max_features=30, ngram_max=1, min_df=1))
    doc_freq = Counter(w for t in texts for w in {w.lower() for w in t.split() if len(w) >= 2 and w.isalnum()})
    ranked = sorted(doc_freq, key=lambda w: (-doc_freq[w], w))[:30]
    assert sorted(vocabulary) == sorted(ranked)


def test_vocabulary_is_closed_under_member_words():
    vocabulary = stable_vocabulary([r["text"] for r in tame_records()], SMALL_FEATURES)
    assert any(" " in term for term in vocabulary)
    assert all(word in vocabulary for term in vocabulary for word in term.split(" "))
    assert sorted(vocabulary.values()) == list(range(len(vocabulary)))


def test_fit_does_not_depend_on_the_order_or_repeats_of_texts():
    texts = [r["text"] for r in tame_records()]
    a, b = fit_features(texts, SMALL_FEATURES), fit_features(texts[::-1] + texts[:50], SMALL_FEATURES)
    assert a.vocabulary_ == b.vocabulary_ and (a.idf_ == b.idf_).all()


def _labelled(texts: list[str], labels: list[int]):
    return [(texts, np.array(labels))]


def test_chi2_selection_keeps_a_rare_label_word_that_frequency_would_cut():
    # "drizzle" is in 3 texts, all positive; the fillers are in every text, whatever the label
    texts = [f"alpha beta gamma delta text{i}" + (" drizzle" if i < 3 else "") for i in range(12)]
    labels = [1, 1, 1] + [0] * 9
    by_frequency = FeatureParams(max_features=4, ngram_max=1, min_df=1, selection="df")
    informative = FeatureParams(max_features=4, ngram_max=1, min_df=1, selection="chi2", per_category=1)
    assert "drizzle" not in stable_vocabulary(texts, by_frequency, _labelled(texts, labels))
    vocabulary = stable_vocabulary(texts, informative, _labelled(texts, labels))
    assert "drizzle" in vocabulary and len(vocabulary) == 4  # the rest filled by document frequency


def test_chi2_ties_are_broken_by_term_whatever_the_text_order():
    # "mist" and "haze" separate the labels equally well: the earlier term wins, for any order of the rows
    rows = [(f"haze mist common{i}", 1) for i in range(4)] + [(f"plain common{i}", 0) for i in range(8)]
    params = FeatureParams(max_features=1, ngram_max=1, min_df=1, per_category=1)
    for seed in range(4):
        random.Random(seed).shuffle(rows)
        texts, labels = [t for t, _ in rows], [y for _, y in rows]
        assert list(stable_vocabulary(texts, params, _labelled(texts, labels))) == ["haze"]


def test_chi2_is_computed_on_fit_rows_only_never_on_validation_rows():
    records = tame_records(200)
    texts, labelled = feature_rows(records, ("hate",), max_rows=0, validation_fraction=0.2, seed=0)
    fit, validation = validation_split(cap_real_rows(records, 0, 0), 0.2, 0)
    assert sorted(texts) == sorted(r["text"] for r in records)
    (fit_texts, fit_labels), = labelled
    assert fit_texts == [r["text"] for r in fit] and list(fit_labels) == [r["label"] for r in fit]
    assert not set(fit_texts) & {r["text"] for r in validation}
