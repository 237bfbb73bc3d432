"""F1 of the detectors over several seeds: is a difference between runs bigger than training noise?

The seed moves the real-row sample (where train.max_rows caps the rows), the shared features, the validation split
(and so the threshold), the MLP's initial weights and its batch order: everything `dvc exp run -S seed=N` would move
after prepare. Run after `dvc repro augment` (needs data/prepared and data/augmented):

    python benchmarks/seed_spread.py --seeds 42 43 44 --models augmented
"""

from __future__ import annotations

import argparse

import numpy as np
from leave_one_source_out import shared_features
from sklearn.metrics import average_precision_score

from toxsynth import CATEGORIES
from toxsynth.classifier.confidence import f1_from_predictions
from toxsynth.classifier.features import FeatureParams
from toxsynth.classifier.model import TrainParams, train
from toxsynth.config import Params
from toxsynth.jsonl import read_records

DATA = {"baseline": "data/prepared/train.jsonl", "augmented": "data/augmented/train.jsonl"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--eval", default="data/prepared/eval.jsonl")
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES))
    parser.add_argument("--models", nargs="+", choices=list(DATA), default=list(DATA))
    args = parser.parse_args()
    params = Params(args.params)
    train_params, feature_params = params.section(TrainParams, "train"), params.section(FeatureParams, "features")
    data = {m: read_records(DATA[m], ("id", "text", "label", "category", "source")) for m in args.models}
    real = read_records(DATA["baseline"], ("id", "text", "label", "category", "source"))
    evals = read_records(args.eval)
    f1s = {}
    print("category  model      seed  F1     PR-AUC  threshold", flush=True)
    for seed in args.seeds:
        features = shared_features(real, feature_params, train_params, seed)
        for category in args.categories:
            ev = [r for r in evals if r["category"] == category]
            labels = np.array([r["label"] for r in ev])
            for model, records in data.items():
                pipeline, meta = train(records, category, features, train_params, seed)
                proba = pipeline.predict_proba([r["text"] for r in ev])[:, 1]
                f1 = float(f1_from_predictions(labels, (proba > meta["threshold"]).astype(int)))
                f1s.setdefault((category, model), []).append(f1)
                print(f"{category:<9} {model:<10} {seed:<5} {f1:.3f}  {average_precision_score(labels, proba):.3f}   "
                      f"{meta['threshold']:.3f}", flush=True)
    print("\ncategory  model      F1 mean  sd     range (max - min)")
    for (category, model), values in sorted(f1s.items()):
        print(f"{category:<9} {model:<10} {np.mean(values):.3f}    {np.std(values, ddof=1) if len(values) > 1 else 0:.3f}  "
              f"{max(values) - min(values):.3f}")


if __name__ == "__main__":
    main()
