"""Stage train: fit one category's detector (MLP on the shared features) or its reference, and save it with skops."""

import argparse
from pathlib import Path

from toxsynth import stage
from toxsynth.classifier.model import TrainParams, train
from toxsynth.classifier.persist import load_model, save
from toxsynth.classifier.reference import train_reference
from toxsynth.config import Params
from toxsynth.jsonl import read_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--category", required=True)
    parser.add_argument("--model", required=True, choices=["baseline", "augmented", "reference"])
    parser.add_argument("--data", required=True, help="training JSONL (all categories; filtered here)")
    parser.add_argument("--features", type=Path, help="the shared TF-IDF (stage features); not for the reference")
    parser.add_argument("--out", required=True, type=Path, help="<name>.skops; metadata goes to <name>.json")
    args = parser.parse_args()
    params = Params(args.params)
    records = [r for r in read_records(args.data, ("id", "text", "label", "category", "source"))
               if r["category"] == args.category]
    train_params, seed = params.section(TrainParams, "train"), params.seed()
    if args.model == "reference":
        model, meta = train_reference(records, args.category, train_params, seed)
    else:
        model, meta = train(records, args.category, load_model(args.features), train_params, seed)
    save(model, {**meta, "model": args.model}, args.out)


if __name__ == "__main__":
    stage.run(main)
