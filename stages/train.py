"""Stage train: fit one category's TF-IDF + MLP detector on a training file and save it with skops."""

import argparse
from pathlib import Path

from toxsynth import stage
from toxsynth.classifier.model import TrainParams, save, train
from toxsynth.config import Params
from toxsynth.jsonl import read_jsonl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--category", required=True)
    parser.add_argument("--model", required=True, choices=["baseline", "augmented"])
    parser.add_argument("--data", required=True, help="training JSONL (all categories; filtered here)")
    parser.add_argument("--out", required=True, type=Path, help="<name>.skops; metadata goes to <name>.json")
    args = parser.parse_args()
    params = Params(args.params)
    records = [r for r in read_jsonl(args.data) if r["category"] == args.category]
    pipeline, meta = train(records, args.category, params.section(TrainParams, "train"), params.get("seed"))
    save(pipeline, {**meta, "model": args.model}, args.out)


if __name__ == "__main__":
    stage.run(main)
