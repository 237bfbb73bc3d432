"""The shared text features of all five detectors: one TF-IDF vocabulary, chosen by a stable, CPU-independent rule."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from toxsynth.classifier.rows import cap_real_rows
from toxsynth.config import in_range

# ASCII word characters, two or more, and no \b: onnxruntime's regex engine treats \w and \b as ASCII-only while
# Python's are Unicode, so this is the one pattern both sides tokenize identically (export checks it).
TOKEN_PATTERN = r"[a-zA-Z0-9_]{2,}"


@dataclass(frozen=True)
class FeatureParams:
    max_features: int = 10_000  # vocabulary size; each detector's first layer is max_features x 600 floats
    ngram_max: int = 2  # word n-grams 1..ngram_max
    min_df: int = 2  # ignore n-grams seen in fewer texts

    def __post_init__(self):
        in_range(self, "[1, inf)", "max_features", "ngram_max", "min_df")


def stable_vocabulary(texts: list[str], params: FeatureParams) -> dict[str, int]:
    """The `max_features` n-grams with the highest document frequency, ties broken by the term itself, then closed
    under member words; the same set on every CPU and for every order of `texts`.

    scikit-learn's own `max_features` cut sorts float term counts with an unstable sort, so which of several tied
    n-grams survive differs between machines. Closure: onnxruntime only finds a bigram when both of its words are
    unigrams of the vocabulary, so every word of a kept bigram is kept too (export's parity check confirms it).
    """
    counter = CountVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, params.ngram_max), min_df=params.min_df,
                              binary=True, dtype=np.int64)
    doc_freq = np.asarray(counter.fit_transform(texts).sum(axis=0)).ravel()
    terms = counter.get_feature_names_out()
    order = np.lexsort((terms, -doc_freq))  # by document frequency, descending, then by term: a total order
    kept = {str(t) for t in terms[order[: params.max_features]]}
    kept |= {word for term in kept for word in term.split(" ")}
    return {term: i for i, term in enumerate(sorted(kept))}


def fit_features(texts: list[str], params: FeatureParams) -> TfidfVectorizer:
    """A TF-IDF vectorizer over the stable vocabulary, its IDF fitted on `texts` (each text once, sorted)."""
    texts = sorted(set(texts))
    # sublinear_tf stays off: skl2onnx ignores it, which would break ONNX parity.
    vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, params.ngram_max),
                                 vocabulary=stable_vocabulary(texts, params), sublinear_tf=False, dtype=np.float32)
    return vectorizer.fit(texts)


def feature_texts(records: list[dict], categories: tuple[str, ...], max_rows: int, seed: int) -> list[str]:
    """The texts the shared features are fitted on: each category's capped real rows, the ones its detectors train on."""
    return [r["text"] for category in categories
            for r in cap_real_rows([r for r in records if r["category"] == category], max_rows, seed)]
