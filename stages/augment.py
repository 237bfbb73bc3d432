"""Stage augment: real train + unique synthetic records -> data/augmented/train.jsonl, reports/augment.json."""

import argparse

from toxsynth import stage
from toxsynth.augment import AugmentParams, augment
from toxsynth.classifier.model import TrainParams
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json, write_jsonl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--real", default="data/prepared/train.jsonl")
    parser.add_argument("--synthetic", default="data/synthetic/unique.jsonl")
    parser.add_argument("--out", default="data/augmented/train.jsonl")
    parser.add_argument("--report", default="reports/augment.json")
    args = parser.parse_args()
    params = Params(args.params)
    keys = ("id", "text", "label", "category", "source")
    records, report = augment(read_records(args.real, keys), read_records(args.synthetic, keys, allow_empty=True),
                              params.categories(), params.section(AugmentParams, "augment"), params.seed(),
                              max_real_rows=params.section(TrainParams, "train").max_rows)  # as the trainer caps
    write_jsonl(args.out, records)
    write_json(args.report, report)


if __name__ == "__main__":
    stage.run(main)
