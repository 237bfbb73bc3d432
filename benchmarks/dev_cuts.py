"""In-domain side of a threshold rule: F-beta cuts on dev folds over several training seeds, against the reference.

Per category and dev fold (10 % of the category's training rows, grouped and stratified, one fold per --folds name:
`threshold-dev` is threshold_study.py's fold, `dev` is detector_study.py's), the MLP is trained on the rest once per
seed with the current params; each --betas cut is chosen on that model's own validation rows (threshold_study's
rules) and the dev rows are scored at it. The shared features are fitted once per fold (with params' seed), or per
seed with --refit-features, as a seed moves them in the pipeline (seed_spread.py, `dvc exp run -S seed=N`). The
reference (TF-IDF + balanced LogisticRegression at 0.5) is trained once per fold. Prints F1 per seed, the seed mean
and range; the eval split is not read. Run after `dvc repro prepare`:

    python benchmarks/dev_cuts.py --categories hate violence political --betas 1 1.5 --out /tmp/dev_cuts.json
    python benchmarks/dev_cuts.py --categories hate --set train.distill=0.5 --out /tmp/dev_cuts_distill.json
    python benchmarks/dev_cuts.py --categories sexual --betas 1 --refit-features --out /tmp/dev_cuts_refit.json
    python benchmarks/dev_cuts.py --categories sexual --betas 1 --set train.threshold=calibrated  # also `own`: its cut
    python benchmarks/dev_cuts.py --categories hate political --betas 1.25 --bagged 200  # also bF1.25: bagged cut

`--bagged N` adds, per beta, the median of the F-beta cuts of N bootstrap resamples of the validation rows (rule
`bF<beta>`): does a cut less tied to one draw of validation rows move less between seeds?
"""

from __future__ import annotations

import argparse

import numpy as np
from detector_study import overrides, with_overrides
from leave_one_source_out import shared_features, validation_scores
from threshold_study import bootstrap_threshold, thresholds

from toxsynth import CATEGORIES
from toxsynth.classifier.confidence import f1_from_predictions
from toxsynth.classifier.features import FeatureParams
from toxsynth.classifier.model import TrainParams, train
from toxsynth.classifier.reference import train_reference
from toxsynth.classifier.rows import validation_split
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES))
    parser.add_argument("--folds", nargs="+", default=["threshold-dev", "dev"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument("--betas", type=float, nargs="+", default=[1.0, 1.5])
    parser.add_argument("--set", default="", help="section.key=value,... e.g. train.distill=0.5")
    parser.add_argument("--refit-features", action="store_true",
                        help="refit the shared features per seed, as seed_spread.py and `dvc exp run -S seed=N` do")
    parser.add_argument("--bagged", type=int, default=0, help="also the bagged cut of this many resamples per beta")
    parser.add_argument("--out", default="reports/dev_cuts.json")
    args = parser.parse_args()
    params, (_, changes) = Params(args.params), overrides(f"set={args.set}")
    seed = params.seed()
    feature_params, train_params = with_overrides(changes, params.section(FeatureParams, "features"),
                                                  params.section(TrainParams, "train"))
    records = read_records(args.train, ("id", "text", "label", "category", "source"))
    by_category = {c: sorted((r for r in records if r["category"] == c), key=lambda r: r["id"]) for c in CATEGORIES}
    report = {}
    for fold in args.folds:
        for category in args.categories:
            rest, dev = validation_split(by_category[category], 0.1, f"{seed}:{fold}")
            dev_ids = {r["id"] for r in dev}
            without_dev = [r for c in CATEGORIES for r in by_category[c] if not (c == category and r["id"] in dev_ids)]
            features = None if args.refit_features else shared_features(without_dev, feature_params, train_params, seed)
            y, dev_texts = np.array([r["label"] for r in dev]), [r["text"] for r in dev]
            reference, _ = train_reference(rest, category, train_params, seed)
            scores = {"reference": round(float(f1_from_predictions(y, reference.predict(dev_texts))), 4)}
            for run_seed in args.seeds:
                fitted = features if features is not None else shared_features(without_dev, feature_params,
                                                                               train_params, run_seed)
                model, meta = train(rest, category, fitted, train_params, run_seed)
                prob = model.predict_proba(dev_texts)[:, 1]
                cuts = thresholds(model, rest, train_params, category, args.betas, run_seed)
                rules = [f"F{beta:g}" for beta in args.betas]
                if args.bagged:
                    _, _, y_val, p_val = validation_scores(model, rest, train_params, category, run_seed)
                    for beta in args.betas:
                        cuts[f"bF{beta:g}"] = bootstrap_threshold(y_val, p_val, run_seed, args.bagged, beta)
                    rules += [f"bF{beta:g}" for beta in args.betas]
                if train_params.for_category(category).threshold != "auto":  # the params' own rule, e.g. calibrated
                    cuts["own"], rules = meta["threshold"], rules + ["own"]
                for rule in rules:
                    f1 = float(f1_from_predictions(y, (prob > cuts[rule]).astype(int)))
                    scores.setdefault(rule, []).append(round(f1, 4))
            report.setdefault(fold, {})[category] = scores
            print(f"{fold:<14} {category:<10} reference {scores['reference']:.3f}  " + "  ".join(
                f"{rule} {np.mean(v):.3f} (range {max(v) - min(v):.3f}: {', '.join(f'{x:.3f}' for x in v)})"
                for rule, v in scores.items() if rule != "reference"), flush=True)
    write_json(args.out, {"set": args.set, "seeds": args.seeds, "refit_features": args.refit_features,
                          "folds": report})


if __name__ == "__main__":
    main()
