"""Does a large-vocabulary linear partner carry the MLP to new sources? A soft vote, scored leave-one-source-out.

Per category and held-out source (the folds of benchmarks/leave_one_source_out.py; train rows only, the eval split is
not read), the default MLP is trained as the train stage does, and a partner on the same fit rows: every 1-2-gram
seen twice (the ASCII token pattern an ONNX graph could read), sublinear tf, balanced LogisticRegression. Each vote
(1 - w) * MLP + w * partner takes its F1 cut on the MLP's own validation rows; w = 0 is the shipped MLP, w = 1 the
partner alone. The partner alone at its own 0.5 and the reference (balanced LR at 0.5, trained on all the rows) are
the bars. Run after `dvc repro prepare`:

    python benchmarks/partner_study.py --categories political sexual --weights 0 0.3 0.5 0.7 1
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np
from leave_one_source_out import features_without, held_out_rows, held_out_sources
from sklearn.pipeline import Pipeline

from toxsynth import CATEGORIES
from toxsynth.classifier.confidence import f1_from_predictions
from toxsynth.classifier.features import TOKEN_PATTERN, FeatureParams
from toxsynth.classifier.linear import linear_pipeline
from toxsynth.classifier.model import TrainParams, best_threshold, train
from toxsynth.classifier.reference import train_reference
from toxsynth.classifier.rows import cap_real_rows, validation_split
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json


def partner(seed: int) -> Pipeline:
    """The reference's recipe (linear.py) with the ASCII token pattern the ONNX export reads."""
    return linear_pipeline(seed).set_params(tfidf__token_pattern=TOKEN_PATTERN, tfidf__dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES))
    parser.add_argument("--weights", type=float, nargs="+", default=[0, 0.3, 0.5, 0.7, 1])
    parser.add_argument("--sources", nargs="+", help="only these held-out sources (default: every one)")
    parser.add_argument("--out", default="reports/partner_study.json")
    args = parser.parse_args()
    params = Params(args.params)
    seed, tp, fp = params.seed(), params.section(TrainParams, "train"), params.section(FeatureParams, "features")
    records = read_records(args.train, ("id", "text", "label", "category", "source"))
    by_category = {c: sorted((r for r in records if r["category"] == c), key=lambda r: r["id"]) for c in CATEGORIES}
    report = defaultdict(dict)
    for category in args.categories:
        for source in held_out_sources(by_category[category]):
            if args.sources and source not in args.sources:
                continue
            rest = [r for r in by_category[category] if r["source"] != source]
            test = held_out_rows([r for r in by_category[category] if r["source"] == source], 3000, seed)
            mlp, _ = train(rest, category, features_without(by_category, source, fp, tp, seed), tp, seed)
            fit, val = validation_split(cap_real_rows(rest, tp.max_rows, seed), tp.validation_fraction, seed)
            linear = partner(seed).fit([r["text"] for r in fit], np.array([r["label"] for r in fit]))
            y, y_val = (np.array([r["label"] for r in part]) for part in (test, val))
            scored = {name: (model.predict_proba([r["text"] for r in val])[:, 1],
                             model.predict_proba([r["text"] for r in test])[:, 1]) for name, model in
                      (("mlp", mlp), ("partner", linear))}
            fold = {}
            for w in args.weights:
                vote_val, vote = ((1 - w) * m + w * p for m, p in zip(scored["mlp"], scored["partner"]))
                fold[f"w={w:g}"] = f1_from_predictions(y, (vote > best_threshold(y_val, vote_val)).astype(int))
            fold["partner at 0.5"] = f1_from_predictions(y, (scored["partner"][1] > 0.5).astype(int))
            reference, meta = train_reference(rest, category, tp, seed)
            prob = reference.predict_proba([r["text"] for r in test])[:, 1]
            fold["reference"] = f1_from_predictions(y, (prob > meta["threshold"]).astype(int))
            report[category][source] = {k: round(float(v), 4) for k, v in fold.items()}
            print(f"{category:<10} {source:<25} " + "  ".join(f"{k} {v:.3f}" for k, v in fold.items()), flush=True)
        mean = {rule: round(float(np.mean([f[rule] for f in report[category].values()])), 4) for rule in fold}
        report[category]["(mean over held-out sources)"] = mean
        print(f"{category:<10} {'mean':<25} " + "  ".join(f"{k} {v:.3f}" for k, v in mean.items()), flush=True)
    write_json(args.out, report)


if __name__ == "__main__":
    main()
