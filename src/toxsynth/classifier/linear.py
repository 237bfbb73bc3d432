"""The plain linear text model: TF-IDF word 1-2-grams + balanced LogisticRegression, as a user would write it.

It is the reference every evaluation shows, and, with `train.distill`, the teacher whose out-of-fold probabilities
soften the MLP's training targets. Its fits run on one BLAS thread: L-BFGS's vector sums split over threads change
the last bits of the coefficients with the core count (and through the teacher every distilled MLP), and one thread
is no slower for these sparse fits."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits


def linear_pipeline(seed: int) -> Pipeline:
    """scikit-learn defaults plus word 1-2-grams seen twice, sublinear tf and balanced classes."""
    return Pipeline([("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
                     ("lr", LogisticRegression(class_weight="balanced", max_iter=1000, random_state=seed))])


def fit_linear(texts: list[str], labels: np.ndarray, seed: int) -> Pipeline:
    """`linear_pipeline(seed)` fitted on one BLAS thread, so the same rows give the same model on any machine's core
    count."""
    with threadpool_limits(1, user_api="blas"):
        return linear_pipeline(seed).fit(texts, labels)


def out_of_fold_probabilities(texts: list[str], labels: np.ndarray, seed: int, folds: int = 2) -> np.ndarray:
    """Each text's positive probability from a linear pipeline fitted on the other folds (stratified, seeded), so no
    text is scored by a model that saw it."""
    prob = np.empty(len(texts))
    texts_ = np.asarray(texts, dtype=object)
    for fit, held in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts_, labels):
        model = fit_linear(list(texts_[fit]), labels[fit], seed)
        prob[held] = model.predict_proba(list(texts_[held]))[:, 1]
    return prob
