"""Stage curve: F1 / PR-AUC of baseline, augmented and augmented + filter over real-row budgets and seeds ->
reports/curve.json and the plot data in reports/curve/."""

import argparse
from pathlib import Path

from toxsynth import stage
from toxsynth.augment import AugmentParams
from toxsynth.classifier.artifacts import eval_records
from toxsynth.classifier.curve import CurveParams, curves, plot_rows
from toxsynth.classifier.model import TrainParams
from toxsynth.classifier.persist import load_model
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--synthetic", default="data/synthetic/unique.jsonl")
    parser.add_argument("--eval", type=Path, default=Path("data/prepared/eval.jsonl"))
    parser.add_argument("--features", type=Path, default=Path("models/classifier/features.skops"))
    parser.add_argument("--report", default="reports/curve.json")
    parser.add_argument("--plots", type=Path, default=Path("reports/curve"))
    args = parser.parse_args()
    params = Params(args.params)
    keys = ("id", "text", "label", "category", "source")
    real, synthetic = read_records(args.train, keys), read_records(args.synthetic, keys, allow_empty=True)
    features, seed = load_model(args.features), params.seed()
    settings = (params.section(TrainParams, "train"), params.section(AugmentParams, "augment"),
                params.section(CurveParams, "curve"))
    report = curves(eval_records(args.eval, params.categories()), real, synthetic, features, *settings, seed)
    for category, curve in report.items():
        for metric in ("pr_auc", "f1"):
            write_json(args.plots / f"{metric}_{category}.json", {"curve": plot_rows(curve, metric)})
    write_json(args.report, report)


if __name__ == "__main__":
    stage.run(main)
