"""Stage augment: real train + unique synthetic -> data/augmented/train.jsonl, reports/augment.json.

Until the generator and dedup stages land there is no synthetic data, so the augmented set is the real train
set and reports/augment.json says so for every category.
"""

import argparse

from toxsynth import stage
from toxsynth.augment import augment
from toxsynth.config import Params
from toxsynth.data.prepare import PrepareParams
from toxsynth.jsonl import read_jsonl, write_json, write_jsonl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--real", default="data/prepared/train.jsonl")
    parser.add_argument("--out", default="data/augmented/train.jsonl")
    parser.add_argument("--report", default="reports/augment.json")
    args = parser.parse_args()
    categories = Params(args.params).section(PrepareParams, "prepare").categories
    records, report = augment(list(read_jsonl(args.real)), [], categories)
    write_jsonl(args.out, records)
    write_json(args.report, report)


if __name__ == "__main__":
    stage.run(main)
