"""The shared text features of all five detectors: one TF-IDF vocabulary, chosen by a stable, CPU-independent rule:
each category's most label-informative n-grams (chi-squared on its fit rows), then the most frequent ones."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.feature_selection import chi2

from toxsynth.classifier.rows import cap_real_rows, is_synthetic, validation_split
from toxsynth.config import in_range, one_of

Labelled = list[tuple[list[str], np.ndarray]]  # per category: the texts a detector fits on, and their labels

# ASCII word characters, two or more, and no \b: onnxruntime's regex engine treats \w and \b as ASCII-only while
# Python's are Unicode, so this is the one pattern both sides tokenize identically (export checks it).
TOKEN_PATTERN = r"[a-zA-Z0-9_]{2,}"


@dataclass(frozen=True)
class FeatureParams:
    max_features: int = 10_000  # vocabulary size; each detector's first layer is max_features x 600 floats
    ngram_max: int = 2  # word n-grams 1..ngram_max
    min_df: int = 2  # ignore n-grams seen in fewer texts
    selection: str = "chi2"  # chi2: per_category informative n-grams per category first | df: by frequency only
    per_category: int = 2000  # with chi2: n-grams per category ranked by chi-squared against its label

    def __post_init__(self):
        in_range(self, "[1, inf)", "max_features", "ngram_max", "min_df")
        in_range(self, "[0, inf)", "per_category")
        one_of(self, "selection", ("chi2", "df"))


def ranked(terms: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Terms by score, descending, ties by the term itself: a total order, the same on every CPU."""
    return terms[np.lexsort((terms, -scores))]


def informative_terms(counter: CountVectorizer, terms: np.ndarray, labelled: Labelled, k: int) -> set[str]:
    """Each category's `k` n-grams with the highest chi-squared statistic of presence against its label."""
    kept: set[str] = set()
    for texts, labels in labelled:
        scores, _ = chi2(counter.transform(texts), labels)
        # rounded so that float noise in the last bits cannot reorder ties
        kept |= {str(t) for t in ranked(terms, np.round(np.nan_to_num(scores), 6))[:k]}
    return kept


def stable_vocabulary(texts: list[str], params: FeatureParams, labelled: Labelled = ()) -> dict[str, int]:
    """With `selection: chi2`, each category's `per_category` most informative n-grams (`labelled`: its fit rows),
    then the n-grams with the highest document frequency up to `max_features`, ties broken by the term itself,
    then closed under member words; the same set on every CPU and for every order of `texts`.

    scikit-learn's own `max_features` cut sorts float term counts with an unstable sort, so which of several tied
    n-grams survive differs between machines. Closure: onnxruntime only finds a bigram when both of its words are
    unigrams of the vocabulary, so every word of a kept bigram is kept too (export's parity check confirms it).
    """
    counter = CountVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, params.ngram_max), min_df=params.min_df,
                              binary=True, dtype=np.int64)
    doc_freq = np.asarray(counter.fit_transform(texts).sum(axis=0)).ravel()
    terms = counter.get_feature_names_out()
    kept = informative_terms(counter, terms, labelled, params.per_category) if params.selection == "chi2" else set()
    frequent = (str(t) for t in ranked(terms, doc_freq) if str(t) not in kept)
    kept |= set(itertools.islice(frequent, max(0, params.max_features - len(kept))))
    kept |= {word for term in kept for word in term.split(" ")}
    return {term: i for i, term in enumerate(sorted(kept))}


def fit_features(texts: list[str], params: FeatureParams, labelled: Labelled = ()) -> TfidfVectorizer:
    """A TF-IDF vectorizer over the stable vocabulary, its IDF fitted on `texts` (each text once, sorted)."""
    texts = sorted(set(texts))
    # sublinear_tf stays off: skl2onnx ignores it, which would break ONNX parity.
    vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, params.ngram_max),
                                 vocabulary=stable_vocabulary(texts, params, labelled), sublinear_tf=False,
                                 dtype=np.float32)
    return vectorizer.fit(texts)


def feature_rows(records: list[dict], categories: tuple[str, ...], max_rows: int, validation_fraction: float,
                 seed: int) -> tuple[list[str], Labelled]:
    """What the shared features of the detectors trained on `records` are fitted on: every category's capped real
    rows (IDF, frequencies), and per category the part a detector fits on (chi-squared; never validation rows)."""
    capped = [cap_real_rows([r for r in records if r["category"] == c and not is_synthetic(r)], max_rows, seed)
              for c in categories]
    labelled = []
    for rows in capped:
        fit, _ = validation_split(rows, validation_fraction, seed)
        labelled.append(([r["text"] for r in fit], np.array([r["label"] for r in fit])))
    return [r["text"] for rows in capped for r in rows], labelled
