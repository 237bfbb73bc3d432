"""Uncertainty of detection metrics: bootstrap intervals, paired bootstrap of a difference, per-source figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import average_precision_score, precision_score, recall_score

from toxsynth.config import in_range

LEVEL = 0.95
_TAILS = (100 * (1 - LEVEL) / 2, 100 * (1 + LEVEL) / 2)  # 2.5th and 97.5th percentiles


@dataclass(frozen=True)
class EvaluateParams:
    bootstrap_rounds: int = 1000  # resamples of the eval split for the 95% intervals

    def __post_init__(self):
        in_range(self, "[1, inf)", "bootstrap_rounds")


def bootstrap_indices(n: int, rounds: int, seed: int) -> np.ndarray:
    """[rounds, n] row indices drawn with replacement, from np.random.default_rng(seed)."""
    return np.random.default_rng(seed).integers(0, n, size=(rounds, n))


def f1_from_predictions(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """F1 of the positive class along the last axis of 0/1 arrays [..., n]; 0 where undefined (as sklearn's
    zero_division=0): 2 TP / (actual positives + predicted positives)."""
    t, p = np.asarray(y_true) == 1, np.asarray(y_pred) == 1
    tp = np.count_nonzero(t & p, axis=-1)
    total = np.count_nonzero(t, axis=-1) + np.count_nonzero(p, axis=-1)
    return np.divide(2.0 * tp, total, out=np.zeros(np.shape(tp), dtype=float), where=total > 0)


def _labels(prob: np.ndarray, threshold: float) -> np.ndarray:
    return (np.asarray(prob) > threshold).astype(np.int8)  # the rule of runtime.decide, without onnxruntime


def pr_auc_resamples(y_true: np.ndarray, prob: np.ndarray, idx: np.ndarray, chunk: int = 128) -> np.ndarray:
    """PR-AUC per resample, NaN where the resample has one class only: scikit-learn's average precision (the same
    sum over the distinct scores, sum(recall step * precision)), vectorised. A resample is the original rows weighted
    by how often it drew each, so one sort serves every round; a score it did not draw adds a step of 0."""
    n = len(y_true)
    order = np.argsort(-prob, kind="stable")
    positive = np.asarray(y_true, dtype=float)[order]
    ends = np.r_[np.flatnonzero(np.diff(prob[order])), n - 1]  # the last row of each distinct score
    out = np.full(len(idx), np.nan)
    for start in range(0, len(idx), chunk):
        rows = idx[start:start + chunk]
        counts = np.bincount((rows + n * np.arange(len(rows))[:, None]).ravel(),
                             minlength=len(rows) * n).reshape(len(rows), n)[:, order]
        tp = np.cumsum(counts * positive, axis=1)[:, ends]
        drawn = np.cumsum(counts, axis=1)[:, ends]
        both = (tp[:, -1] > 0) & (tp[:, -1] < drawn[:, -1])
        tp, drawn = tp[both], drawn[both]
        precision = np.divide(tp, drawn, out=np.zeros_like(tp), where=drawn > 0)
        steps = np.diff(tp, axis=1, prepend=0.0) / tp[:, -1:]
        out[start + np.flatnonzero(both)] = np.sum(steps * precision, axis=1)
    return out


def _ci(values: np.ndarray) -> tuple[float | None, float | None]:
    values = values[~np.isnan(values)]
    if not len(values):
        return None, None
    low, high = np.percentile(values, _TAILS)
    return float(low), float(high)


def _point_pr_auc(y_true: np.ndarray, prob: np.ndarray) -> float | None:
    return float(average_precision_score(y_true, prob)) if 0 < y_true.sum() < len(y_true) else None


def intervals(y_true, prob, threshold, rounds=1000, seed=0) -> dict:
    """95% percentile-bootstrap intervals of F1 (label = prob > threshold) and PR-AUC over the same resamples;
    flat float keys (None for PR-AUC when no resample has both classes)."""
    y_true, prob = np.asarray(y_true).astype(np.int8), np.asarray(prob, dtype=float)
    idx = bootstrap_indices(len(y_true), rounds, seed)
    f1 = f1_from_predictions(y_true[idx], _labels(prob, threshold)[idx])
    (f1_low, f1_high), (pr_low, pr_high) = _ci(f1), _ci(pr_auc_resamples(y_true, prob, idx))
    return {"f1_ci_low": f1_low, "f1_ci_high": f1_high, "pr_auc_ci_low": pr_low, "pr_auc_ci_high": pr_high}


def interval(values: np.ndarray) -> tuple[float | None, float | None]:
    """The 95% percentile interval of bootstrap values (NaN resamples left out)."""
    return _ci(np.asarray(values, dtype=float))


def seed_mean_resamples(y_true, runs: Sequence[tuple[np.ndarray, float]], idx: np.ndarray, seed: int):
    """(F1, PR-AUC) per bootstrap round: the mean over a resample of `runs` (drawn with replacement, so the interval
    carries the spread between training seeds) of each run's metric on that round's rows of `idx`. `runs` is a list
    of (probabilities, threshold) of models trained with different seeds and scored on the same rows; callers that
    pass the same `idx`, `seed` and number of runs get the same draws, so two arms' rounds are paired."""
    y = np.asarray(y_true).astype(np.int8)
    f1 = np.stack([f1_from_predictions(y[idx], _labels(prob, thr)[idx]) for prob, thr in runs], axis=1)
    pr_auc = np.stack([pr_auc_resamples(y, np.asarray(prob, dtype=float), idx) for prob, _ in runs], axis=1)
    chosen = np.random.default_rng(seed).integers(0, len(runs), size=(len(idx), len(runs)))  # [rounds, runs]
    return (np.take_along_axis(f1, chosen, axis=1).mean(axis=1),
            np.nanmean(np.take_along_axis(pr_auc, chosen, axis=1), axis=1))


def paired_resamples(y_true, prob_a, threshold_a, prob_b, threshold_b, idx: np.ndarray):
    """(F1 of A - F1 of B, PR-AUC of A - PR-AUC of B) per bootstrap round of `idx` [rounds, n], on the same rows;
    PR-AUC is NaN where a round has one class only."""
    y_true = np.asarray(y_true).astype(np.int8)
    prob_a, prob_b = np.asarray(prob_a, dtype=float), np.asarray(prob_b, dtype=float)
    yt = y_true[idx]
    return (f1_from_predictions(yt, _labels(prob_a, threshold_a)[idx])
            - f1_from_predictions(yt, _labels(prob_b, threshold_b)[idx]),
            pr_auc_resamples(y_true, prob_a, idx) - pr_auc_resamples(y_true, prob_b, idx))


def paired_delta(y_true, prob_a, threshold_a, prob_b, threshold_b, rounds=1000, seed=0) -> dict:
    """Paired bootstrap of A minus B on the same resampled rows; significant when the F1 interval excludes 0."""
    y_true = np.asarray(y_true).astype(np.int8)
    prob_a, prob_b = np.asarray(prob_a, dtype=float), np.asarray(prob_b, dtype=float)
    pred_a, pred_b = _labels(prob_a, threshold_a), _labels(prob_b, threshold_b)
    f1_deltas, pr_deltas = paired_resamples(y_true, prob_a, threshold_a, prob_b, threshold_b,
                                            bootstrap_indices(len(y_true), rounds, seed))
    (f1_low, f1_high), (pr_low, pr_high) = _ci(f1_deltas), _ci(pr_deltas)
    pr_a, pr_b = _point_pr_auc(y_true, prob_a), _point_pr_auc(y_true, prob_b)
    return {"f1": float(f1_from_predictions(y_true, pred_a) - f1_from_predictions(y_true, pred_b)),
            "f1_ci_low": f1_low, "f1_ci_high": f1_high,
            "pr_auc": None if pr_a is None else pr_a - pr_b, "pr_auc_ci_low": pr_low, "pr_auc_ci_high": pr_high,
            "significant": bool(f1_low > 0 or f1_high < 0)}


def by_source(y_true, prob, threshold, sources: Sequence[str]) -> dict:
    """{source: {rows, positives, f1, pr_auc (None for a one-label source), precision, recall}} by source name."""
    y_true, prob = np.asarray(y_true).astype(np.int8), np.asarray(prob, dtype=float)
    pred, sources = _labels(prob, threshold), np.asarray(sources, dtype=object)
    out = {}
    for name in sorted(set(sources.tolist())):
        m = sources == name
        y, p = y_true[m], pred[m]
        out[name] = {"rows": int(m.sum()), "positives": int(y.sum()), "f1": float(f1_from_predictions(y, p)),
                     "pr_auc": _point_pr_auc(y, prob[m]),
                     "precision": float(precision_score(y, p, zero_division=0)),
                     "recall": float(recall_score(y, p, zero_division=0))}
    return out
