"""Train one category's detector: the shared TF-IDF features and a 600x600 MLP, stopped early and given its
decision threshold on a validation split carved from train (the eval split is never used for a choice)."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import average_precision_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline

from toxsynth.classifier.linear import out_of_fold_probabilities
from toxsynth.classifier.rows import cap_real_rows, data_hash, is_synthetic, validation_split
from toxsynth.classifier.torch_mlp import fit_sparse_mlp
from toxsynth import CATEGORIES
from toxsynth.config import FieldError, in_range, one_of

log = logging.getLogger(__name__)

CLASS_WEIGHTS = ("none", "balanced")
THRESHOLD_RULES = ("auto", "calibrated")
SHARED_KEYS = ("max_rows", "validation_fraction", "per_category")  # the features and augment stages read these too


@dataclass(frozen=True)
class TrainParams:
    hidden_layers: tuple[int, ...] = (600, 600)  # the paper's MLP: two hidden layers of 600
    alpha: float = 0.3  # L2 penalty (the study in README: 1e-4 memorises the training rows within 2 epochs)
    dropout: float = 0.5  # on each hidden layer's output while training (the study in README)
    input_dropout: float = 0.0  # while training, each n-gram of a text is dropped with this probability
    ema_decay: float = 0.99  # > 0: validate and keep the moving average of the weights over Adam steps (README)
    learning_rate_init: float = 1e-3
    batch_size: int = 500
    max_iter: int = 20  # epochs at most ...
    n_iter_no_change: int = 3  # ... stopping when the validation loss has not improved for this many epochs
    validation_fraction: float = 0.1  # of the real training rows, for early stopping and the threshold
    class_weight: str = "none"  # none | balanced (each label weighs as much as the other in the loss)
    max_rows: int = 30_000  # real training rows per category (stratified sample); 0 = all. Synthetic rows always stay
    threshold: float | str = "auto"  # auto: the F-beta-maximising cut on validation; calibrated: that F-beta / (1 +
    # beta^2), the optimal cut of a calibrated model (steadier over seeds); or a fixed probability
    threshold_beta: float = 1.0  # beta of that F-beta: 1 is F1; > 1 weighs recall more (README: the threshold study)
    distill: float = 0.0  # > 0: each training target is (1 - distill) * label + distill * the linear model's
    # out-of-fold probability (README: distillation study); validation keeps the labels
    per_category: dict = field(default_factory=dict)  # category -> {key: value} that replaces
    # the keys above for that category's detectors (README: per-category settings)

    def __post_init__(self):
        if self.threshold not in THRESHOLD_RULES and not (isinstance(self.threshold, float) and 0 < self.threshold < 1):
            raise FieldError("threshold", f"threshold must be one of {list(THRESHOLD_RULES)} or a number in (0, 1), "
                                          f"got {self.threshold!r}")
        one_of(self, "class_weight", CLASS_WEIGHTS)
        in_range(self, "(0, 1)", "validation_fraction")
        in_range(self, "[0, 1)", "dropout", "input_dropout", "ema_decay")
        in_range(self, "[0, 1]", "distill")
        in_range(self, "[1, inf)", "max_iter", "n_iter_no_change", "batch_size")
        in_range(self, "(0, inf)", "learning_rate_init", "threshold_beta")
        in_range(self, "[0, inf)", "alpha", "max_rows")
        if not self.hidden_layers or min(self.hidden_layers) < 1:
            raise FieldError("hidden_layers", f"hidden_layers must be one or more sizes >= 1, got {self.hidden_layers}")
        for category in self.per_category:
            self.for_category(category)

    def for_category(self, category: str) -> TrainParams:
        """These params with `per_category[category]` applied (a FieldError naming the entry when it is bad)."""
        if not self.per_category:
            return self
        prefix = f"per_category.{category}"
        if category not in CATEGORIES:
            raise FieldError("per_category", f"{prefix}: unknown category (known: {list(CATEGORIES)})")
        changes = self.per_category.get(category) or {}
        if not isinstance(changes, dict):
            raise FieldError("per_category", f"{prefix}: expected a mapping of train keys, got {changes!r}")
        known = {f.name: f.type for f in fields(self)}
        for key, value in changes.items():
            if key not in known or key in SHARED_KEYS:
                raise FieldError("per_category", f"{prefix}.{key}: not a per-category key (allowed: "
                                 f"{sorted(set(known) - set(SHARED_KEYS))})")
            if key == "hidden_layers" and isinstance(value, list):
                changes = {**changes, key: tuple(value)}
            elif known[key] in ("float", float) and type(value) is int:
                changes = {**changes, key: float(value)}
        try:
            return replace(self, per_category={}, **changes)
        except FieldError as e:
            raise FieldError("per_category", f"{prefix}: {e}") from None


def sample_weights(labels: np.ndarray, class_weight: str) -> np.ndarray | None:
    if class_weight == "none":
        return None
    counts = np.bincount(labels, minlength=2)
    return (len(labels) / (2 * counts))[labels]


def best_threshold(labels: np.ndarray, prob: np.ndarray, beta: float = 1.0) -> float:
    """The threshold t that maximises F-beta of `prob > t` (beta 1: F1), midway between two distinct scores."""
    return best_cut(labels, prob, beta)[0]


def best_cut(labels: np.ndarray, prob: np.ndarray, beta: float = 1.0) -> tuple[float, float]:
    """(best_threshold's cut, the F-beta it reaches on these rows)."""
    order = np.argsort(-prob, kind="stable")
    p, y = prob[order], labels[order]
    b2 = beta * beta  # F-beta of predicting the top k texts positive: (1 + b2) TP / (k + b2 positives)
    score = (1 + b2) * np.cumsum(y) / (np.arange(1, len(y) + 1) + b2 * y.sum())
    cut_ok = np.r_[p[:-1] > p[1:], True]  # a cut between tied scores is not a threshold
    k = int(np.argmax(np.where(cut_ok, score, -1.0)))
    return (float((p[k] + p[k + 1]) / 2) if k + 1 < len(p) else float(p[k] / 2)), float(score[k])


def calibrated_threshold(labels: np.ndarray, prob: np.ndarray, beta: float = 1.0) -> float:
    """F* / (1 + beta^2), F* the best F-beta on these rows: for calibrated probabilities the F-beta-optimal cut
    (Lipton et al. 2014, "Thresholding classifiers to maximize F1"). It moves with F*, which is flat near its
    optimum, rather than with where the argmax of a noisy F-beta curve lands."""
    return best_cut(labels, prob, beta)[1] / (1 + beta * beta)


def choose_threshold(labels: np.ndarray, prob: np.ndarray, params: TrainParams) -> float:
    """The decision threshold `params.threshold` names, from the validation labels and probabilities."""
    if params.threshold == "auto":
        return best_threshold(labels, prob, params.threshold_beta)
    if params.threshold == "calibrated":
        return calibrated_threshold(labels, prob, params.threshold_beta)
    return params.threshold


def fit_mlp(x, y, x_val, y_val, params: TrainParams, seed: int, targets: np.ndarray | None = None
            ) -> tuple[MLPClassifier, list[dict]]:
    """Adam one epoch at a time (PyTorch, sparse rows); keeps the weights of the epoch with the lowest validation
    loss, as a fitted scikit-learn MLPClassifier. `targets`: soft training targets instead of the labels `y`."""
    mlp, history, best_epoch = fit_sparse_mlp(
        x, y, x_val, y_val, sample_weights(y, params.class_weight), sample_weights(y_val, params.class_weight),
        hidden=params.hidden_layers, alpha=params.alpha, dropout=params.dropout,
        learning_rate=params.learning_rate_init, batch_size=params.batch_size, max_epochs=params.max_iter,
        patience=params.n_iter_no_change, seed=seed, ema_decay=params.ema_decay,
        input_dropout=params.input_dropout, targets=targets, log=log)
    mlp.best_epoch_ = best_epoch
    return mlp, history


def train(records: list[dict], category: str, features: TfidfVectorizer, params: TrainParams,
          seed: int) -> tuple[Pipeline, dict]:
    """Fit one category's pipeline on the fitted shared `features` (the study passes other fitted transformers too);
    return it with its metadata. `params.per_category` applies to `category` first."""
    params = params.for_category(category)
    rows = cap_real_rows([r for r in records if r["category"] == category], params.max_rows, seed)
    fit_rows, val_rows = validation_split(rows, params.validation_fraction, seed)
    y, y_val = (np.array([r["label"] for r in part], dtype=np.int64) for part in (fit_rows, val_rows))
    if len(set(y)) < 2 or len(set(y_val)) < 2:
        raise ValueError(f"{category}: training and validation need both labels ({len(rows)} rows)")
    log.info("%s: fitting on %d rows (%d positive), validating on %d", category, len(y), y.sum(), len(y_val))
    x, x_val = (features.transform([r["text"] for r in part]) for part in (fit_rows, val_rows))
    targets = None
    if params.distill > 0:
        teacher = out_of_fold_probabilities([r["text"] for r in fit_rows], y, seed)
        targets = (1 - params.distill) * y + params.distill * teacher
    mlp, history = fit_mlp(x, y, x_val, y_val, params, seed, targets)
    val_prob = mlp.predict_proba(x_val)[:, 1]
    threshold = choose_threshold(y_val, val_prob, params)
    val_pred = val_prob > threshold
    tp = int((val_pred & (y_val == 1)).sum())
    meta = {"category": category, "threshold": threshold, "train_data_sha256": data_hash(rows),
            "train_rows": len(rows), "train_positives": int(sum(r["label"] for r in rows)),
            "synthetic_rows": sum(is_synthetic(r) for r in rows), "features": x.shape[1],
            "best_epoch": mlp.best_epoch_, "epochs": len(history),
            "validation": {"rows": len(y_val), "positives": int(y_val.sum()),
                           "f1": round(2 * tp / (val_pred.sum() + y_val.sum()), 6),
                           "pr_auc": round(float(average_precision_score(y_val, val_prob)), 6)},
            "history": history, "params": asdict(params), "seed": seed}
    return Pipeline([("tfidf", features), ("mlp", mlp)]), meta
