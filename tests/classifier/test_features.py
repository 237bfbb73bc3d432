"""The shared TF-IDF: a vocabulary cut with an explicit, stable tie-break, closed under member words."""

from __future__ import annotations

import random
from collections import Counter

from tests.classifier.conftest import SMALL_FEATURES, tame_records
from toxsynth.classifier.features import FeatureParams, fit_features, stable_vocabulary


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
