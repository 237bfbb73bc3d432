"""Data-budget curve: where synthetic data helps a detector that has few real rows, measured with intervals.

For each real-row budget and seed, one stratified sample of the category's real training rows is shared by three
arms: `baseline` (the sample alone), `augmented` (plus the unique synthetic records, capped as the augment stage caps
them, relative to the sample) and `augmented_filter` (plus only the synthetic records that this budget's own
baseline model agrees with: the label filter, with no model that saw more real rows than the budget). Each model
is the shipped MLP, stopped early and given its threshold on a validation split carved from the sample; it is then
scored on the category's eval split. Seeds differ in the sample, the split and the MLP's initialisation.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed
from sklearn.metrics import average_precision_score

from toxsynth.augment import AugmentParams, augment
from toxsynth.classifier.confidence import bootstrap_indices, f1_from_predictions, interval, seed_mean_resamples
from toxsynth.classifier.model import TrainParams, train
from toxsynth.classifier.rows import cap_real_rows
from toxsynth.config import FieldError, in_range
from toxsynth.synthetic.label_filter import label_filter, positive_probability

log = logging.getLogger(__name__)

ARMS = ("baseline", "augmented", "augmented_filter")


@dataclass(frozen=True)
class CurveParams:
    budgets: tuple[int, ...] = (250, 1000, 4000)  # real training rows per category (a budget above what exists: all)
    seeds: int = 3  # seed, seed + 1, ...: each its own sample, validation split and initialisation
    bootstrap_rounds: int = 300  # resamples of the eval split for the intervals
    min_steps_per_epoch: int = 4  # small budgets train with smaller batches: at least this many Adam steps an epoch

    def __post_init__(self):
        if not self.budgets or min(self.budgets) < 50:
            raise FieldError("budgets", f"budgets must be one or more row counts >= 50, got {self.budgets}")
        in_range(self, "[1, inf)", "seeds", "bootstrap_rounds", "min_steps_per_epoch")


def budget_train_params(params: TrainParams, category: str, rows: int, min_steps: int) -> TrainParams:
    """The category's params (per_category applied) for a sample of `rows`: no cap, at least `min_steps` per epoch."""
    params = params.for_category(category)
    return dataclasses.replace(params, max_rows=0, batch_size=max(1, min(params.batch_size, rows // min_steps)))


def fit_arms(sample: list[dict], synthetic: list[dict], category: str, features, train_params: TrainParams,
             aug: AugmentParams, eval_texts: list[str], seed: int) -> dict:
    """arm -> {prob, threshold, synthetic}: the three models of one sample, scored on the eval texts."""
    out = {}
    baseline, meta = train(sample, category, features, train_params, seed)
    out["baseline"] = {"prob": baseline.predict_proba(eval_texts)[:, 1], "threshold": meta["threshold"], "synthetic": 0}
    kept, _, _ = label_filter(synthetic, {category: (positive_probability(baseline), meta["threshold"])}, aug.filter)
    for arm, offered in (("augmented", synthetic), ("augmented_filter", kept)):
        rows, report = augment(sample, offered, (category,), aug, seed)
        model, meta = train(rows, category, features, train_params, seed)
        out[arm] = {"prob": model.predict_proba(eval_texts)[:, 1], "threshold": meta["threshold"],
                    "synthetic": sum(report[category]["synthetic"].values())}
    return out


def summarize(y: np.ndarray, runs: dict[str, list[dict]], rounds: int, seed: int) -> dict:
    """Per arm: F1 and PR-AUC mean, sd over seeds and a bootstrap interval of the seed mean (eval rows and seeds
    resampled); for the augmented arms also the paired bootstrap of their difference to baseline (the same resampled
    rows and seeds: a seed's arms share its real sample)."""
    idx = bootstrap_indices(len(y), rounds, seed)
    resampled = {arm: seed_mean_resamples(y, [(r["prob"], r["threshold"]) for r in rs], idx, seed)
                 for arm, rs in runs.items()}
    out = {}
    for arm, rs in runs.items():
        f1 = [float(f1_from_predictions(y, (r["prob"] > r["threshold"]).astype(int))) for r in rs]
        pr_auc = [float(average_precision_score(y, r["prob"])) for r in rs]
        (f1_low, f1_high), (pr_low, pr_high) = (interval(v) for v in resampled[arm])
        out[arm] = {"f1_mean": float(np.mean(f1)), "f1_sd": float(np.std(f1, ddof=1)) if len(f1) > 1 else 0.0,
                    "f1_ci_low": f1_low, "f1_ci_high": f1_high,
                    "pr_auc_mean": float(np.mean(pr_auc)),
                    "pr_auc_sd": float(np.std(pr_auc, ddof=1)) if len(pr_auc) > 1 else 0.0,
                    "pr_auc_ci_low": pr_low, "pr_auc_ci_high": pr_high,
                    "synthetic_rows_mean": float(np.mean([r["synthetic"] for r in rs])), "f1_seeds": f1,
                    "pr_auc_seeds": pr_auc}
        if arm != "baseline":
            base = out["baseline"]
            deltas = (a - b for a, b in zip(resampled[arm], resampled["baseline"]))
            (df_low, df_high), (dp_low, dp_high) = (interval(d) for d in deltas)
            out[arm]["minus_baseline"] = {
                "f1": out[arm]["f1_mean"] - base["f1_mean"], "f1_ci_low": df_low, "f1_ci_high": df_high,
                "pr_auc": out[arm]["pr_auc_mean"] - base["pr_auc_mean"], "pr_auc_ci_low": dp_low,
                "pr_auc_ci_high": dp_high, "f1_significant": bool(df_low > 0 or df_high < 0),
                "pr_auc_significant": bool(dp_low > 0 or dp_high < 0)}
    return out


def curves(eval_rows: dict[str, list[dict]], real: list[dict], synthetic: list[dict], features,
           train_params: TrainParams, aug: AugmentParams, params: CurveParams, seed: int) -> dict:
    """{category: {budget: {real_rows, real_positives, <arm>: summary}}} for the categories of `eval_rows`. Every
    category's samples go to one pool of processes, the largest first, so no core idles while another finishes a
    category; each sample's fits depend on the sample and its seed only, not on the order or the worker count."""
    jobs = []  # (category, budget, seed, sample)
    for category in eval_rows:
        pool = cap_real_rows([r for r in real if r["category"] == category], train_params.max_rows, seed)
        jobs += [(category, budget, run_seed, cap_real_rows(pool, budget, run_seed))
                 for budget in params.budgets for run_seed in range(seed, seed + params.seeds)]
    offered = {c: [r for r in synthetic if r["category"] == c] for c in eval_rows}
    texts = {c: [r["text"] for r in rows] for c, rows in eval_rows.items()}
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][3]))
    # one process per core: each fit is mostly single-threaded numpy
    fitted = Parallel(n_jobs=min(len(jobs), os.cpu_count() or 1))(
        delayed(fit_arms)(sample, offered[category], category, features,
                          budget_train_params(train_params, category, len(sample), params.min_steps_per_epoch),
                          aug, texts[category], run_seed)
        for category, _, run_seed, sample in (jobs[i] for i in order))
    results = dict(zip(order, fitted))
    out = {}
    for category, rows in eval_rows.items():
        y, out[category] = np.array([r["label"] for r in rows]), {}
        for budget in params.budgets:
            chosen = [(job[3], results[i]) for i, job in enumerate(jobs) if job[:2] == (category, budget)]
            runs = {arm: [result[arm] for _, result in chosen] for arm in ARMS}
            sample = chosen[0][0]
            point = out[category][str(budget)] = {
                "real_rows": len(sample), "real_positives": int(sum(r["label"] for r in sample)),
                **summarize(y, runs, params.bootstrap_rounds, seed)}
            log.info("%s, %d real rows: PR-AUC %s", category, len(sample),
                     ", ".join(f"{arm} {point[arm]['pr_auc_mean']:.3f}" for arm in ARMS))
    return out


def category_curve(category: str, real: list[dict], synthetic: list[dict], eval_rows: list[dict], features,
                   train_params: TrainParams, aug: AugmentParams, params: CurveParams, seed: int) -> dict:
    """{budget: {real_rows, real_positives, <arm>: summary}} for one category."""
    return curves({category: eval_rows}, real, synthetic, features, train_params, aug, params, seed)[category]


def plot_rows(curve: dict, metric: str) -> list[dict]:
    """One row per budget: {budget, <arm>: seed-mean metric}, for a `dvc plots` line per arm."""
    return [{"budget": point["real_rows"], **{arm: round(point[arm][f"{metric}_mean"], 5) for arm in ARMS}}
            for point in curve.values()]
