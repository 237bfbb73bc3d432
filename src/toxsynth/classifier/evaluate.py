"""Detection metrics for the positive class, and the data behind the PR-curve and confusion-matrix plots."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, f1_score, precision_recall_curve,
                             precision_score, recall_score, roc_auc_score)

from toxsynth.classifier.runtime import decide

CURVE_POINTS = 200  # PR curves are thinned to about this many points for plotting


def metrics(y_true: np.ndarray, prob: np.ndarray, threshold: float) -> dict:
    y_pred = decide(prob, threshold)
    both = len(set(y_true.tolist())) == 2
    return {
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "roc_auc": float(roc_auc_score(y_true, prob)) if both else None,
        "pr_auc": float(average_precision_score(y_true, prob)) if both else None,
        "eval_pos": int(y_true.sum()), "eval_neg": int(len(y_true) - y_true.sum()), "threshold": threshold,
    }


def pr_curve(y_true: np.ndarray, prob: np.ndarray) -> list[dict]:
    precision, recall, _ = precision_recall_curve(y_true, prob)
    keep = np.unique(np.linspace(0, len(precision) - 1, min(CURVE_POINTS, len(precision))).astype(int))
    return [{"recall": round(float(recall[i]), 5), "precision": round(float(precision[i]), 5)} for i in keep]


def confusion_rows(y_true: np.ndarray, prob: np.ndarray, threshold: float) -> list[dict]:
    names = {0: "not harmful", 1: "harmful"}
    return [{"actual": names[int(a)], "predicted": names[int(p)]} for a, p in zip(y_true, decide(prob, threshold))]
