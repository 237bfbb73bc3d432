"""F1 of the baseline and augmented detectors over several seeds: is an augmented-vs-baseline gap bigger than noise?

The seed moves the real-row sample (train.max_rows), the MLP's initial weights, its batch order and its
early-stopping split. Run after `dvc repro augment` (needs data/prepared and data/augmented):

    python benchmarks/seed_spread.py --seeds 42 43 --categories hate sexual
"""

from __future__ import annotations

import argparse

from sklearn.metrics import average_precision_score, f1_score

from toxsynth import CATEGORIES
from toxsynth.classifier.model import TrainParams, train
from toxsynth.classifier.runtime import decide
from toxsynth.config import Params
from toxsynth.jsonl import read_records

DATA = {"baseline": "data/prepared/train.jsonl", "augmented": "data/augmented/train.jsonl"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--eval", default="data/prepared/eval.jsonl")
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43])
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES))
    args = parser.parse_args()
    params = Params(args.params).section(TrainParams, "train")
    data = {model: read_records(path, ("id", "text", "label", "category", "source")) for model, path in DATA.items()}
    evals = read_records(args.eval)
    print("category  model      seed  F1     PR-AUC")
    for category in args.categories:
        ev = [r for r in evals if r["category"] == category]
        labels = [r["label"] for r in ev]
        for model, records in data.items():
            for seed in args.seeds:
                pipeline, meta = train(records, category, params, seed)
                proba = pipeline.predict_proba([r["text"] for r in ev])[:, 1]
                f1 = f1_score(labels, decide(proba, meta["threshold"]))
                print(f"{category:<9} {model:<10} {seed:<5} {f1:.3f}  {average_precision_score(labels, proba):.3f}",
                      flush=True)


if __name__ == "__main__":
    main()
