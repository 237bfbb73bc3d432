"""Stage augment: real train + unique synthetic records (label-filtered by the baseline detectors) ->
data/augmented/train.jsonl, the filtered-out records, reports/augment.json."""

import argparse
from pathlib import Path

from toxsynth import stage
from toxsynth.augment import AugmentParams, augment
from toxsynth.classifier.artifacts import classifier_path
from toxsynth.classifier.model import TrainParams
from toxsynth.classifier.persist import load
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json, write_jsonl
from toxsynth.synthetic.label_filter import label_filter, positive_probability


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--real", default="data/prepared/train.jsonl")
    parser.add_argument("--synthetic", default="data/synthetic/unique.jsonl")
    parser.add_argument("--classifiers", type=Path, default=Path("models/classifier"), help="baseline detectors")
    parser.add_argument("--out", default="data/augmented/train.jsonl")
    parser.add_argument("--filtered", default="data/augmented/filtered.jsonl", help="synthetic records filtered out")
    parser.add_argument("--report", default="reports/augment.json")
    args = parser.parse_args()
    params = Params(args.params)
    keys = ("id", "text", "label", "category", "source")
    aug, categories = params.section(AugmentParams, "augment"), params.categories()
    synthetic, removed, filter_report = read_records(args.synthetic, keys, allow_empty=True), [], {}
    if aug.filter.enabled:
        detectors = {}
        for category in categories:
            model, meta = load(classifier_path(args.classifiers, category, "baseline"))
            detectors[category] = (positive_probability(model), meta["threshold"])
        synthetic, removed, filter_report = label_filter(synthetic, detectors, aug.filter)
    records, report = augment(read_records(args.real, keys), synthetic, categories, aug, params.seed(),
                              max_real_rows=params.section(TrainParams, "train").max_rows)  # as the trainer caps
    for category, counts in filter_report.items():
        report[category]["filter"] = counts
    write_jsonl(args.out, records)
    write_jsonl(args.filtered, removed)
    write_json(args.report, report)


if __name__ == "__main__":
    stage.run(main)
