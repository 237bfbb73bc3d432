"""Which decision-threshold rule carries to new sources? Threshold rules scored off-domain and in-domain, train only.

Per category, each leave-one-source-out fold (as in benchmarks/leave_one_source_out.py) and one in-domain dev fold
(10 % of the category's training rows, grouped, stratified) trains the MLP on the rest with the current params (plus
any --set overrides). Each rule then picks a threshold on that model's own validation rows, and the fold's held-out
rows are scored at it. Rules: F-beta for each --betas value (1 is the F1 cut), `prior` (the training share of
positives: what a balanced model's 0.5 cut would be if the MLP were calibrated), `source_mean` (the cut with the best
mean per-source F1 on validation), `bootstrap` (the median F1 cut over 50 resamples of validation) and
`prevalence_mix` (the cut with the best mean of F1 on validation as it is and reweighted to half positives). The
reference (TF-IDF + balanced LogisticRegression at 0.5) is the bar. The eval split is not read.
Run after `dvc repro prepare`:

    python benchmarks/threshold_study.py --categories political violence --set train.input_dropout=0.3
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np
from detector_study import overrides, with_overrides
from leave_one_source_out import MIN_PER_LABEL, fbeta_cuts, held_out_rows, validation_scores

from toxsynth import CATEGORIES
from toxsynth.classifier.confidence import f1_from_predictions
from toxsynth.classifier.features import FeatureParams, feature_rows, fit_features
from toxsynth.classifier.model import TrainParams, best_threshold, train
from toxsynth.classifier.reference import train_reference
from toxsynth.classifier.rows import validation_split
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json


def source_mean_threshold(y: np.ndarray, prob: np.ndarray, sources: np.ndarray) -> float:
    groups = [sources == s for s in sorted(set(sources)) if y[sources == s].sum() >= 10]
    grid = np.unique(np.quantile(prob, np.linspace(0.5, 0.995, 200)))
    if not groups:
        return best_threshold(y, prob)
    means = [np.mean([f1_from_predictions(y[g], (prob[g] > t).astype(int)) for g in groups]) for t in grid]
    return float(grid[int(np.argmax(means))])


def bootstrap_threshold(y: np.ndarray, prob: np.ndarray, seed: int, rounds: int = 50, beta: float = 1.0) -> float:
    """The median F-beta cut over `rounds` bootstrap resamples of the validation rows (the bagged cut)."""
    rng = np.random.default_rng(seed)
    picks = [rng.integers(0, len(y), len(y)) for _ in range(rounds)]
    return float(np.median([best_threshold(y[i], prob[i], beta) for i in picks if y[i].any()]))


def prevalence_mix_threshold(y: np.ndarray, prob: np.ndarray, prevalences=(None, 0.5)) -> float:
    """The cut with the best mean F1 over the validation rows reweighted to each prevalence (None: as they are), so
    the cut also suits sources where positives are common."""
    order = np.argsort(-prob, kind="stable")
    p, labels, share = prob[order], y[order], y.mean()
    total = np.zeros(len(y))
    for prevalence in prevalences:
        w_pos, w_neg = (1.0, 1.0) if prevalence is None else (prevalence / share, (1 - prevalence) / (1 - share))
        tp, fp = np.cumsum(labels) * w_pos, np.cumsum(1 - labels) * w_neg
        total += 2 * tp / (tp + fp + labels.sum() * w_pos)
    k = int(np.argmax(np.where(np.r_[p[:-1] > p[1:], True], total, -1.0)))
    return float((p[k] + p[k + 1]) / 2) if k + 1 < len(p) else float(p[k] / 2)


def thresholds(model, rows: list[dict], params: TrainParams, category: str, betas: list[float], seed: int) -> dict:
    """Every rule's cut, chosen on the validation rows `train` carved (the same split, recomputed)."""
    fit, val, y, prob = validation_scores(model, rows, params, category, seed)
    sources = np.array([r["source"] for r in val])
    return {**fbeta_cuts(y, prob, betas), "prior": float(np.mean([r["label"] for r in fit])),
            "source_mean": source_mean_threshold(y, prob, sources), "bootstrap": bootstrap_threshold(y, prob, seed),
            "prevalence_mix": prevalence_mix_threshold(y, prob)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES))
    parser.add_argument("--betas", type=float, nargs="+", default=[1.0, 1.5, 2.0])
    parser.add_argument("--set", default="", help="section.key=value,... e.g. train.input_dropout=0.3")
    parser.add_argument("--out", default="reports/threshold_study.json")
    args = parser.parse_args()
    params, (_, changes) = Params(args.params), overrides(f"set={args.set}")
    seed = params.seed()
    feature_params, train_params = with_overrides(changes, params.section(FeatureParams, "features"),
                                                  params.section(TrainParams, "train"))
    records = read_records(args.train, ("id", "text", "label", "category", "source"))
    by_category = {c: sorted((r for r in records if r["category"] == c), key=lambda r: r["id"]) for c in CATEGORIES}
    report = defaultdict(dict)
    for category in args.categories:
        rows = by_category[category]
        rest_dev, dev = validation_split(rows, 0.1, f"{seed}:threshold-dev")
        dev_ids = {r["id"] for r in dev}
        folds = {"(in-domain dev)": (rest_dev, dev, lambda r: not (r["category"] == category and r["id"] in dev_ids))}
        counts = defaultdict(lambda: [0, 0])
        for r in rows:
            counts[r["source"]][r["label"]] += 1
        for source in sorted(s for s, (neg, pos) in counts.items() if min(neg, pos) >= MIN_PER_LABEL):
            folds[source] = ([r for r in rows if r["source"] != source],
                             held_out_rows([r for r in rows if r["source"] == source], 3000, seed),
                             lambda r, source=source: r["source"] != source)
        for name, (rest, test, keep) in folds.items():
            texts, labelled = feature_rows([r for c in CATEGORIES for r in by_category[c] if keep(r)], CATEGORIES,
                                           train_params.max_rows, train_params.validation_fraction, seed)
            model, _ = train(rest, category, fit_features(texts, feature_params, labelled), train_params, seed)
            y, test_texts = np.array([r["label"] for r in test]), [r["text"] for r in test]
            prob = model.predict_proba(test_texts)[:, 1]
            cuts = thresholds(model, rest, train_params, category, args.betas, seed)
            fold = {rule: round(float(f1_from_predictions(y, (prob > cut).astype(int))), 4) for rule, cut in cuts.items()}
            reference, _ = train_reference(rest, category, train_params, seed)
            fold["reference"] = round(float(f1_from_predictions(y, reference.predict(test_texts))), 4)
            report[category][name] = fold
            print(f"{category:<10} {name:<25} " + "  ".join(f"{k} {v:.3f}" for k, v in fold.items()), flush=True)
        held_out = [f for name, f in report[category].items() if not name.startswith("(")]
        mean = {rule: round(float(np.mean([f[rule] for f in held_out])), 4) for rule in held_out[0]}
        report[category]["(mean over held-out sources)"] = mean
        print(f"{category:<10} {'mean over held-out sources':<25} " + "  ".join(f"{k} {v:.3f}" for k, v in mean.items()),
              flush=True)
    write_json(args.out, {"set": args.set, "categories": report})


if __name__ == "__main__":
    main()
